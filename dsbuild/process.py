"""The per-conversation part of the pipeline: parse → select → convert → PII scrub.

:class:`ConversationProcessor` holds only small, picklable settings; heavy resources (the PII
engine) are built lazily inside whichever process runs it, so the same object works in-process,
in a process pool or in a distributed engine's batch map. It maps a batch of raw export items to
outcomes in the same order, plus the counters of that batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dsbuild.config import Config
from dsbuild.convocore.export_file import BadItem
from dsbuild.convocore.parser import MalformedConversation, ParseOptions, parse_conversation
from dsbuild.hashing import conversation_id
from dsbuild.records import ChatRecord, Dropped
from dsbuild.stages.convert import to_record
from dsbuild.stages.language import assign_language, check_languages, detector_for
from dsbuild.stages.pii.settings import PiiSettings
from dsbuild.stages.select import rejection_reason
from dsbuild.stats import Stats

if TYPE_CHECKING:
    from dsbuild.stages.pii.scrubber import PiiScrubber

Outcome = ChatRecord | Dropped


class ConversationProcessor:
    def __init__(self, cfg: Config, pii: PiiSettings | None = None):
        self.cfg = cfg
        self.agent = cfg.agent or ""
        self.parse_opts = ParseOptions(rich_messages=cfg.convert.rich_messages,
                                       strip_html=cfg.convert.strip_html)
        self.pii = pii
        self._scrubber: PiiScrubber | None = None  # built on first use, in the worker

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_scrubber": None}

    def warm_up(self) -> None:
        self.scrubber()

    def scrubber(self) -> PiiScrubber | None:
        if self.pii is not None and self._scrubber is None:
            from dsbuild.stages.pii.scrubber import PiiScrubber  # heavy: only where it runs

            self._scrubber = PiiScrubber(self.pii)
        return self._scrubber

    def process_one(self, item: Any, stats: Stats) -> Outcome:
        if isinstance(item, BadItem):
            return Dropped(item.reason, item.raw)
        try:
            convo = parse_conversation(item, self.parse_opts, stats)
        except MalformedConversation as exc:
            return Dropped(f"malformed:{exc.reason}", item, exc.source_id)
        reason = rejection_reason(convo, self.cfg.select)
        if reason:
            return Dropped(reason, item, convo.id)
        cid = conversation_id(self.agent, convo.id, self.cfg.privacy.id_salt)
        record = to_record(convo, cid, self.cfg.select, self.cfg.convert, stats)
        if isinstance(record, str):
            return Dropped(record, item, convo.id)
        return record

    def __call__(self, batch: Sequence[Any]) -> tuple[list[Outcome], Stats]:
        stats = Stats()
        outcomes = [self.process_one(item, stats) for item in batch]
        scrubber = self.scrubber()
        if scrubber is None:  # no PII stage: the language is still detected, for the card
            detector = detector_for(check_languages(self.cfg.pii.languages))
            for o in outcomes:
                if isinstance(o, ChatRecord):
                    assign_language(o, detector, stats)
        else:  # the scrubber detects each record's language and analyses by language
            idx = [i for i, o in enumerate(outcomes) if isinstance(o, ChatRecord)]
            scrubbed = scrubber.scrub_batch([outcomes[i] for i in idx], stats)  # type: ignore[misc]
            for i, res in zip(idx, scrubbed):
                rec = outcomes[i]
                outcomes[i] = Dropped(res, batch[i], rec.source_id) if isinstance(res, str) else res
        return outcomes, stats
