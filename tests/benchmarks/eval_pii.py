"""PII evaluation: the full ``dsbuild make`` on a multilingual chat export with planted PII,
plus recall/precision on presidio-research.

    .venv/bin/python tests/benchmarks/eval_pii.py [--quick] [--sets tuning,tuning2,heldout,heldout2] [--n N]
        [--seeds S1,S2] [--set pii.style=surrogate] [--examples FILE] [--json FILE] [--check] [--no-presidio]

Ends with the issue-11 "done when" checks (``--check``: exit 1 if one fails).

(b) multilingual (en de fr es nl it) conversations from :mod:`pii_chat_corpus`, TUNING template
    set on TUNING_SEEDS, the second tuning set (``tuning2``, other sentences and a second family
    of invented names) on TUNING2_SEEDS, the HELD-OUT template set on HELDOUT_SEEDS and the second
    held-out set (``heldout2``, written apart from the detector's rules, a third family of invented
    names) on HELDOUT2_SEEDS, written as a Convocore export and built in process with
    ``dsbuild.pipeline.build`` (default config + select.feedback any + an allow list for the bot's
    brand). Every planted value is looked for in its
    conversation's output row (case, diacritics folded; phone/card/IBAN as digits with the
    separators removed). Every lead value and lead-derived identifier (name, email local part and
    the name tokens in it, phone digits, street, postcode, customer number from the notes, id in
    the tags) is looked for in every file of the output dir (rows, manifest, card) and in what the
    run printed (summary, notes). A quarantined
    conversation (``pii_residual:*``) counts as not leaked and its benign messages as changed;
    quarantines are reported. COMPANY is reported, not judged.
(a) presidio-research ``synth_dataset_v2.json``: per-type and overall recall/precision (character
    overlap, same type) of the stage's analyzer.
(c) the older English-only corpus (seeds 5101-5103) through the stage: "English as before".
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import io
import json
import re
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import yaml

from dsbuild.config import load_config
from dsbuild.counters import RunCounters
from dsbuild.hashing import conversation_id
from dsbuild.pipeline import build
from dsbuild.records import ChatRecord
from dsbuild.stages.pii import PiiScrubber, pii_settings
from dsbuild.stages.pii.rare_names import common_words
from dsbuild.stages.pii.settings import missing_pipeline_note
from dsbuild.summary import format_summary
from tests.benchmarks.pii_chat_corpus import (
    HELD_OUT,
    LANGS,
    SET_SEEDS,
    Conversation,
    MultiCorpus,
    Value,
    to_export,
)
from tests.benchmarks.pii_names import fold

TYPES = ["PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE",
         "US_SSN", "IP_ADDRESS"]
DATASET = Path("/work/shared/benchmarks/presidio-research/synth_dataset_v2.json")
ALLOW = ("Nova", "Acme Cloud", "Acme", "support@acme.example", "+1 800 555 0100")
AGENT = "pii-eval"
RUN_LOG = "run.log"  # next to the output dir: what the build printed, its summary and notes
NOT_JUDGED = {"COMPANY"}


# ---------------------------------------------------------------- text forms
@dataclass
class Haystack:
    """A text in the forms the checks compare against."""
    folded: str
    words: frozenset[str]
    digits: str
    alnum: str

    @classmethod
    def of(cls, text: str, side: bool = False) -> Haystack:
        """``side``: a file or field the build writes beside the rows' texts (manifest, card,
        run log, a row's other fields), where two of dsbuild's own forms would spell a value
        by chance: a hex digest (a conversation id, a file hash: "...2703165271ff" holds the
        digits of a phone "0316527"), which is left out, and an entity label ("uk_nino"),
        which stays one word ("nino" is no word of it)."""
        f = fold(text)
        word = r"[^\W_]+"
        if side:
            f = _HEX_ID.sub(" ", f)
            word = r"\w+"
        words = set(re.findall(word + r"(?:[-']" + word + r")*", f)) | set(re.findall(word, f))
        return cls(f, frozenset(words), "".join(c for c in f if c.isdigit()),
                   "".join(c for c in f if c.isalnum()))

    def has(self, mode: str, needle: str) -> bool:
        if not needle:
            return False
        if mode == "word":
            return needle in self.words or (" " in needle and re.search(
                rf"(?<![^\W_]){re.escape(needle)}(?![^\W_])", self.folded) is not None)
        if mode == "digits":  # the needle's digits in order, only separators between them
            return needle in self.digits and _spread(needle, False).search(self.folded) is not None
        if mode == "alnum":  # the same, as a whole token (not inside a hex id or a longer number)
            return needle in self.alnum and _spread(needle, True).search(self.folded) is not None
        if mode == "token":  # "sub", not inside a longer word ("a.fische" in "fabrizia.fischetti47")
            return needle in self.folded and re.search(
                rf"(?<![^\W_]){re.escape(needle)}(?![^\W_])", self.folded) is not None
        return needle in self.folded


# 16+ hex characters with a letter and a digit, as a whole token: a digest, not a value
_HEX_ID = re.compile(r"(?<![^\W_])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}(?![^\W_])")


@functools.lru_cache(maxsize=200_000)
def _spread(needle: str, whole: bool) -> re.Pattern[str]:
    body = r"[\s.\-/()#]*".join(re.escape(c) for c in needle)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])" if whole else body)


def survives(value: Value, hay: Haystack) -> bool:
    return any(hay.has(mode, needle) for mode, needle in value.checks)


@functools.cache
def fixed_vocabulary() -> frozenset[str]:
    """The folded words of dsbuild's own string literals (card headings, manifest keys, summary
    lines: "max tokens", "done"), outside the PII stage's word lists and the sample export. A lead
    name token that is one of these words ("Max", "Done") is no leak when it is found in the
    manifest, card or run log: the file says dsbuild's word, not the export's."""
    pkg = Path(__file__).resolve().parents[2] / "dsbuild"
    words: set[str] = set()
    for path in pkg.rglob("*.py"):
        rel = path.relative_to(pkg).as_posix()
        if rel.startswith(("stages/pii/", "samples/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                words.update(re.findall(r"[^\W\d_]+", fold(node.value)))
    return frozenset(words)


def survives_in_side_file(value: Value, hay: Haystack) -> bool:
    """As :func:`survives`, for the non-row files, leaving out dsbuild's own words."""
    vocab = fixed_vocabulary()
    return any(hay.has(mode, needle) for mode, needle in value.checks
               if not (mode == "word" and needle in vocab))


