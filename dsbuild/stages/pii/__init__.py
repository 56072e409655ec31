"""The PII stage: lead-aware Presidio scrubbing.

Order per message: known lead values (:mod:`.known`) → cached, batched text analysis
(:mod:`.analyze`: pattern recognizers gated by cheap checks, spaCy NER via ``nlp.pipe``, chat
boosters, business-text protection) → overlap resolution → consistent pseudonyms
(:mod:`.pseudonyms`) → residual fail-closed scan (:mod:`.residual`).
"""

from typing import Any

from dsbuild.stages.pii.settings import PiiSettings, pii_manifest, pii_settings

__all__ = ["PiiScrubber", "PiiSettings", "pii_manifest", "pii_settings"]


def __getattr__(name: str) -> Any:
    # The scrubber pulls in spaCy and Presidio (seconds): only workers that scrub import it.
    if name == "PiiScrubber":
        from dsbuild.stages.pii.scrubber import PiiScrubber

        return PiiScrubber
    raise AttributeError(name)
