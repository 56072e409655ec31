"""Drop records over a token budget (``--max-tokens``): counted as a drop, never truncated.

Trainers truncate over-long samples silently (TRL ``max_length``) or fail on them; dropping and
counting them is the honest choice. Lengths are counted with a real local tokenizer on the final
(scrubbed) message texts; see :mod:`dsbuild.tokens` for what is and is not counted.
"""

from __future__ import annotations

from dsbuild.config import LengthConfig
from dsbuild.records import ChatRecord
from dsbuild.tokens import TokenCounter, load_tokenizer

REASON = "over_max_tokens"


class LengthFilter:
    def __init__(self, max_tokens: int, counter: TokenCounter):
        self.max_tokens = max_tokens
        self.counter = counter

    def too_long(self, record: ChatRecord) -> bool:
        return self.counter.count([m.content for m in record.messages]) > self.max_tokens


def length_filter(cfg: LengthConfig) -> LengthFilter | None:
    """The filter the config asks for, with its tokenizer loaded (a bad one fails here, early)."""
    if not cfg.max_tokens or not cfg.tokenizer:
        return None
    return LengthFilter(cfg.max_tokens, load_tokenizer(cfg.tokenizer))
