"""The PII evaluation's own checks: a deterministic corpus, invented names that no list holds,
valid planted numbers, and a leak check that finds planted values when nothing scrubs them."""

from __future__ import annotations

from pathlib import Path

from dsbuild.stages.pii.names import name_lexicon
from tests.benchmarks import eval_pii as E
from tests.benchmarks.pii_chat_corpus import HELD_OUT, LANGS, SET_SEEDS, MultiCorpus
from tests.benchmarks.pii_names import fold, known_names
from tests.benchmarks.pii_values import iban_valid, luhn_valid


def _shape(convs: list) -> list:
    return [(c.cid, c.lang, c.lead, c.messages, [(m, v.type, v.text) for m, v in c.planted]) for c in convs]


def test_corpus_is_deterministic_per_seed_and_differs_across_seeds() -> None:
    a = _shape(MultiCorpus(1101, "tuning", 2).conversations())
    assert a == _shape(MultiCorpus(1101, "tuning", 2).conversations())
    assert a != _shape(MultiCorpus(1102, "tuning", 2).conversations())
    assert {c[1] for c in a} == set(LANGS)


def test_invented_names_are_in_no_list_and_look_like_names() -> None:
    first, last = name_lexicon()
    invented = []
    for name in SET_SEEDS:
        corpus = MultiCorpus(1101, name, 4)
        for lang in LANGS:
            invented += [(lang, corpus.names.invent(lang, part)) for part in ("first", "last") for _ in range(10)]
    for lang, n in invented:
        assert n[0].isupper() and n.isalpha() and 3 <= len(n) <= 11, n
        assert fold(n) not in known_names() and n.casefold() not in first | last, (lang, n)


def test_the_second_tuning_set_has_its_own_sentences_and_its_own_invented_names() -> None:
    """tuning2 is a generalisation check: none of its benign sentences is one of the tuning set's,
    and its invented names come from another generator than the tuning set's."""
    a, b = MultiCorpus(2201, "tuning", 6), MultiCorpus(2201, "tuning2", 6)
    for lang in LANGS:
        assert not set(a.t[lang]["benign_user"]) & set(b.t[lang]["benign_user"])  # type: ignore[arg-type]
        assert set(a.t[lang]["plant"]) == set(b.t[lang]["plant"])  # type: ignore[arg-type]
    names_a = {a.names.invent("de", "last") for _ in range(30)}
    names_b = {b.names.invent("de", "last") for _ in range(30)}
    assert not names_a & names_b
    convs = b.conversations()
    assert {c.lang for c in convs} == set(LANGS) and sum(len(c.benign) for c in convs) > 100
    assert any(v.invented for c in convs for _, v in c.planted)


def test_the_second_held_out_set_is_apart_from_the_others_and_held_out() -> None:
    """heldout2 measures generalisation: none of its benign sentences is another set's, it plants
    every kind, its invented names are its own (not the other generators'), and the evaluation
    refuses other seeds for it (its examples are never written: eval_pii keys both on HELD_OUT)."""
    h = MultiCorpus(7401, "heldout2", 6)
    names_h = {h.names.invent("nl", "first") for _ in range(30)}
    for other in ("tuning", "tuning2", "heldout"):
        o = MultiCorpus(7401, other, 6)
        for lang in LANGS:
            for key in ("benign_user", "benign_bot"):  # a count, so a failure shows no held-out sentence
                shared = len(set(o.t[lang][key]) & set(h.t[lang][key]))
                assert shared == 0, (other, lang, key)
            assert set(o.t[lang]["plant"]) == set(h.t[lang]["plant"])
        assert not names_h & {o.names.invent("nl", "first") for _ in range(30)}
    assert "heldout2" in HELD_OUT and SET_SEEDS["heldout2"] == (7401, 7402)
    convs = h.conversations()
    assert sum(len(c.benign) for c in convs) > 100 and any(v.invented for c in convs for _, v in c.planted)
    try:
        E.main(["--sets", "heldout2", "--seeds", "3301", "--no-presidio"])
    except SystemExit as e:
        assert "never 7000-7999" in str(e)
    else:
        raise AssertionError("--seeds accepted for heldout2")


def test_planted_numbers_pass_their_checksums() -> None:
    convs = MultiCorpus(1101, "tuning", 6).conversations()
    values = [v for c in convs for _, v in c.planted]
    ibans = [v.text for v in values if v.type == "IBAN_CODE"]
    cards = [v.text for v in values if v.type == "CREDIT_CARD"]
    assert ibans and cards
    assert all(iban_valid(i) for i in ibans) and all(luhn_valid(c) for c in cards)


def test_leak_check_finds_every_planted_value_when_the_stage_is_off(tmp_path: Path) -> None:
    convs = MultiCorpus(1101, "tuning", 2).conversations()
    out, quarantine = E.build_export(convs, tmp_path, pii=False)
    res = E.score(E.SetResult("off", (1101,)), convs, out, quarantine)
    assert sum(res.planted.values()) > 20
    assert res.leaked == res.planted  # everything planted is found in the output
    assert sum(res.benign_ok.values()) == sum(res.benign.values())
    assert sum(res.lead_leaks.values()) > 0
    assert not res.quarantined and not res.missing


