"""Surrogates keep the shape and case of what they replace, per language, consistently."""

from __future__ import annotations

import re

import phonenumbers
import pytest

from dsbuild.config import DEFAULT_PII_STYLE, Config
from dsbuild.counters import RunCounters
from dsbuild.records import ChatRecord, Lead
from dsbuild.stages.dedup import ExactDedup
from dsbuild.stages.pii import PiiScrubber
from dsbuild.stages.pii.names import is_first_name, is_last_name, pools
from dsbuild.stages.pii.pseudonyms import STYLES, Pseudonymizer
from dsbuild.stages.pii.residual import luhn_ok
from dsbuild.stages.pii.settings import PiiSettings, pii_settings
from dsbuild.stages.pii.surrogates import Surrogates
from tests.stages.conftest import record, scrub


def fakes(lang: str = "en", scope: str = "conv-1", avoid: tuple[str, ...] = (),
          position: int = 0) -> Surrogates:
    return Surrogates("secret", scope, lang, avoid, position)


def test_surrogate_is_the_one_default_style_of_config_cli_and_library() -> None:
    assert DEFAULT_PII_STYLE == "surrogate" and DEFAULT_PII_STYLE in STYLES
    assert Config().pii.style == DEFAULT_PII_STYLE
    assert PiiSettings(model=None).style == DEFAULT_PII_STYLE
    assert pii_settings(Config()).style == DEFAULT_PII_STYLE  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "nl", "it"])
def test_first_name_alone_stays_a_first_name_in_its_case(lang: str) -> None:
    s = fakes(lang)
    title, lower, upper = s.render("PERSON", "Emma"), s.render("PERSON", "emma"), \
        s.render("PERSON", "EMMA")
    assert " " not in title and title[0].isupper() and title != "Emma"
    assert lower == title.lower() and upper == title.upper()  # one person, three spellings
    assert title in pools()[lang]["first"]


def test_full_name_is_a_full_name_sharing_the_first_name() -> None:
    s = fakes()
    full = s.render("PERSON", "Emma Bellamy")
    first, last = full.split()
    assert first in pools()["en"]["first"] and last in pools()["en"]["last"]
    assert s.render("PERSON", "Emma") == first
    assert s.render("PERSON", "Ms Bellamy") == f"Ms {last}"
    assert s.render("PERSON", "E. Bellamy").endswith(f". {last}")


def test_a_last_name_alone_stays_a_last_name() -> None:
    s = fakes()
    assert is_last_name("Schneider") and not is_first_name("Schneider")
    assert s.render("PERSON", "Schneider") in pools()["en"]["last"]


def test_email_local_part_matches_the_fake_name() -> None:
    s = fakes()
    first, last = s.render("PERSON", "Sofia Fischer").split()
    email = s.render("EMAIL_ADDRESS", "sofia.fischer12@mail.example.org")
    local, domain = email.split("@")
    assert re.fullmatch(rf"{first.lower()}\.{last.lower()}\d\d", local), email
    assert domain in pools()["en"]["email_domains"]
    # the same address again, and its local part alone (a lead's handle), stay consistent
    assert s.render("EMAIL_ADDRESS", "sofia.fischer12@mail.example.org") == email
    assert s.render("EMAIL_ADDRESS", "sofia.fischer12") == local


def test_email_before_the_name_still_matches() -> None:
    s = fakes()
    local = s.render("EMAIL_ADDRESS", "liam.okafor@example.com").split("@")[0]
    assert s.render("PERSON", "Liam Okafor").lower().replace(" ", ".") == local


def _parse(phone: str, region: str) -> phonenumbers.PhoneNumber:
    return phonenumbers.parse("+" + phone[2:] if phone.startswith("00") else phone, region)


