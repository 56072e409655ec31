"""User-facing errors.

Every error a user can cause derives from :class:`DsbuildError` and carries the exit code the
CLI returns. The CLI prints ``str(error)`` as one line, without a traceback (``--debug`` shows it).

* :class:`UsageError` (2): bad flags, bad config file, refusing to overwrite output.
* :class:`InputDataError` (3): the export file is unreadable, not JSON, truncated, or an error
  envelope. A single malformed *conversation* is not an error: it is skipped and counted.
* :class:`RemoteError` (4): the Convocore API or the Hub refused or failed (auth, not found,
  quota, retries exhausted).

Anything else escaping to the CLI is a bug (exit 1).
"""

from __future__ import annotations


class DsbuildError(Exception):
    exit_code = 1


class UsageError(DsbuildError):
    exit_code = 2


class InputDataError(DsbuildError):
    exit_code = 3


class RemoteError(DsbuildError):
    exit_code = 4
