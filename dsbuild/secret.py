"""The per-agent secret that keys ``conversation_id`` and PII surrogates by default.

Without a key, a ``conversation_id`` is only as hard to reverse as the export's id is to guess
(a phone number is guessed in well under a second), and anyone can compute the surrogate of a
candidate email. So the first build of an agent creates 32 random bytes in

    ``$DSBUILD_CONFIG_DIR/secrets/<agent>.key``  (default ``~/.config/dsbuild``, or
    ``$XDG_CONFIG_HOME/dsbuild``; the directory mode 0700, the file 0600)

and later builds on that machine reuse it, so ids are stable across rebuilds and useless to
anyone without the file. It lives in the user's config directory, not beside the data, so that
sharing ``data/`` (outputs and raw cache) never shares the key. ``privacy.id_salt`` or
``DSBUILD_ID_SALT`` override it (teams that rebuild on several machines set the same salt
everywhere). The secret is never printed, logged or written to an output.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dsbuild.errors import UsageError
from dsbuild.safepaths import check_agent_id

ENV_DIR = "DSBUILD_CONFIG_DIR"


def config_dir() -> Path:
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dsbuild"


def secret_path(agent: str) -> Path:
    return config_dir() / "secrets" / f"{agent}.key"


def agent_secret(agent: str) -> str:
    """The agent's secret (hex), created on first use. ``agent`` must be a checked agent id."""
    path = secret_path(check_agent_id(agent))
    try:
        value = path.read_text(encoding="ascii").strip()
        if len(value) >= 32:
            return value
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the agent's id secret ({type(exc).__name__});"
                         " fix its permissions or set privacy.id_salt") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        value = secrets.token_hex(32)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(value + "\n")
        try:
            os.link(tmp, path)  # never replaces a secret another run created meanwhile
        except FileExistsError:
            value = path.read_text(encoding="ascii").strip()
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(f"{path.parent}: cannot create the agent's id secret"
                         f" ({exc.strerror}); set {ENV_DIR} or privacy.id_salt") from None
    return value


def id_key(agent: str, id_salt: str) -> tuple[str, str]:
    """The key for ids and surrogates and how it was chosen (``id_salt`` or ``agent_secret``),
    the latter for the manifest."""
    if id_salt:
        return id_salt, "id_salt"
    return agent_secret(agent), "agent_secret"


def privacy_key(agent: str | None, id_salt: str) -> str:
    """The key itself (see :func:`id_key`); a library build without an agent uses ``_none``."""
    return id_key(agent or "_none", id_salt)[0]
