"""English first names that are everyday words ("will", "may", "grace"): never a name by themselves.

Its own module so that both the per-language data (:mod:`.langdata`) and the lead-field rules
(:mod:`.leadfields`, above it) read one definition without importing each other.
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

# English first names that are everyday words. Other modules (boosters, names) use this set too.
COMMON_WORD_NAMES = frozenset("""
will may grace bill mark rose june april august hope faith joy art sunny summer autumn dawn
rich chance chase drew frank gene guy hunter iris ivy jack jade jean kit lily major miles
pat penny ray reed rob rusty sandy skip sky star sue victor violet wade ward woody young
page paige holly heather amber ruby pearl crystal daisy robin jay wren glen dale ben don
""".split()) | frozenset(STOP_WORDS)
