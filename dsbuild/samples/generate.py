"""Generate realistic synthetic Convocore exports (synthetic people only).

Every variant the parser must handle appears (convocore-api.md §3, §4): v3 and v2-shaped
metadata, ``id``/``ID``, ``user``/``human``/``bot``/``system`` turns, control and rich message
types, string/bool/absent feedback, per-reply Negative ratings, human-agent takeovers,
moment timestamps (incl. ``12:xx am`` and ``Invalid date``), NBSP, CRLF, zero-width characters,
emoji, lone surrogates, HTML, test conversations, duplicates and malformed items.

    python -m dsbuild.samples.generate --n 400 --seed 7 --out export.json
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

FIRST = ["Olivia", "Liam", "Emma", "Noah", "Sofia", "Mateo", "Hannah", "Lukas", "Chloé", "Louis",
         "Priya", "Arjun", "Mei", "Hiroshi", "Fatima", "Omar", "Grace", "Will", "May", "Jack",
         "Amara", "Chidi", "Ingrid", "Sven", "Lucía", "Diego", "Aisha", "Tomasz", "Zofia", "Kenji"]
LAST = ["Hartley", "Okafor", "Schneider", "Dubois", "Ramírez", "Kowalski", "Nakamura", "Patel",
        "Lindqvist", "O'Connor", "Haddad", "Moreau", "Fischer", "Silva", "Brennan", "Varga",
        "Achterberg", "Quintero", "Bellamy", "Thorsen"]
COMPANIES = ["Brightpath Logistics", "Kestrel Dental", "Nordlicht GmbH", "Bluefin Analytics",
             "Maple & Finch", "Soleil Interiors", "Vantage Roofing", "Harbor Bakery Co"]
STREETS = ["Elm Street", "Baker Road", "Kastanienallee", "Rue des Lilas", "Calle Mayor",
           "Oak Avenue", "Mill Lane", "Harbour View"]
CITIES = ["Springfield", "Leeds", "Hamburg", "Lyon", "Valencia", "Portland", "Galway", "Tampere"]
ORIGINS = ["web-chat", "whatsapp", "messenger", "instagram", "sms", "web"]

GREETINGS = ["Hi! I'm Nova, Acme Cloud's assistant. How can I help you today?",
             "Hello 👋 Welcome to Acme Cloud support. What can I do for you?"]
EXCHANGES = [
    ("What are your opening hours?",
     "Our support team is available Monday to Friday, 9am to 6pm CET, and this chat is open 24/7."),
    ("Do you ship to Canada?", "Yes, we ship to Canada and most of Europe. Delivery takes 5–7 business days."),
    ("How much is the Pro plan?", "The Pro plan is $49 per month, or $490 per year if you pay annually."),
    ("Can I cancel anytime?", "Yes. You can cancel from Settings → Billing at any time; you keep access until the end of the period."),
    ("my invoice is wrong", "Sorry about that! Could you tell me the invoice number so I can check it?"),
    ("I can't log in", "Let's fix that. Have you tried resetting your password from the login page?"),
    ("Is there a free trial?", "Yes, every plan comes with a 14-day free trial, no card required."),
    ("Do you integrate with Slack?", "We do: the Slack integration is available on the Team and Pro plans."),
    ("What payment methods do you accept?", "We accept Visa, Mastercard, American Express and bank transfer (SEPA)."),
    ("How do I export my data?", "Go to Settings → Data → Export and choose CSV or JSON. The file is emailed to you."),
    ("Can I book a demo for next Tuesday?", "Of course! Next Tuesday we have slots at 10:00 and 14:30. Which suits you?"),
    ("Where is my order?", "Could you share your order number? It starts with AC- and is in your confirmation email."),
]
FOLLOWUPS = [("thanks!", "You're welcome! Anything else I can help with?"),
             ("ok great", "Glad I could help. Have a great day!"),
             ("That works for me", "Perfect, it's booked. You'll get a confirmation shortly.")]
BAD_REPLIES = ["I'm not sure what you mean.", "Please contact support.", "Error: no answer found."]


def _moment(dt: datetime) -> str:
    day = dt.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    hour = dt.hour % 12 or 12
    return f"{dt.strftime('%B')} {day}{suffix} {dt.year}, {hour}:{dt.minute:02d}:{dt.second:02d} {'am' if dt.hour < 12 else 'pm'}"


class _Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def person(self) -> dict[str, str]:
        r = self.r
        first, last = r.choice(FIRST), r.choice(LAST)
        local = f"{first}.{last}".lower().replace("'", "").replace("é", "e").replace("í", "i").replace("ú", "u")
        phone = r.choice([
            f"+1 (555) 01{r.randint(0, 99):02d}-{r.randint(1000, 9999)}",
            f"+44 20 7946 0{r.randint(100, 999)}",
            f"+49 30 {r.randint(1000000, 9999999)}",
            f"06 {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}",
            f"555-01{r.randint(10, 99)}-{r.randint(1000, 9999)}",
        ])
        return {
            "userName": f"{first} {last}",
            "userEmail": f"{local}{r.randint(1, 99)}@{r.choice(['example.com', 'mail.example.org', 'example.net'])}",
            "userPhone": phone,
            "userCompany": r.choice(COMPANIES),
            "userAddress": f"{r.randint(1, 240)} {r.choice(STREETS)}, {r.choice(CITIES)}",
            "userWebsite": f"https://www.{r.choice(COMPANIES).split()[0].lower()}-{r.randint(1, 9)}.example.com",
        }

    def msg(self, text: Any, ts: datetime, feedback: Any = "Unset", mtype: str = "text",
            ai: bool | None = None) -> dict[str, Any]:
        payload: Any = {"message": text, "feedback": feedback} if mtype == "text" else text
        if ai is not None and isinstance(payload, dict):
            payload["aiGenerated"] = ai
        return {"type": mtype, "ts": _moment(ts), "payload": payload}

    def conversation(self, i: int, start: datetime) -> dict[str, Any]:
        r = self.r
        person = self.person()
        t = start
        def tick() -> datetime:
            nonlocal t
            t += timedelta(seconds=r.randint(2, 90))
            return t

        turns: list[dict[str, Any]] = []
        human_from = "human" if r.random() < 0.15 else "user"
        if r.random() < 0.5:
            turns.append({"from": human_from, "messages": [{"type": "launch", "ts": _moment(tick()), "payload": {}}]})
        if r.random() < 0.7:
            turns.append({"from": "bot", "messages": [self.msg(r.choice(GREETINGS), tick())]})
        negative = r.random() < 0.12
        takeover = r.random() < 0.06
        for k, (q, a) in enumerate(r.sample(EXCHANGES, r.randint(1, 3))):
            q = self._decorate_user(q, person, k)
            user_msgs = [self.msg(q, tick())]
            if r.random() < 0.15:  # double texting
                user_msgs.append(self.msg(r.choice(["?", "hello??", "are you there"]), tick()))
            turns.append({"from": human_from, "messages": user_msgs})
            fb = r.choice(["Positive", "Unset", "Unset", True, None])
            if negative and k == 1:
                reply = [self.msg(r.choice(BAD_REPLIES), tick(), "Negative")]
            else:
                reply = [self.msg(a, tick(), fb if fb is not None else "Unset")]
            if r.random() < 0.25:
                reply.append({"type": "choice", "ts": _moment(tick()), "payload": {"buttons": [
                    {"name": "Talk to sales", "request": {"type": "text", "payload": {"message": "Talk to sales"}}},
                    {"name": "Pricing", "request": {"type": "text", "payload": {"message": "Pricing"}}}]}})
            if r.random() < 0.1:
                reply.append({"type": "cardV2", "ts": _moment(tick()), "payload": {
                    "title": "**Pro plan**", "description": {"text": "Everything in Team, plus SSO."},
                    "buttons": [{"name": "Start trial"}]}})
            if r.random() < 0.05:
                reply.append({"type": "carousel", "ts": _moment(tick()), "payload": {"layout": "Carousel", "cards": [
                    {"title": "Team", "description": {"text": "$19 per seat"}, "imageUrl": "https://img.example.com/t.png"},
                    {"title": "Pro", "description": {"text": "$49 per seat"}, "buttons": [{"name": "Compare"}]}]}})
            if r.random() < 0.2:
                reply.insert(0, {"type": r.choice(["debug", "debug:tell", "path", "SetRuntime", "no-reply"]),
                                 "ts": _moment(t), "payload": {"message": "internal trace", "timeout": 30}})
            turns.append({"from": "bot", "messages": reply})
        if takeover:
            turns.append({"from": human_from, "messages": [self.msg("can I talk to a human?", tick())]})
            turns.append({"from": "bot", "messages": [
                {"type": "info:default", "ts": _moment(tick()), "payload": "Will execute query: human handoff"},
                self.msg("Hi, this is Sam from the Acme team, I'm taking over.", tick(), ai=False)]})
        if r.random() < 0.5:
            q, a = r.choice(FOLLOWUPS)
            turns.append({"from": human_from, "messages": [self.msg(q, tick())]})
            turns.append({"from": "bot", "messages": [self.msg(a, tick())]})
        if r.random() < 0.1:
            turns.append({"from": human_from, "messages": [self.msg("one more thing", tick())]})
        if r.random() < 0.05:
            turns.insert(0, {"from": "system", "messages": [self.msg("Session started", start)]})
        turns.append({"from": "bot", "messages": [{"type": "end", "ts": _moment(tick()), "payload": None}]})

        convo: dict[str, Any] = {"origin": r.choice(ORIGINS), "ts": int(start.timestamp()),
                                 "notes": f"Lead from {person['userCompany']}", "tags": ["lead"]}
        keep = r.sample(list(person), r.randint(2, 6))
        convo.update({k: person[k] for k in keep})
        if r.random() < 0.05:
            convo["isTest"] = True
        if takeover:
            convo["state"] = "human-chatting"
        cid = f"agent7_convo{i:05d}"
        conv_fb = r.choice(["Positive", "Unset", "Unset", "Negative" if negative else "Unset", True, None])
        if r.random() < 0.2:  # v2 shape: fields straight in metadata, upper-case ID
            metadata: dict[str, Any] = {"ID": cid, **convo}
        else:
            convo["id"] = cid
            metadata = {"convo": convo, "sessions": []}
        if conv_fb is not None:
            metadata["feedback"] = conv_fb
        return {"metadata": metadata, "turns": turns}

    def _decorate_user(self, q: str, person: dict[str, str], k: int) -> str:
        r = self.r
        first = person["userName"].split()[0]
        roll = r.random()
        if k == 0 and roll < 0.15:
            q = f"hi, this is {first.lower()} from {person['userCompany']}. {q}"
        elif k == 0 and roll < 0.25:
            q = f"{q} You can reach me at {person['userEmail']} or {person['userPhone']}."
        elif k == 0 and roll < 0.3:
            q = f"My name is {person['userName']} and I live at {person['userAddress']}. {q}"
        roll = r.random()
        if roll < 0.04:
            q = q.replace(" ", "\u00a0", 2)
        elif roll < 0.08:
            q = q + "\r\nthanks"
        elif roll < 0.1:
            q = "\u200b" + q
        elif roll < 0.12:
            q = q + " 😊"
        elif roll < 0.13:
            q = q + " \ud83d"  # a lone surrogate, as JavaScript may write it
        elif roll < 0.15:
            q = q.upper()
        return q


def generate_export(n: int = 400, seed: int = 7) -> dict[str, Any]:
    g = _Gen(seed)
    start = datetime(2024, 11, 28, 23, 50, tzinfo=timezone.utc)
    data: list[Any] = []
    for i in range(n):
        start += timedelta(minutes=g.r.randint(5, 600))
        data.append(g.conversation(i, start))
    # Exact duplicates under other ids (re-imported or replayed conversations).
    for j in range(max(1, n // 50)):
        dup = json.loads(json.dumps(data[j * 7 % n]))
        meta = dup["metadata"]
        (meta["convo"] if "convo" in meta else meta).update({"id": f"agent7_dup{j:04d}", "ID": f"agent7_dup{j:04d}"})
        data.append(dup)
    # Malformed items: skipped and counted, never fatal.
    data += ["not a conversation", {"metadata": {"convo": {"id": "agent7_noturns"}}},
             {"metadata": {"convo": {"id": "agent7_badturns"}}, "turns": "oops"},
             {"metadata": {"convo": {"id": "agent7_invalid_ts"}}, "turns": [
                 {"from": "user", "messages": [{"type": "text", "ts": "Invalid date", "payload": "Hello there"}]},
                 {"from": "bot", "messages": [{"type": "text", "ts": "Invalid date",
                                               "payload": {"message": "<p>Hi!<br>How can I <b>help</b>?</p>"}}]}]}]
    return {"success": True, "message": "Conversations exported successfully", "data": data}


def dump_export(export: dict[str, Any], path: Path) -> None:
    # ensure_ascii keeps lone surrogates as \\udXXX escapes, exactly as a JS server writes them.
    path.write_text(json.dumps(export, ensure_ascii=True, indent=None) + "\n", encoding="ascii")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    dump_export(generate_export(args.n, args.seed), args.out)


if __name__ == "__main__":
    main()