def _strings(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _strings(v)]
    if isinstance(x, list):
        return [s for v in x for s in _strings(v)]
    return []


def _messages(row: dict[str, Any]) -> list[str]:
    for key in ("messages", "conversations", "prompt"):
        if isinstance(row.get(key), list):
            msgs = list(row[key]) + list(row.get("completion") or [])
            return [str(m.get("content", m.get("value", ""))) for m in msgs if isinstance(m, dict)]
    return _strings(row)


# ---------------------------------------------------------------- one build
@dataclass
class SetResult:
    name: str
    seeds: tuple[int, ...]
    conversations: int = 0
    planted: Counter[tuple[str, str]] = field(default_factory=Counter)   # (lang, type)
    leaked: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)   # (kind, lang): planted
    by_kind_leaked: Counter[tuple[str, str]] = field(default_factory=Counter)
    benign: Counter[str] = field(default_factory=Counter)
    benign_ok: Counter[str] = field(default_factory=Counter)
    lead_values: Counter[str] = field(default_factory=Counter)
    lead_leaks: Counter[str] = field(default_factory=Counter)
    lead_leak_types: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)
    per_lang_convs: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    detected: dict[str, Any] = field(default_factory=dict)  # the manifest's conversations per language
    examples: list[str] = field(default_factory=list)


EVAL_SALT = "eval-pii"