@pytest.mark.parametrize("phone,lang,region", [
    ("+44 20 7946 0123", "en", "GB"), ("06 26 98 75 89", "fr", "FR"),
    ("+49 (0)30 6058459", "en", "DE"), ("(415) 555-0132", "en", "US"),
    ("0049 30 6058459", "de", "DE"), ("0039 346 123 4567", "it", "IT"),
    ("0171 1234567", "de", "DE"), ("06-12345678", "nl", "NL"), ("612 34 56 78", "es", "ES"),
    ("020 7946 0123", "en", "GB"),  # national, from a configured region (pii.phone_regions)
])
def test_phone_is_a_valid_number_of_the_same_country_type_and_format(
        phone: str, lang: str, region: str) -> None:
    real = _parse(phone, region)
    assert phonenumbers.is_valid_number(real)
    starts = set()
    for position in range(40):
        fake = Surrogates("secret", "c", lang, (), position, regions=("US", "GB")).render(
            "PHONE_NUMBER", phone, "")
        assert fake != phone
        assert re.sub(r"\d", "9", fake) == re.sub(r"\d", "9", phone)  # punctuation and length
        got = _parse(fake, region)
        assert phonenumbers.is_valid_number(got), fake
        assert got.country_code == real.country_code
        assert phonenumbers.number_type(got) == phonenumbers.number_type(real)  # mobile stays
        starts.add(str(got.national_number)[:3])
    # the carrier or area code is drawn, not the real one's: no digit past the country code and
    # trunk prefix is kept
    assert len(starts) > 1


def test_a_number_phonenumbers_does_not_hold_valid_keeps_its_shape() -> None:
    fake = fakes().render("PHONE_NUMBER", "+1 (555) 0123-4567", "")
    assert re.fullmatch(r"\+1 \(5\d\d\) \d{4}-\d{4}", fake) and fake != "+1 (555) 0123-4567"


def test_one_phone_in_two_formats_gets_one_fake_number() -> None:
    s = Surrogates("secret", "conv-1", "en", (), 0, regions=("US", "GB"))
    a = s.render("PHONE_NUMBER", "+44 20 7946 0123", "lead:phone")
    b = s.render("PHONE_NUMBER", "020 7946 0123", "lead:phone")
    assert re.sub(r"\D", "", a)[2:] == re.sub(r"\D", "", b)[1:]


@pytest.mark.parametrize("lang,real", [("nl", "0031 6 9926 7035"), ("de", "0049 89 2578993"),
                                       ("en", "+44 20 7946 0123"), ("fr", "06 12 34 56 78")])
def test_a_fake_phone_never_holds_seven_of_the_real_ones_digits_in_a_row(lang: str, real: str) -> None:
    # the kept country code and trunk ("0031 6") and a carrier prefix drawn equal to the real
    # one's wrote 8 of the real digits in a row; over 300 conversations, none may
    digits = re.sub(r"\D", "", real)
    runs = {digits[i:i + 7] for i in range(len(digits) - 6)}
    for position in range(300):
        s = Surrogates("secret", f"conv-{position}", lang, (), position)
        fake = re.sub(r"\D", "", s.render("PHONE_NUMBER", real, "lead:phone"))
        assert not any(r in fake for r in runs), (position, fake)
        assert s.render("PHONE_NUMBER", real, "lead:phone") == s.render("PHONE_NUMBER", real, "lead:phone")


@pytest.mark.parametrize("address,pattern", [
    ("12 Elm Street", r"[1-9]\d [^\d,]+"),
    ("Kastanienallee 12, 20095 Hamburg", r"[^\d,]+ [1-9]\d, \d{5} [^\d,]+"),
    ("18, rue des Lilas", r"[1-9]\d, [^\d,]+"),
    ("Damrak 1, 1012 LG Amsterdam", r"[^\d,]+ [1-9], \d{4} [A-Z]{2} [^\d,]+"),
])
def test_street_address_keeps_its_form(address: str, pattern: str) -> None:
    fake = fakes("de").render("STREET_ADDRESS", address)
    assert re.fullmatch(pattern, fake), fake
    words = {w for w in address.split() if not w.strip(",").isdigit()}
    assert not words & set(fake.split())


def test_lower_case_address_stays_lower_case() -> None:
    fake = fakes().render("STREET_ADDRESS", "70 elm street")
    assert fake == fake.lower() and "elm" not in fake


