"""When and how long to wait before retrying a request to the Convocore API.

Only transient failures are retried: connection errors, timeouts, a connection dropped
mid-body, 429 and 5xx. Exports are billed against a monthly quota, so 400/401/403/404 and any
quota or plan error are never retried. Waits grow exponentially with jitter, honour the
server's ``Retry-After`` (seconds or an HTTP date), and are bounded by both an attempt count and
a total time budget.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import parsedate_to_datetime

_QUOTA_WORDS = re.compile(r"\b(quota|plan|paid|billing|hasEverPaid|subscription)\b", re.IGNORECASE)


def is_quota_message(*texts: object) -> bool:
    """Whether an error's message or code talks about the export quota or the paid plan."""
    return any(isinstance(t, str) and _QUOTA_WORDS.search(t.replace("_", " ")) for t in texts)


def retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


@dataclass
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    total_seconds: float = 600.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Wait after failed attempt ``attempt`` (1-based): exponential, 'equal jitter'."""
        cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return float(cap / 2 + self.rng.uniform(0, cap / 2))


class RetryState:
    """Tracks one request's attempts against a policy."""

    def __init__(self, policy: RetryPolicy):
        self.policy = policy
        self.attempt = 0
        self.started = policy.clock()
        self.last_wait: float = 0.0
        self.gave_up_reason = ""

    def next_wait(self, retry_after: float | None = None) -> float | None:
        """The wait before the next attempt, or None when attempts or time are used up."""
        p = self.policy
        if self.attempt >= p.max_attempts:
            self.gave_up_reason = f"gave up after {self.attempt} attempts"
            return None
        wait = p.backoff(self.attempt)
        if retry_after is not None:
            wait = max(retry_after, 0.0)
        elapsed = p.clock() - self.started
        if elapsed + wait > p.total_seconds:
            self.gave_up_reason = (f"gave up after {self.attempt} attempts in {elapsed:.0f}s"
                                   f" (next wait {wait:.0f}s would pass the {p.total_seconds:.0f}s"
                                   " retry budget)")
            return None
        self.last_wait = wait
        return wait

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.policy.sleep(seconds)

