"""Human agents' hand-off announcements are dropped (and counted); the rest of their replies stay."""

from __future__ import annotations

import pytest

from dsbuild.records import ChatMessage, Role
from dsbuild.stages.handoff import drop_handoff_lines, strip_handoff


@pytest.mark.parametrize("text", [
    "Hi, this is Sam from the Acme team, I'm taking over.",
    "Hello! A colleague will join shortly.",
    "Hi there, I'm Priya from billing. I'll take it from here.",
    "You're now chatting with Alex.",
    "I'm connecting you to a specialist.",
    "Hallo, hier ist Jonas. Ich übernehme ab hier.",
])
def test_an_announcement_alone_is_removed(text: str) -> None:
    assert strip_handoff(text) == ("", 1)


def test_the_answer_after_the_announcement_is_kept() -> None:
    assert strip_handoff("Hi, this is Sam. I'm taking over from here. Could you share the order"
                         " number?") == ("Could you share the order number?", 1)
    assert strip_handoff("Thanks for waiting.\nI'll connect you with a colleague from billing.") \
        == ("Thanks for waiting.", 1)


@pytest.mark.parametrize("text", [
    "Your refund was processed today.", "Hi Sam, thanks for the details!",
    "I am taking a look at your order now.", "Our team will get back to you by email.",
])
def test_ordinary_replies_are_untouched(text: str) -> None:
    assert strip_handoff(text) == (text, 0)


def test_only_human_agent_replies_are_filtered() -> None:
    msgs = [ChatMessage(Role.USER, "can I talk to a human?"),
            ChatMessage(Role.ASSISTANT, "Sure, I'm connecting you to an agent."),
            ChatMessage(Role.ASSISTANT, "Hi, this is Sam from Acme, I'm taking over.",
                        human_agent=True),
            ChatMessage(Role.ASSISTANT, "I'm taking over. The invoice is fixed.", human_agent=True)]
    out, n = drop_handoff_lines(msgs)
    assert n == 2
    assert [m.content for m in out] == ["can I talk to a human?",
                                        "Sure, I'm connecting you to an agent.",
                                        "The invoice is fixed."]
    assert out[-1].human_agent