def test_organisation_and_city_become_fake_ones() -> None:
    s = fakes("fr")
    org, city = s.render("ORGANIZATION", "Vantage Roofing"), s.render("LOCATION", "Lyon")
    assert org in pools()["fr"]["companies"] and city in pools()["fr"]["cities"]
    assert s.render("ORGANIZATION", "vantage roofing") == org.lower()


def test_numbers_keep_their_checksums_and_shape() -> None:
    s = fakes()
    card = s.render("CREDIT_CARD", "4111 1111 1111 1111")
    assert luhn_ok(card) and card[0] == "4" and re.fullmatch(r"\d{4}( \d{4}){3}", card)
    assert card != "4111 1111 1111 1111"
    iban = s.render("IBAN_CODE", "DE89 3704 0044 0532 0130 00")
    compact = iban.replace(" ", "")
    assert iban.startswith("DE") and len(iban) == 27
    assert int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1
    assert s.render("IP_ADDRESS", "10.2.3.4").startswith(("192.0.2.", "198.51.100.", "203.0.113."))
    assert re.fullmatch(r"9\d\d-\d\d-\d{4}", s.render("US_SSN", "123-45-6789"))
    assert re.fullmatch(r"[A-Z]{2}-\d{5}", s.render("PERSONAL_ID", "AB-12345"))


def test_ibans_written_with_dots_dashes_or_slashes_keep_them_and_stay_valid() -> None:
    s = fakes()
    for real in ("DE89.3704.0044.0532.0130.00", "DE89-3704-0044-0532-0130-00",
                 "de89/3704/0044/0532/0130/00", "DE 89 370 400 440 532 013 000"):
        fake = s.render("IBAN_CODE", real)
        assert [c for c in fake if not c.isalnum()] == [c for c in real if not c.isalnum()]
        compact = "".join(c for c in fake if c.isalnum()).upper()
        assert compact != "".join(c for c in real if c.isalnum()).upper()
        assert int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1


def test_every_type_gets_a_fake_never_a_placeholder() -> None:
    s = fakes()
    for type_ in ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS", "LOCATION",
                  "ORGANIZATION", "URL", "PERSONAL_ID", "SOMETHING_NEW"):
        assert "<" not in s.render(type_, "Value 123")


def test_consistent_within_a_conversation_independent_across_and_keyed() -> None:
    names = ["Emma Bellamy"] * 3
    one = {fakes(scope="c1").render("PERSON", n) for n in names}
    assert len(one) == 1
    across = {fakes(position=i).render("PERSON", "Emma Bellamy") for i in range(2000)}
    assert len(across) == 2000  # the same person in 2000 conversations: 2000 different fakes
    other_key = Surrogates("another secret", "c1").render("PERSON", "Emma Bellamy")
    assert other_key != one.pop()


def test_two_people_of_one_conversation_never_share_a_fake() -> None:
    s = fakes()
    firsts = {s.render("PERSON", n) for n in pools()["de"]["first"][:300]}
    assert len(firsts) == 300


def test_a_fake_never_equals_a_known_value_of_the_conversation() -> None:
    for position in range(50):
        plain = fakes(position=position).render("PERSON", "Emma")
        assert fakes(position=position, avoid=(plain,)).render("PERSON", "Emma") != plain


def test_unknown_language_falls_back_to_english() -> None:
    assert Pseudonymizer("surrogate", "k", language="xx", scope="c").apply(
        "Emma", []) == "Emma"
    assert fakes("xx").render("PERSON", "Emma") in pools()["en"]["first"]


