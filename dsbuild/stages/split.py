"""Deterministic, group-aware train/test split.

A conversation's split is a pure function of (seed, group key): it never depends on the other
conversations, so adding or removing some never moves the rest, and one group (a conversation,
or with ``group_by: user`` a person) never sits on both sides.
"""

from __future__ import annotations

import re

from dsbuild.config import SplitConfig
from dsbuild.hashing import unit_interval
from dsbuild.records import ChatRecord, Lead

TRAIN, TEST = "train", "test"
_NON_DIGIT = re.compile(r"\D")


def person_key(lead: Lead) -> str | None:
    """The person behind a lead: normalised email, else phone digits, else name."""
    if lead.email and "@" in lead.email:
        return "email:" + lead.email.strip().lower()
    digits = _NON_DIGIT.sub("", lead.phone or "")
    if len(digits) >= 7:
        return "phone:" + digits[-10:]  # the national part, whatever the country prefix
    if lead.name and lead.name.strip():
        return "name:" + " ".join(lead.name.lower().split())
    return None


def group_key(record: ChatRecord, cfg: SplitConfig) -> str:
    if cfg.group_by == "user":
        key = person_key(record.lead)
        if key is not None:
            return key
    return "conversation:" + record.source_id


def assign_split(record: ChatRecord, cfg: SplitConfig) -> str:
    return TEST if unit_interval(cfg.seed, group_key(record, cfg)) < cfg.eval_ratio else TRAIN
