"""The Convocore source: export files and the HTTP API.

* ``export_file``: decode an export (envelope, list, JSONL) into raw items.
* ``parser`` / ``messages``: a raw item → a typed Conversation.
* ``client``: ``GET /v3/agents/{id}/convos/export`` with retries; errors are
  ``ConvocoreApiError`` (a ``RemoteError``, exit 4).
* ``retry``: which failures are retried and how long to wait.
* ``cache``: the raw export cache under ``data/raw/<agent>/`` (pages, index, merged export).
* ``fetch``: the download loop (pagination, resume, incremental) and what ``make`` builds from.
* ``source``: ``RawSource``, the raw items a build consumes and their manifest description.
"""