def test_scrubbed_conversation_reads_naturally(surrogate_scrubber) -> None:
    lead = Lead(name="Olivia Hartley", email="olivia.hartley12@example.com",
                phone="+44 20 7946 0123")
    out = scrub(surrogate_scrubber, ["hi its olivia, call me on 020 7946 0123",
                                     "Thanks Olivia! I've noted olivia.hartley12@example.com"], lead)
    assert isinstance(out, list)
    assert "<" not in "".join(out) and "olivia" not in " ".join(out).lower()
    first = out[0].split("its ")[1].split(",")[0]
    assert first.islower() and first.capitalize() in pools()["en"]["first"]
    assert f"Thanks {first.capitalize()}!" in out[1]
    assert re.search(rf"{first}\.[a-z]+\d\d@", out[1])
    assert re.search(r"call me on 02\d \d{4} \d{4}$", out[0])


@pytest.mark.parametrize(("type_", "value", "conversations"), [
    ("PERSON", "Emma", 4300),  # 9,228 English first names less 1/16 spare, two slots each
    ("PERSON", "Bellamy", 4300),
    ("EMAIL_ADDRESS", "emma.bellamy22@example.com", 3000),
    ("EMAIL_ADDRESS", "40417@example.com", 3000),  # no name in it: the digits alone differ
    ("PHONE_NUMBER", "+44 20 7946 0123", 3000),
    ("PHONE_NUMBER", "555-0134", 3000),  # four free digits: 10,000 numbers
    ("ORGANIZATION", "Northwind Traders", 1600),  # a pool of 1767, 1657 past the spare part
    ("LOCATION", "Leeds", 1600),
    ("STREET_ADDRESS", "12 High Street, Leeds LS1 4AP", 1700),
    ("CREDIT_CARD", "4111 1111 1111 1111", 3000),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", 3000),
    ("IP_ADDRESS", "10.1.2.3", 762),  # the documentation ranges hold 762 addresses
    ("URL", "https://northwind.example.com/orders", 1700),
    ("US_SSN", "123-45-6789", 3000),
])
def test_the_same_value_in_many_conversations_never_gets_one_fake_twice(
        type_: str, value: str, conversations: int) -> None:
    """A fake is drawn by the conversation's position through a keyed permutation, not by an
    independent hash: distinct conversations get distinct fakes until the pool is exhausted."""
    got = [fakes(scope="same text", position=p).render(type_, value) for p in range(conversations)]
    assert len({g.casefold() for g in got}) == conversations


def test_a_conversations_values_of_one_kind_share_no_fake_past_its_reserved_slots() -> None:
    s = fakes(position=7)
    orgs = {s.render("ORGANIZATION", f"Company {i}") for i in range(40)}  # one slot, then hashed
    assert len(orgs) == 40


def test_two_copies_of_a_conversation_get_different_fakes_and_dedup_still_drops_one(
        surrogate_scrubber) -> None:
    lines = ["hi, this is Olivia Hartley, my email is olivia.hartley12@example.com", "Thanks!"]
    lead = Lead(name="Olivia Hartley")
    one, two = surrogate_scrubber.scrub_batch([record(lines, lead), record(lines, lead)],
                                              RunCounters())
    assert isinstance(one, ChatRecord) and isinstance(two, ChatRecord)
    assert one.messages[0].content != two.messages[0].content  # two positions, two fakes
    dedup = ExactDedup()
    assert dedup.is_new(one) and not dedup.is_new(two)


def test_conversations_of_different_languages_never_share_a_fake_name() -> None:
    """The Faker lists overlap (most German first names are English ones too): a German and an
    English conversation drawing their own slots must still not meet on one name."""
    langs = ("en", "de", "fr", "es", "nl", "it")
    for secret in ("k1", "k2", "k3"):
        got: dict[str, list[str]] = {"PERSON": [], "LOCATION": [], "ORGANIZATION": []}
        for p in range(210):  # the Italian first names (454, 426 past the spares, two slots
            # each) last 213 positions
            s = Surrogates(secret, f"c{p}", langs[p % len(langs)], (), p)
            got["PERSON"] += [s.render("PERSON", "Emma"), s.render("PERSON", "Bellamy")]
            got["LOCATION"].append(s.render("LOCATION", "Leeds"))
            got["ORGANIZATION"].append(s.render("ORGANIZATION", "Northwind"))
        for fakes_of_type in got.values():
            assert len({g.casefold() for g in fakes_of_type}) == len(fakes_of_type)
    for a in langs:
        for b in langs:
            if a < b:
                for kind in ("first", "last", "cities", "streets", "companies"):
                    mine = {v.casefold() for v in pools()[a][kind]}
                    theirs = {v.casefold() for v in pools()[b][kind]}
                    assert not mine & theirs, (a, b, kind)