def build_export(convs: list[Conversation], work: Path, pii: bool = True,
                 extra: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write ``convs`` as an export, run the build in process, return (out dir, quarantine)."""
    export = work / "export.json"
    export.write_text(json.dumps(to_export(convs, 17), ensure_ascii=False))
    out, quarantine = work / "out", work / "quarantine.jsonl"
    overrides: dict[str, Any] = {"input": str(export), "agent": AGENT, "out": str(out),
                                 "select.feedback": ["positive", "negative", "unset"],
                                 "pii.allow": list(ALLOW), "pii.enabled": pii,
                                 # a fixed key (not this machine's secret): ids can be mapped
                                 # back and surrogates are the same on every machine
                                 "privacy.id_salt": EVAL_SALT}
    overrides.update(extra or {})
    cfg = load_config(overrides=overrides, env={})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        result = build(cfg, overwrite=True, quarantine=quarantine)
    # what the user reads on the terminal is output too: the summary, the notes, any warning
    note = missing_pipeline_note(pii_settings(cfg), result.stats.section("languages")) or ""
    sys.stdout.write(printed.getvalue())
    (work / RUN_LOG).write_text(f"{printed.getvalue()}\n{format_summary(result)}\n{note}\n", encoding="utf-8")
    return out, quarantine


def read_output(out: Path) -> tuple[dict[str, list[str]], list[Haystack]]:
    """(rows by conversation_id: message texts, the non-row files of the dir and what the run
    printed (summary, notes: ``RUN_LOG`` next to the dir) as haystacks)."""
    rows: dict[str, list[str]] = defaultdict(list)
    others: list[Haystack] = []
    log = out.parent / RUN_LOG
    if log.exists():
        others.append(Haystack.of(log.read_text(encoding="utf-8"), side=True))
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                cid = str(row.get("conversation_id", ""))
                rows[cid] += _messages(row)
                rest = {k: v for k, v in row.items() if k not in ("messages", "conversations", "prompt", "completion")}
                if rest:
                    others.append(Haystack.of(json.dumps(rest, ensure_ascii=False), side=True))
        elif path.suffix == ".parquet" or path.suffix in (".arrow",):
            raise SystemExit("eval_pii reads jsonl output only")
        elif path.suffix == ".json":  # the manifest, dataset_info: strings and keys, not numbers
            others.append(Haystack.of(json.dumps(_without_numbers(json.loads(path.read_text(encoding="utf-8"))),
                                                 ensure_ascii=False), side=True))
        else:  # every other file the build wrote (card, charts, ...), whatever its suffix
            others.append(Haystack.of(file_text(path), side=True))
    return rows, others


def _without_numbers(x: Any) -> Any:
    """A JSON document with its numbers left out (its keys and strings stay): the build's counts
    and seconds are no export value, and some differ from run to run (step timings, two
    workers' cache counts), so a lead's digits meeting one is chance that comes and goes."""
    if isinstance(x, dict):
        return {k: _without_numbers(v) for k, v in x.items() if isinstance(v, (str, dict, list))}
    if isinstance(x, list):
        return [_without_numbers(v) for v in x if isinstance(v, (str, dict, list))]
    return x


def file_text(path: Path) -> str:
    """The text a file holds: all of a text file; a PNG's text chunks (the pixels of a chart
    cannot be read back); else the printable runs of 6+ characters (as ``strings`` does: random
    bytes of compressed data would otherwise spell short names by chance)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        texts, pos = [], 8
        while pos + 8 <= len(data):
            size, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
            body = data[pos + 8:pos + 8 + size]
            if kind in (b"tEXt", b"iTXt"):
                texts.append(body.replace(b"\x00", b" ").decode("latin-1"))
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\x00")
                texts.append(key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"))
            pos += 12 + size
        return "\n".join(texts)
    return "\n".join(m.group(0).decode("ascii") for m in re.finditer(rb"[\x20-\x7e]{6,}", data))


def quarantined_ids(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        item = doc.get("item") or {}
        meta = item.get("metadata", {}) if isinstance(item, dict) else {}
        convo = meta.get("convo", meta) if isinstance(meta, dict) else {}
        cid = convo.get("id") or convo.get("ID") if isinstance(convo, dict) else None
        if cid:
            out[str(cid)] = str(doc.get("reason"))
    return out


def score(res: SetResult, convs: list[Conversation], out: Path, quarantine: Path,
          keep_examples: bool = False) -> SetResult:
    rows, others = read_output(out)
    manifest = out / "manifest.json"
    if manifest.exists():
        counts = json.loads(manifest.read_text()).get("counts", {})
        res.detected = {**counts.get("languages", {}), **{f"other:{k}": v for k, v in
                                                           counts.get("languages_other", {}).items()}}
    quar = quarantined_ids(quarantine)
    row_hays = {cid: Haystack.of("\n".join(texts)) for cid, texts in rows.items()}
    for c in convs:
        res.conversations += 1
        res.per_lang_convs[c.lang] += 1
        oid = conversation_id(AGENT, c.cid, EVAL_SALT)
        texts = rows.get(oid)
        for _, v in c.planted:
            res.planted[(c.lang, _kind(v))] += 1
            for k in _breakdown(v):
                res.by_kind[(k, c.lang)] += 1
        res.benign[c.lang] += len(c.benign)
        res.lead_values[c.lang] += len(c.lead_values)
        if texts is None:
            if c.cid in quar:
                res.quarantined[c.lang] += 1
                res.quarantine_reasons[quar[c.cid]] += 1
            else:
                res.missing[c.lang] += 1
        else:
            # Output message k is input message k (every conversation starts with the user and
            # alternates), so each planted value is judged in its own message; if the shapes
            # ever differ, in the whole row.
            aligned = len(texts) == len(c.messages)
            for msg, v in c.planted:
                h = Haystack.of(texts[msg]) if aligned else row_hays[oid]
                if survives(v, h):
                    res.leaked[(c.lang, _kind(v))] += 1
                    for k in _breakdown(v):
                        res.by_kind_leaked[(k, c.lang)] += 1
                    if keep_examples and len(res.examples) < 1000:
                        shown = texts[msg] if aligned else "(row)"
                        res.examples.append(f"{c.lang} {_kind(v)}: {shown!r}")
            for i in c.benign:
                orig = c.messages[i][1]
                ok = i < len(texts) and texts[i] == orig
                res.benign_ok[c.lang] += ok
                if keep_examples and not ok and len(res.examples) < 2000:
                    res.examples.append(f"{c.lang} BENIGN changed: {orig!r} -> {texts[i] if aligned else '(row)'!r}")
        for v in c.lead_values:
            own = [row_hays[oid]] if oid in row_hays else []
            where = ("its own row" if own and _survives_in_own_row(v, texts or [], c) else
                     "manifest/card/row fields" if any(survives_in_side_file(v, h) for h in others) else
                     "another row" if any(survives(_long_only(v), h) for cid, h in row_hays.items() if cid != oid)
                     else "")
            if where:
                res.lead_leaks[c.lang] += 1
                source = ("" if v.type != "PERSON" or c.lead is None else
                          ", the lead's name" if v.text == c.lead.get("userName") else ", the e-mail's name")
                hit_word = next((n for m, n in v.checks if m == "word" and any(h.has(m, n) for h in own + others)), "")
                common = any(hit_word in ws for ws in common_words().values())
                res.lead_leak_types[f"{v.type} ({where}{source}{', invented' if v.invented else ''}"
                                    f"{', a dictionary word' if common else ''})"] += 1
                if keep_examples:
                    hit = next((n for m, n in v.checks if any(h.has(m, n) for h in own + others)), "?")
                    res.examples.append(f"{c.lang} LEAD {v.type} in {where}: {hit!r}"
                                        + (f" in {hay_text(own[0], m_n=hit)!r}" if own else ""))
    return res


def _survives_in_own_row(v: Value, texts: list[str], c: Conversation) -> bool:
    """A lead value in its own conversation's row (``texts``: its messages). A name token that
    the conversation's own sentences also use as a word ("mark this as urgent" with a lead
    named Mark, "will") survives only in a message that holds it more often than the same input
    message does outside its planted values. Rows whose messages do not line up with the
    input's are judged whole, with no such allowance."""
    aligned = len(texts) == len(c.messages)
    for mode, needle in v.checks:
        if mode != "word" or " " in needle or not aligned:
            if survives(Value(v.type, v.text, [(mode, needle)]), Haystack.of("\n".join(texts))):
                return True
            continue
        for k, out in enumerate(texts):
            if Haystack.of(out).has(mode, needle) and _word_count(fold(out), needle) > _word_uses(c, k, needle):
                return True
    return False


def _word_count(folded: str, word: str) -> int:
    return len(re.findall(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", folded))


def _word_uses(c: Conversation, k: int, word: str) -> int:
    """How often ``word`` stands in ``c``'s input message ``k`` outside its planted values."""
    t = fold(c.messages[k][1])
    for msg, v in c.planted:
        if msg == k and v.text:
            t = re.sub(re.escape(fold(v.text)), " ", t)
    return _word_count(t, word)


def hay_text(h: Haystack, m_n: str) -> str:
    """Up to 60 characters of folded text around a hit, for the examples file."""
    i = h.folded.find(m_n)
    return h.folded[max(0, i - 30):i + len(m_n) + 30] if i >= 0 else "(digits/alnum form)"


def _long_only(v: Value) -> Value:
    """The checks of ``v`` specific enough to attribute a hit in another conversation's row: a
    substring as a whole token there (another row's fake e-mail built from other name parts may
    hold it inside a longer word)."""
    return Value(v.type, v.text, [("token" if m == "sub" else m, n) for m, n in v.checks
                                  if len(n) >= 8 and m != "word"])


def _breakdown(v: Value) -> list[str]:
    """Rows of the breakdown table: any value by whether the lead holds it (CUSTOMER_ID too, as
    the notes carry it); PERSON by template kind and written in lower case."""
    rows = [f"{'lead' if v.known else 'not lead'}: {v.type}"] if v.type in ("CUSTOMER_ID", "PERSON") else []
    rows.append("any: lead's own value" if v.known else "any: not in the lead")
    if v.type != "PERSON":
        return rows
    return rows + [f"name: {v.kind}"] + (["name: lower case"] if v.lower else [])


def _kind(v: Value) -> str:
    if v.type == "PERSON":
        return "PERSON (invented)" if v.invented else "PERSON (real)"
    return v.type


def run_set(name: str, seeds: tuple[int, ...], n_per_lang: int, keep_examples: bool = False,
            overrides: dict[str, Any] | None = None) -> SetResult:
    res = SetResult(name, seeds)
    convs: list[Conversation] = []
    for seed in seeds:
        convs += MultiCorpus(seed, name, n_per_lang).conversations()
    with tempfile.TemporaryDirectory(prefix="eval-pii-") as d:
        t0 = time.perf_counter()
        out, quarantine = build_export(convs, Path(d), extra=overrides)
        res.seconds = time.perf_counter() - t0
        score(res, convs, out, quarantine, keep_examples)
    return res


# ---------------------------------------------------------------- reporting
def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    - "


def lang_rows(res: SetResult) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for lang in list(LANGS) + ["all"]:
        sel = (lambda k: True) if lang == "all" else (lambda k, L=lang: k[0] == L)  # type: ignore[misc]
        pl = sum(n for k, n in res.planted.items() if sel(k) and k[1] not in NOT_JUDGED)
        lk = sum(n for k, n in res.leaked.items() if sel(k) and k[1] not in NOT_JUDGED)
        worst = max(((res.leaked[k] / n, k[1]) for k, n in res.planted.items()
                     if sel(k) and k[1] not in NOT_JUDGED and n), default=(0.0, "-"))
        pick = (lambda c: sum(c.values())) if lang == "all" else (lambda c, L=lang: c[L])  # type: ignore[misc]
        out[lang] = {"planted": pl, "leaked": lk, "worst": worst, "benign": pick(res.benign),
                     "benign_ok": pick(res.benign_ok), "lead": pick(res.lead_values),
                     "lead_leaks": pick(res.lead_leaks), "quar": pick(res.quarantined),
                     "missing": pick(res.missing), "convs": pick(res.per_lang_convs)}
    return out


def print_set(res: SetResult) -> None:
    print(f"\n(b) {res.name}: {res.conversations} conversations, seeds {','.join(map(str, res.seeds))}, "
          f"build {res.seconds:.0f} s")
    print(f"  {'lang':<5} {'planted':>7} {'survive':>8} {'worst type':>28} {'benign ok':>9} "
          f"{'lead leaks':>11} {'quarant.':>8} {'missing':>7}")
    for lang, r in lang_rows(res).items():
        w = f"{r['worst'][1]} {100 * r['worst'][0]:.0f}%"
        print(f"  {lang:<5} {r['planted']:>7} {_pct(r['leaked'], r['planted']):>8} {w:>28} "
              f"{_pct(r['benign_ok'], r['benign']):>9} {r['lead_leaks']:>4}/{r['lead']:<6} "
              f"{r['quar']:>8} {r['missing']:>7}")
    if res.detected:
        print("  languages in the manifest: " + ", ".join(f"{k} {v}" for k, v in sorted(res.detected.items()))
              + "  (written: " + ", ".join(f"{k} {v}" for k, v in sorted(res.per_lang_convs.items())) + ")")
    types = sorted({k[1] for k in res.planted})
    print(f"  survived by type: {'type':<20}" + "".join(f"{L:>7}" for L in LANGS) + f"{'all':>7}")
    for t in types:
        cells = [_pct(res.leaked[(L, t)], res.planted[(L, t)]) for L in LANGS]
        tot_l = sum(res.leaked[(L, t)] for L in LANGS)
        tot_p = sum(res.planted[(L, t)] for L in LANGS)
        note = " (reported, not judged)" if t in NOT_JUDGED else ""
        print(f"  {'':<18}{t:<20}" + "".join(f"{c:>7}" for c in cells) + f"{_pct(tot_l, tot_p):>7}  n={tot_p}{note}")
    kinds = sorted({k for k, _ in res.by_kind})
    print("  survived by whose / where:          " + "".join(f"{L:>7}" for L in LANGS) + f"{'all':>7}")
    for k in kinds:
        cells = [_pct(res.by_kind_leaked[(k, L)], res.by_kind[(k, L)]) for L in LANGS]
        tot_l = sum(res.by_kind_leaked[(k, L)] for L in LANGS)
        tot_p = sum(res.by_kind[(k, L)] for L in LANGS)
        print(f"  {'':<12}{k:<22}" + "".join(f"{c:>7}" for c in cells) + f"{_pct(tot_l, tot_p):>7}  n={tot_p}")
    if res.lead_leak_types:
        print("  lead leaks by type: " + ", ".join(f"{k} {v}" for k, v in res.lead_leak_types.most_common()))
    if res.quarantine_reasons:
        print("  quarantine reasons: " + ", ".join(f"{k} {v}" for k, v in res.quarantine_reasons.most_common()))


def print_side_by_side(results: list[SetResult]) -> None:
    if len(results) < 2:
        return
    rows = [lang_rows(r) for r in results]
    w = 8 * len(results) + len(results) - 1
    print(f"\n(b) side by side ({' | '.join(r.name for r in results)}):")
    print(f"  {'lang':<5} {'survive':>{w}} {'benign ok':>{w}} {'lead leaks':>{w}} {'quarantined':>{w}}")
    for lang in rows[0]:
        cells = [" ".join(f"{_pct(x[lang][a], x[lang][b]):>8}" for x in rows)
                 for a, b in (("leaked", "planted"), ("benign_ok", "benign"))]
        cells += [" ".join(f"{x[lang][k]:>8}" for x in rows) for k in ("lead_leaks", "quar")]
        print(f"  {lang:<5} " + " ".join(cells))


# ---------------------------------------------------------------- (a) and (c), the stage alone
def make_scrubber() -> PiiScrubber:
    """The stage exactly as ``dsbuild make`` builds it from the default config + an allow list."""
    settings = pii_settings(load_config(overrides={"pii.allow": list(ALLOW)}, env={}))
    assert settings is not None
    return PiiScrubber(settings)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def eval_presidio_research(scrubber: PiiScrubber, path: Path, limit: int | None = None) -> dict[str, Any]:
    data = json.loads(path.read_text())[:limit]
    t0 = time.perf_counter()
    found = scrubber.texts.analyze_many([d["full_text"] for d in data])
    secs = time.perf_counter() - t0
    tp_g: Counter[str] = Counter()
    n_g: Counter[str] = Counter()
    tp_p: Counter[str] = Counter()
    n_p: Counter[str] = Counter()
    any_tp_g = any_tp_p = any_n_p = 0
    for d in data:
        gold = [(s["start_position"], s["end_position"], s["entity_type"]) for s in d["spans"]]
        ev_gold = [g for g in gold if g[2] in TYPES]
        preds = [(s.start, s.end, s.type) for s in found[d["full_text"]]]
        for g in ev_gold:
            n_g[g[2]] += 1
            tp_g[g[2]] += any(p[2] == g[2] and _overlap(p[:2], g[:2]) for p in preds)
            any_tp_g += any(_overlap(p[:2], g[:2]) for p in preds)
        for p in preds:
            if any(_overlap(p[:2], g[:2]) for g in ev_gold):
                any_tp_p += 1
                any_n_p += 1
            elif not any(_overlap(p[:2], g[:2]) for g in gold):
                any_n_p += 1
            if p[2] not in TYPES:
                continue
            same = any(g[2] == p[2] and _overlap(p[:2], g[:2]) for g in gold)
            other = any(g[2] not in TYPES and _overlap(p[:2], g[:2]) for g in gold)
            if same or not other:
                n_p[p[2]] += 1
                tp_p[p[2]] += same
    rows = {t: (tp_g[t] / n_g[t] if n_g[t] else 0.0, tp_p[t] / n_p[t] if n_p[t] else 0.0, n_g[t], n_p[t])
            for t in TYPES}
    rows["overall (type-aware)"] = (sum(tp_g.values()) / sum(n_g.values()),
                                    sum(tp_p.values()) / max(1, sum(n_p.values())),
                                    sum(n_g.values()), sum(n_p.values()))
    rows["overall (any type)"] = (any_tp_g / sum(n_g.values()), any_tp_p / max(1, any_n_p),
                                  sum(n_g.values()), any_n_p)
    return {"rows": rows, "texts": len(data), "seconds": secs}


def _leaked_en(kind: str, value: str, text: str) -> bool:
    from dsbuild.stages.pii.known import COMMON_WORD_NAMES
    low = text.casefold()
    if kind in ("PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS"):
        # the real digits, separators ignored (the last 7 of a phone: its prefix may be rewritten);
        # counting any digits at all would call every surrogate (fake digits) a leak
        digits = re.sub(r"\D", "", value)
        return (digits[-7:] if kind == "PHONE_NUMBER" else digits) in re.sub(r"\D", "", text)
    if kind == "EMAIL_ADDRESS":
        return value.split("@")[0].casefold() in low
    if kind == "STREET_ADDRESS":
        words = [w for w in re.findall(r"[^\W\d_]{3,}", value)
                 if w.lower() not in ("street", "avenue", "road", "lane", "close", "flat", "apt",
                                      "calle", "rue", "des", "del", "nagar", "apartments", "boulevard")]
        return any(re.search(rf"(?i)\b{re.escape(w)}\b", text) for w in words)
    return any(re.search(rf"(?i)(?<!\w){re.escape(w)}(?!\w)", text) for w in value.split()
               if w.lower() not in COMMON_WORD_NAMES)


def eval_english(scrubber: PiiScrubber, seeds: list[int], n: int) -> dict[str, Any]:
    from tests.benchmarks.pii_en_corpus import ChatCorpus
    planted: Counter[str] = Counter()
    leaked: Counter[str] = Counter()
    lead_planted = lead_leaks = benign_total = benign_same = quarantined = 0
    for seed in seeds:
        corpus = ChatCorpus(seed)
        samples = [corpus.sample(i) for i in range(n)]
        originals = [[m.content for m in s.record.messages] for s in samples]
        outs = scrubber.scrub_batch([s.record for s in samples], RunCounters())
        for s, orig, out in zip(samples, originals, outs):
            benign_total += len(s.benign)
            if not isinstance(out, ChatRecord):
                quarantined += 1
                for p in s.planted:
                    planted[p.type] += 1
                    lead_planted += p.known
                continue
            texts = [m.content for m in out.messages]
            benign_same += sum(texts[i] == orig[i] for i in s.benign)
            for p in s.planted:
                planted[p.type] += 1
                leak = _leaked_en(p.type, p.value, texts[p.msg])
                leaked[p.type] += leak
                if p.known:
                    lead_planted += 1
                    lead_leaks += leak
    return {"total": (sum(leaked.values()), sum(planted.values())), "lead": (lead_leaks, lead_planted),
            "benign": (benign_same, benign_total), "quarantined": quarantined,
            "rows": {t: (leaked[t], planted[t]) for t in sorted(planted)}}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small run: 8 conversations per language "
                    "and seed, 300 presidio-research texts, 100 English conversations")
    ap.add_argument("--sets", default="tuning,tuning2,heldout", help="template sets to run "
                    "(tuning, tuning2, heldout, heldout2)")
    ap.add_argument("--n", type=int, default=None, help="conversations per language and seed (default 80)")
    ap.add_argument("--seeds", default=None, help="comma-separated seeds for the tuning sets instead of "
                    "their own (fresh seeds the tuning never saw, e.g. 3301,3302; never 7000-7999, never "
                    "with heldout or heldout2)")
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--examples", type=Path, default=None,
                    help="write the surviving planted values and the changed benign messages of the TUNING sets "
                    "(tuning, tuning2; never heldout, heldout2) to this file")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a config override for the builds, e.g. --set pii.style=surrogate (YAML value)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a 'done when' check of issue 11 fails")
    ap.add_argument("--verbose-checks", action="store_true", help="list the passing checks too")
    ap.add_argument("--json", type=Path, default=None, help="also write the per-language rows as JSON")
    ap.add_argument("--dataset", type=Path, default=DATASET)
    args = ap.parse_args(argv)
    n = args.n or (8 if args.quick else 80)
    overrides = {k: yaml.safe_load(v) for k, v in (o.split("=", 1) for o in args.set)}
    if overrides:
        print(f"config overrides: {overrides}")
    seeds = tuple(int(x) for x in args.seeds.split(",") if x) if args.seeds else None
    if seeds is not None and (HELD_OUT & set(args.sets.split(",")) or any(7000 <= x < 8000 for x in seeds)):
        raise SystemExit("eval_pii: --seeds is for the tuning sets only, and never 7000-7999 (held-out)")
    t0 = time.perf_counter()
    results = []
    examples: list[str] = []
    for name in [s for s in args.sets.split(",") if s]:
        if name not in SET_SEEDS:
            raise SystemExit(f"eval_pii: unknown template set {name!r} (known: {', '.join(SET_SEEDS)})")
        tuning = name not in HELD_OUT
        res = run_set(name, seeds or SET_SEEDS[name], n, keep_examples=bool(args.examples) and tuning,
                      overrides=overrides)
        print_set(res)
        results.append(res)
        if args.examples and tuning:
            examples += [f"[{name}] {e}" for e in res.examples]
            args.examples.write_text("\n".join(examples) + "\n")
    print_side_by_side(results)
    if args.json:
        args.json.write_text(json.dumps({r.name: {"seeds": r.seeds, "languages": lang_rows(r), "types": {
            f"{lang}/{t}": [r.leaked[(lang, t)], n] for (lang, t), n in sorted(r.planted.items())}}
            for r in results}, indent=1, ensure_ascii=False))
    checks: list[tuple[str, bool, str]] = []
    for r in results:
        for lang, row in lang_rows(r).items():
            if lang == "all":
                continue
            surv = row["leaked"] / max(1, row["planted"])
            benign = row["benign_ok"] / max(1, row["benign"])
            checks += [(f"{r.name} {lang}: planted values surviving <= 2%", surv <= 0.02, f"{100 * surv:.1f}%"),
                       (f"{r.name} {lang}: no type above 5%", row["worst"][0] <= 0.05,
                        f"{row['worst'][1]} {100 * row['worst'][0]:.0f}%"),
                       (f"{r.name} {lang}: no lead value in the output", row["lead_leaks"] == 0,
                        str(row["lead_leaks"])),
                       (f"{r.name} {lang}: benign sentences intact >= 97%", benign >= 0.97, f"{100 * benign:.1f}%")]
    if not args.no_presidio:
        scrubber = make_scrubber()
        if args.dataset.exists():
            a = eval_presidio_research(scrubber, args.dataset, 300 if args.quick else None)
            print(f"\n(a) presidio-research {args.dataset.name}: {a['texts']} texts, "
                  f"{a['texts'] / a['seconds']:.0f} texts/s")
            print(f"  {'type':<22} {'recall':>7} {'precision':>9} {'gold':>6} {'pred':>6}")
            for t, (rec, prec, ng, np_) in a["rows"].items():
                print(f"  {t:<22} {rec:>7.3f} {prec:>9.3f} {ng:>6} {np_:>6}")
            rec, prec = a["rows"]["overall (type-aware)"][:2]
            checks.append(("presidio-research: recall >= 0.85 at precision >= 0.90", rec >= 0.85 and prec >= 0.90,
                           f"{rec:.3f} / {prec:.3f}"))
        else:
            print(f"\n(a) skipped: {args.dataset} not found")
        en_seeds = [5101] if args.quick else [5101, 5102, 5103]
        c = eval_english(scrubber, en_seeds, 100 if args.quick else 400)
        lk, pl = c["total"]
        ll, lp = c["lead"]
        same, total = c["benign"]
        print(f"\n(c) English-only corpus (seeds {','.join(map(str, en_seeds))}): {_pct(lk, pl).strip()} of {pl} "
              f"planted values survive; lead-value leaks {ll} of {lp}; benign unchanged "
              f"{_pct(same, total).strip()}; {c['quarantined']} quarantined")
        print("  " + ", ".join(f"{t} {_pct(a_, b_).strip()}" for t, (a_, b_) in c["rows"].items()))
        checks.append(("English-only corpus: <= 0.5% survive, no lead value", lk <= 0.005 * pl and ll == 0,
                       f"{_pct(lk, pl).strip()}, {ll} lead"))
    failed = [c_ for c_ in checks if not c_[1]]
    print(f"\nissue 11 'done when': {len(checks) - len(failed)} of {len(checks)} checks pass")
    for name, ok, detail in checks:
        if not ok or args.verbose_checks:
            print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    if args.check and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
