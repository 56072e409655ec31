"""The PII stage: a batch of ChatRecords in, scrubbed records (or a drop reason) out."""

from __future__ import annotations

from dsbuild.counters import Tally
from dsbuild.hashing import content_digest
from dsbuild.records import ChatMessage, ChatRecord
from dsbuild.stages.language import assign_languages, detector_for
from dsbuild.stages.pii.analyze import TextAnalyzer
from dsbuild.stages.pii.known import KnownValues
from dsbuild.stages.pii.pseudonyms import Pseudonymizer
from dsbuild.stages.pii.repeated_names import repeated_names
from dsbuild.stages.pii.residual import residual_hit
from dsbuild.stages.pii.settings import PiiSettings
from dsbuild.stages.pii.spans import Span, resolve
from dsbuild.stages.pii.taken import TakenNumbers


class PiiScrubber:
    def __init__(self, settings: PiiSettings):
        self.s = settings
        # the detector's models load in another process (or a thread) while the NER pipeline
        # loads here; both are ready when this returns (a pool forks after it)
        self.detector = detector_for(settings.languages)
        self.texts = TextAnalyzer(settings.pipeline_map(), list(settings.phone_regions),
                                  list(settings.allow), settings.cache_size, settings.batch_size)
        self.detector.wait()

    def scrub_batch(self, records: list[ChatRecord], stats: Tally, positions: list[int] | None = None,
                    taken: TakenNumbers | None = None) -> list[ChatRecord | str]:
        """Each record scrubbed in place, or the reason it must not be written. Texts are
        analysed per language (one batched, cached pass each); a record without a language yet
        gets one here. ``positions``: each record's place in the export (by default, in the
        batch), which indexes its surrogates: distinct positions never share a fake while the
        pools last. ``taken``: every lead's numbers in the export, which no fake may be."""
        by_lang: dict[str, list[str]] = {}
        assign_languages(records, self.detector, stats)
        for r in records:
            assert r.language is not None
            by_lang.setdefault(r.language, []).extend(m.content for m in r.messages)
        found = {lang: self.texts.analyze_many(texts, stats, lang) for lang, texts in by_lang.items()}
        if positions is None:
            positions = list(range(len(records)))
        return [self.scrub(r, found[r.language or self.detector.default], stats, position, taken)
                for r, position in zip(records, positions)]

    def scrub(self, record: ChatRecord, found: dict[str, tuple[Span, ...]],
              stats: Tally, position: int = 0, taken: TakenNumbers | None = None) -> ChatRecord | str:
        known = KnownValues(record.lead, record.language)
        # the surrogates are drawn by the conversation's position (distinct conversations get
        # distinct fakes) and keyed by its text; two copies of one conversation get different
        # fakes, so dedup compares the text as it was read too
        digest = content_digest(record.content_key())
        names = Pseudonymizer(self.s.style, self.s.secret, record.language or self.detector.default,
                              scope=digest.hex(), position=position, avoid=known.literals,
                              regions=self.s.phone_regions, taken=taken)
        # every changed record carries its pairs when a review is asked for: the driver keeps the
        # first N in input order, so the sample does not depend on the number of workers
        before = [m.content for m in record.messages] if self.s.review_size else None
        counts: dict[str, int] = {}
        new: list[ChatMessage] = []
        lang = record.language or self.detector.default
        texts = [m.content for m in record.messages]
        again = repeated_names(texts, found, lang)
        for m, more, lead_spans in zip(record.messages, again, known.find_all(texts)):
            if more:
                more = [s for s in more if self.texts.filter.keep(s, m.content, lang)]
            spans = resolve(lead_spans + list(found[m.content]) + more, m.content)
            for s in spans:
                counts[f"{s.source}/{s.type}"] = counts.get(f"{s.source}/{s.type}", 0) + 1
            new.append(ChatMessage(m.role, names.apply(m.content, spans), m.feedback, m.human_agent))
        produced = names.produced()
        for m in new:
            hit = residual_hit(m.content, known, produced, self.texts.filter.allowed)
            if hit:
                stats.add("pii_residual", hit)
                return f"pii_residual:{hit}"
        for k, n in counts.items():
            stats.add("pii", k, n)
        record.messages = new
        record.source_digest = digest
        record.pii_counts = counts
        if before is not None and counts:
            record.review = [(b, m.content) for b, m in zip(before, new) if b != m.content]
        return record