def test_a_fake_redrawn_past_the_reserved_slots_meets_no_other_conversations_fake() -> None:
    """A conversation whose drawn fake is one of its own known values draws again; with its
    slots used up, that draw must not land on a fake another conversation already has (the
    demo had one company twice among 29 under some keys)."""
    for secret in ("k1", "k2", "k3"):
        plain = [Surrogates(secret, f"c{p}", "en", (), p).render("ORGANIZATION", "Northwind")
                 for p in range(1000)]
        forced = {p: Surrogates(secret, f"c{p}", "en", (plain[p],), p).render(
            "ORGANIZATION", "Northwind") for p in (10, 40, 70, 100)}
        assert all(forced[p] != plain[p] for p in forced)
        got = [forced.get(p, f) for p, f in enumerate(plain)]
        assert len(set(got)) == len(got)


@pytest.mark.parametrize("value, kind", [("chan.anna@example.org", "EMAIL_ADDRESS"),
                                         ("Anna Chan", "PERSON")])
def test_a_fake_never_writes_back_another_real_token_of_the_conversation(value: str, kind: str) -> None:
    """"chan.anna" must not become "mutahi.chan": the fake first name would be the real surname.
    Small pools that hold the real tokens make the collision likely on every draw."""
    for position in range(60):
        s = Surrogates("secret", "c", "en", (), position)
        s.pool = {**s.pool, "first": ["Chan", "Lily", "Anna"], "last": ["Chan", "Mutahi", "Anna"]}
        fake = s.render(kind, value, value)
        words = {w.casefold() for w in re.findall(r"[^\W\d_]+", fake.partition("@")[0])}
        assert not words & {"chan", "anna"}, (position, fake)


@pytest.mark.parametrize("value", ["kirk.andrea [at] kirkhaus.de", "kirk.andrea(at)kirkhaus.de",
                                   "kirk.andrea ＠ kirkhaus.de", "kirk.andrea at kirkhaus dot de",
                                   "'s kirk.andrea [at] kirkhaus.de", "KIRK.ANDREA@KIRKHAUS.DE"])
def test_an_obfuscated_or_untidy_email_span_keeps_no_real_token(value: str) -> None:
    """An analyser's e-mail span may be obfuscated or start before the address ("it's" seen
    as "'s kirk..."): each piece with letters is faked, the "at" is kept as written."""
    for position in range(20):
        fake = Surrogates("secret", "c", "en", (), position).render("EMAIL_ADDRESS", value)
        words = {w.casefold() for w in re.findall(r"[^\W\d_]+", fake)}
        assert not words & {"kirk", "andrea", "kirkhaus"}, fake
        at = re.search(r"\s*(@|＠|\[at\]|\(at\)|\bat\b)\s*", value, re.IGNORECASE)
        assert at is not None and at.group(0) in fake, fake


def test_a_lower_case_contraction_before_an_email_is_not_a_name(surrogate_scrubber: PiiScrubber) -> None:
    """"it's kirk.andrea [at] gmail.com" with the lead's e-mail kirk.andrea@…: the whole address
    is replaced, "it's" is kept, and no token of the address survives (the surname Kirk is a
    dictionary word, so only the address's own span covers it)."""
    lead = Lead(name="Andrea", email="kirk.andrea@gmail.com", company="Kirk Consulting Ltd")
    out = scrub(surrogate_scrubber, ["it's kirk.andrea [at] gmail.com", "Thanks, noted."], lead)
    assert isinstance(out, list) and out[0].startswith("it's "), out
    assert not {"kirk", "andrea", "gmail"} & set(re.findall(r"[a-z]+", out[0].lower())), out
