"""The per-conversation steps: parse → select → convert → PII scrub, run over a batch.

:class:`ConversationProcessor` runs its steps over each batch of raw export items and returns the
outcomes in the same order, plus the batch's counters (each step's own counters and wall time).
It holds only small, picklable settings; heavy resources (the PII engine) are built lazily inside
whichever process runs it, so the same object works in-process, in a process pool or in a
distributed engine's batch map. The list of steps is composed in :mod:`dsbuild.pipeline`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dsbuild.config import Config
from dsbuild.convocore.export_file import BadItem
from dsbuild.convocore.parser import (
    MalformedConversation,
    MessageTooLong,
    ParseOptions,
    parse_conversation,
)
from dsbuild.convocore.versions import REASON as DUPLICATE_ID
from dsbuild.convocore.versions import Superseded
from dsbuild.counters import RunCounters, StepCounters
from dsbuild.hashing import conversation_id
from dsbuild.records import Batch, ChatRecord, Conversation, Dropped
from dsbuild.secret import privacy_key
from dsbuild.stages.convert import to_record
from dsbuild.stages.language import assign_languages, check_languages, detector_for
from dsbuild.stages.pii.settings import PiiSettings
from dsbuild.stages.select import rejection_reason

if TYPE_CHECKING:
    from dsbuild.stages.pii.scrubber import PiiScrubber
    from dsbuild.stages.pii.taken import TakenNumbers

Outcome = ChatRecord | Dropped


class ConversationStep:
    """One step over a batch: ``values[i]`` is what the previous step made of ``raws[i]``
    (a :class:`Dropped` passes through untouched)."""

    name = "step"

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def warm_up(self) -> None:
        """Build heavy state now (a pool initialiser calls it), not inside the first batch."""

    def start_helpers(self) -> None:
        """Start what loads in a helper process, at the build's start (the local engine's
        driver calls it; its workers inherit what it started)."""

    def learn_export(self, taken: TakenNumbers | None) -> None:
        """What the driver's first pass over the whole export found (every lead's numbers),
        before the first batch; it travels with the step to the workers."""

    def one(self, raw: Any, value: Any, tally: StepCounters) -> Any:
        return value

    def run(self, raws: Sequence[Any], values: list[Any], tally: StepCounters) -> list[Any]:
        return [v if isinstance(v, Dropped) else self._guarded(r, v, tally) for r, v in zip(raws, values)]

    def _guarded(self, raw: Any, value: Any, tally: StepCounters) -> Any:
        """Whatever fails inside one conversation drops that conversation; the run goes on."""
        try:
            return self.one(raw, value, tally)
        except RecursionError:
            return Dropped("malformed:too_deep", raw)
        except Exception:  # noqa: BLE001 - hostile input not foreseen: one conversation, not the run
            return Dropped("malformed:unreadable", raw)


class Parse(ConversationStep):
    name = "parse"

    def __init__(self, cfg: Config) -> None:
        super().__init__(cfg)
        self.opts = ParseOptions(rich_messages=cfg.convert.rich_messages,
                                 strip_html=cfg.convert.strip_html,
                                 max_message_chars=cfg.convert.max_message_chars)

    def one(self, raw: Any, value: Any, tally: StepCounters) -> Conversation | Dropped:
        if isinstance(raw, BadItem):
            return Dropped(raw.reason, raw.raw)
        if isinstance(raw, Superseded):  # a later version of the same id is in the export
            return Dropped(DUPLICATE_ID, raw.item, raw.source_id)
        try:
            return parse_conversation(raw, self.opts, tally)
        except MalformedConversation as exc:
            return Dropped(f"malformed:{exc.reason}", raw, exc.source_id)
        except MessageTooLong:
            return Dropped("message_too_long", raw)


class Select(ConversationStep):
    name = "select"

    def one(self, raw: Any, value: Conversation, tally: StepCounters) -> Conversation | Dropped:
        reason = rejection_reason(value, self.cfg.select)
        return Dropped(reason, raw, value.id) if reason else value


class Convert(ConversationStep):
    name = "convert"

    def __init__(self, cfg: Config) -> None:
        super().__init__(cfg)
        # The per-agent secret unless privacy.id_salt is set (dsbuild/secret.py); never written.
        self.id_key = privacy_key(cfg.agent, cfg.privacy.id_salt)

    def one(self, raw: Any, value: Conversation, tally: StepCounters) -> ChatRecord | Dropped:
        cid = conversation_id(self.cfg.agent or "", value.id, self.id_key)
        record = to_record(value, cid, self.cfg.select, self.cfg.convert, tally)
        return Dropped(record, raw, value.id) if isinstance(record, str) else record


class Scrub(ConversationStep):
    """PII, over the batch's records at once (the analyzer batches its NER calls)."""

    name = "pii"

    def __init__(self, cfg: Config, pii: PiiSettings | None) -> None:
        super().__init__(cfg)
        self.pii = pii
        self._scrubber: PiiScrubber | None = None  # built on first use, in the worker
        self.taken: TakenNumbers | None = None  # no fake may be one of these (learn_export)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_scrubber": None}

    def warm_up(self) -> None:
        self.scrubber()

    def start_helpers(self) -> None:
        detector_for(self._languages())  # the language models load in a helper from now on

    def learn_export(self, taken: TakenNumbers | None) -> None:
        self.taken = taken

    def _languages(self) -> tuple[str, ...]:
        return self.pii.languages if self.pii is not None else check_languages(self.cfg.pii.languages)

    def scrubber(self) -> PiiScrubber | None:
        if self.pii is not None and self._scrubber is None:
            detector_for(self._languages())  # its models load in the background meanwhile
            from dsbuild.stages.pii.scrubber import PiiScrubber  # heavy: only where it runs

            self._scrubber = PiiScrubber(self.pii)
        return self._scrubber

    def run(self, raws: Sequence[Any], values: list[Any], tally: StepCounters) -> list[Any]:
        scrubber = self.scrubber()
        if scrubber is None:  # no PII stage: the language is still detected, for the card
            detector = detector_for(self._languages())
            assign_languages([v for v in values if isinstance(v, ChatRecord)], detector, tally)
            return values
        # the scrubber detects each record's language and analyses by language
        idx = [i for i, v in enumerate(values) if isinstance(v, ChatRecord)]
        # a conversation's position in the export indexes its surrogates (see Batch)
        start = raws.start if isinstance(raws, Batch) else 0
        scrubbed = scrubber.scrub_batch([values[i] for i in idx], tally, [start + i for i in idx],
                                        self.taken)
        out = list(values)
        for i, res in zip(idx, scrubbed):
            out[i] = Dropped(res, raws[i], values[i].source_id) if isinstance(res, str) else res
        return out