def test_leak_checks_fold_case_diacritics_and_separators() -> None:
    from tests.benchmarks.pii_chat_corpus import Value, _digit_checks, _name_checks

    def leaks(v: Value, text: str) -> bool:
        return E.survives(v, E.Haystack.of(text))

    name = Value("PERSON", "Jan van der Bäcker", _name_checks("Jan van der Bäcker"))
    assert leaks(name, "groeten, BACKER") and leaks(name, "hoi jan!")
    assert not leaks(name, "van maandag tot vrijdag, de <PERSON_1>")  # particles alone are not the name
    iban = Value("IBAN_CODE", "DE89 3704 0044 0532 0130 00", _digit_checks("DE89 3704 0044 0532 0130 00", 8))
    assert leaks(iban, "iban: de89.3704.0044.0532.0130.00") and leaks(iban, "DE89370400440532013000")
    assert not leaks(iban, "iban: DE89 <IBAN_CODE_1>")
    phone = Value("PHONE_NUMBER", "+49 171 2345678", _digit_checks("+49 171 2345678", 7))
    assert leaks(phone, "ruf an: 0171/234 56 78") and not leaks(phone, "ruf an: <PHONE_NUMBER_1>")


def test_lead_values_are_looked_for_in_what_the_run_printed_and_in_every_file(tmp_path: Path) -> None:
    """The summary and notes a user reads are output too, and so is a file of any suffix."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}")
    (out / "notes.log").write_text("Qorvathine 1")
    png = b"\x89PNG\r\n\x1a\n"  # a PNG's text chunk is read; its pixel data is not text
    chunk = b"Comment\x00by Wexlomar"
    png += len(chunk).to_bytes(4, "big") + b"tEXt" + chunk + b"\x00" * 4
    png += (7).to_bytes(4, "big") + b"IDAT" + b"\x01roy\x02\xff" + b"\x00" * 4
    (out / "chart.png").write_bytes(png)
    (tmp_path / E.RUN_LOG).write_text("dsbuild make: done\nkept 3 for Zelvarrow")
    _, others = E.read_output(out)
    assert any(h.has("word", "zelvarrow") for h in others)
    assert any(h.has("word", "qorvathine") for h in others)
    assert any(h.has("word", "wexlomar") for h in others)
    assert not any(h.has("word", "roy") for h in others)


def test_digests_and_entity_labels_beside_the_rows_spell_no_value(tmp_path: Path) -> None:
    """A conversation id's hex digits and an entity label's words are dsbuild's, not the
    export's: "...2703165271ff" holds a phone's "0316527", "uk_nino" a name "Nino". The same
    value written as itself beside the rows is still found."""
    from tests.benchmarks.pii_chat_corpus import Value, _digit_checks, _name_checks

    out = tmp_path / "out"
    out.mkdir()
    (out / "train.jsonl").write_text('{"conversation_id": "ac3e540a016caee91bbc2703165271ff", "messages": []}\n')
    (out / "manifest.json").write_text('{"pii": {"pattern/uk_nino": 20}}')
    _, others = E.read_output(out)
    phone = Value("PHONE_NUMBER", "031 6527", _digit_checks("031 6527", 7))
    nino = Value("PERSON", "Nino", _name_checks("Nino"))
    assert not any(E.survives_in_side_file(v, h) for v in (phone, nino) for h in others)
    (out / "manifest.json").write_text('{"pii": {"pattern/uk_nino": 20}, "note": "Nino, 031 6527"}')
    _, others = E.read_output(out)
    assert all(any(E.survives_in_side_file(v, h) for h in others) for v in (phone, nino))


def test_a_lead_e_mail_is_attributed_in_another_row_only_as_a_whole_token() -> None:
    from tests.benchmarks.pii_chat_corpus import Value

    email = E._long_only(Value("EMAIL_ADDRESS", "a.fische@example.com", [("sub", "a.fische")], True))
    assert not E.survives(email, E.Haystack.of("write to fabrizia.fischetti47@example.org"))
    assert E.survives(email, E.Haystack.of("write to a.fische@example.com"))


def test_the_manifests_numbers_are_no_values_but_its_keys_and_strings_are(tmp_path: Path) -> None:
    from tests.benchmarks.pii_chat_corpus import Value, _digit_checks

    out = tmp_path / "out"
    out.mkdir()
    number = Value("CUSTOMER_ID", "572912", _digit_checks("572912", 6))
    (out / "manifest.json").write_text('{"steps": {"pii": {"seconds": 0.572912}}, "hit": 572912}')
    assert not any(E.survives_in_side_file(number, h) for h in E.read_output(out)[1])
    (out / "manifest.json").write_text('{"note": "KD-572912", "572912": 1}')
    assert all(E.survives_in_side_file(number, h) for h in E.read_output(out)[1][-1:])


def test_a_lead_name_the_conversation_uses_as_a_word_is_a_leak_only_beyond_those_uses() -> None:
    """A lead named Mark and the sentence "mark this as urgent": the row keeping the verb is no
    leak; the name kept where it was planted is one."""
    from tests.benchmarks.pii_chat_corpus import Conversation, Value, _name_checks

    name = Value("PERSON", "Mark", _name_checks("Mark"), True)
    c = Conversation("c1", "en", {"userName": "Mark Vell"}, [("user", "hi, Mark here"), ("user", "mark this as urgent")],
                     planted=[(0, name)], lead_values=[name])
    assert not E._survives_in_own_row(name, ["hi, Jake here", "mark this as urgent"], c)
    assert E._survives_in_own_row(name, ["hi, Mark here", "mark this as urgent"], c)
    assert E._survives_in_own_row(name, ["hi, mark here", "jake this as urgent"], c)
    assert E._survives_in_own_row(name, ["hi, Jake here\nmark this as urgent"], c)  # not aligned: whole
