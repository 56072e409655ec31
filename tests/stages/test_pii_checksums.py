"""The detectors' and the surrogates' check digits agree with published valid numbers."""

from __future__ import annotations

from dsbuild.stages.pii.checksums import iban_check, iban_ok, luhn_complete, luhn_ok


def test_luhn_accepts_a_test_card_and_completes_what_it_accepts() -> None:
    assert luhn_ok("4111111111111111") and luhn_ok("378282246310005")
    assert not luhn_ok("4111111111111112")
    body = [4, 0, 1, 2, 8, 8, 8, 8, 8, 8, 8, 8, 1, 8, 8]
    assert luhn_complete(body) == 1  # 4012 8888 8888 1881
    assert luhn_ok("".join(map(str, body + [luhn_complete(body)])))


def test_mod97_accepts_published_ibans_and_computes_their_check_digits() -> None:
    for iban in ("GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "fr14-2004-1010-0505-0001-3m02-606"):
        assert iban_ok(iban)
    assert not iban_ok("GB83WEST12345698765432")
    assert iban_check("GB", "WEST12345698765432") == "82"
    assert iban_check("DE", "370400440532013000") == "89"