class ConversationProcessor:
    """Maps a batch of raw items to outcomes, in order, through ``steps``."""

    def __init__(self, cfg: Config, pii: PiiSettings | None = None,
                 steps: Sequence[ConversationStep] | None = None) -> None:
        self.cfg = cfg
        self.pii = pii
        self.steps = list(steps) if steps is not None else default_steps(cfg, pii)

    def warm_up(self) -> None:
        for step in self.steps:
            step.warm_up()

    def start_helpers(self) -> None:
        for step in self.steps:
            step.start_helpers()

    def learn_export(self, taken: TakenNumbers | None) -> None:
        for step in self.steps:
            step.learn_export(taken)

    def __call__(self, batch: Sequence[Any]) -> tuple[list[Outcome], RunCounters]:
        counters = RunCounters()
        values: list[Any] = list(batch)
        for step in self.steps:
            tally = counters.step(step.name)
            start = time.perf_counter()
            values = step.run(batch, values, tally)
            tally.add_seconds(time.perf_counter() - start)
        return values, counters


def default_steps(cfg: Config, pii: PiiSettings | None) -> list[ConversationStep]:
    """The per-conversation steps, in order (the one list to edit to add one)."""
    return [Parse(cfg), Select(cfg), Convert(cfg), Scrub(cfg, pii)]
