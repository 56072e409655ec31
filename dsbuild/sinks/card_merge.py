"""Merge our dataset card into the one already on the Hub instead of overwriting it.

A pushed card is two parts: YAML metadata and a markdown body. What we write into the body sits
between two HTML comments, so a later push replaces only that section and keeps what the user
wrote around it. In the metadata, the keys that describe the data are ours (size, configs,
task, language, name); every other key the remote card has is kept; tags are the union; a
license already on the Hub stays (the data owner's decision, not a build setting). The
``default`` config is pointed at the files we upload (other configs are kept).
"""

from __future__ import annotations

from typing import Any

from huggingface_hub import DatasetCard, DatasetCardData

BEGIN = "<!-- dsbuild:begin (this section is rewritten by `dsbuild push`; edit outside it) -->"
END = "<!-- dsbuild:end -->"
LICENSE_KEYS = ("license", "license_name", "license_link")
# Tags only the build decides: an old card's claim must not survive a build that did not earn it.
BUILD_TAGS = ("pii-redacted",)


def _section(body: str) -> str:
    body = body.strip("\n")
    if BEGIN in body and END in body:
        body = body[body.index(BEGIN) + len(BEGIN):body.index(END)].strip("\n")
    return f"{BEGIN}\n{body}\n{END}"


def _merge_body(ours: str, remote: str | None) -> str:
    section = _section(ours)
    if not remote or not remote.strip():
        return section + "\n"
    if BEGIN in remote and END in remote:
        head = remote[:remote.index(BEGIN)]
        tail = remote[remote.index(END) + len(END):]
        return f"{head}{section}{tail}"
    # A card the user wrote without us: keep all of it, ours goes after it.
    return f"{remote.rstrip()}\n\n{section}\n"


def _configs(ours: list[dict[str, Any]] | None, remote: list[dict[str, Any]] | None,
             data_files: dict[str, str]) -> list[dict[str, Any]]:
    """Our default config, pointed at the uploaded files; the remote's other configs kept."""
    default = next((c for c in ours or [] if c.get("config_name", "default") == "default"),
                   {"config_name": "default", "default": True})
    default = {**default, "data_files": [{"split": s, "path": p} for s, p in data_files.items()]}
    others = [c for c in (remote or []) if c.get("config_name", "default") != "default"]
    return [default, *others]


def merge_card(ours: str, remote: str | None, data_files: dict[str, str]) -> str:
    """The card to upload: ``ours`` merged into ``remote`` (or ``ours`` alone if there is none).

    ``data_files`` maps split name to its path in the repo.
    """
    our_card = DatasetCard(ours)
    remote_card = DatasetCard(remote) if remote else None
    meta: dict[str, Any] = remote_card.data.to_dict() if remote_card else {}  # type: ignore[no-untyped-call]
    remote_configs = meta.get("configs")
    # dataset_info describes the previous upload's files; it would be stale.
    meta.pop("dataset_info", None)
    ours_meta = our_card.data.to_dict()  # type: ignore[no-untyped-call]
    if remote_card and meta.get("license"):
        for key in LICENSE_KEYS:
            ours_meta.pop(key, None)
    our_tags = ours_meta.get("tags") or []
    tags = [*our_tags, *[t for t in meta.get("tags") or []
                         if t not in our_tags and t not in BUILD_TAGS]]
    meta.update(ours_meta)
    if tags:
        meta["tags"] = tags
    meta["configs"] = _configs(ours_meta.get("configs"), remote_configs, data_files)
    data = DatasetCardData(**meta)
    body = _merge_body(our_card.text, remote_card.text if remote_card else None)
    return f"---\n{data.to_yaml()}\n---\n\n{body}"


def fallback_card(agent: str | None, data_files: dict[str, str]) -> str:
    """A minimal card for an output directory that has none."""
    name = f"{agent} conversations" if agent else "dsbuild dataset"
    data = DatasetCardData(pretty_name=name, task_categories=["text-generation"],
                           tags=["conversational", "dsbuild", "pii-redacted"],
                           configs=_configs(None, None, data_files))
    body = (f"# {name}\n\nBuilt by dsbuild from a Convocore agent's"
            " conversations. `manifest.json` records the settings, versions and counts.\n")
    return f"---\n{data.to_yaml()}\n---\n\n{body}"
