"""`dsbuild push` and `make --push-to-hub` against a fake Hub speaking real HTTP on 127.0.0.1.

The console script runs as a subprocess with ``HF_ENDPOINT`` pointing at the fake (huggingface_hub
reads it at import) and ``HF_HOME`` in a temp dir (no saved login, no shared cache).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from huggingface_hub import DatasetCard

from dsbuild.samples.generate import dump_export, generate_export
from tests.conftest import DSBUILD, run_dsbuild
from tests.fake_hub import FakeHub

TOKEN = "hf_fake_valid_token_do_not_print_0123456789"


@pytest.fixture
def hub():
    with FakeHub(token=TOKEN) as h:
        yield h


def hub_env(hub: FakeHub, tmp_path: Path, token: str | None = TOKEN) -> dict[str, str]:
    env = {"HF_ENDPOINT": hub.url, "HF_HOME": str(tmp_path / "hf_home"),
           "HF_HUB_DISABLE_TELEMETRY": "1", "HUGGING_FACE_HUB_TOKEN": ""}
    env["HF_TOKEN"] = token or ""
    return env


def run_clean(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the console script with only our Hub settings (no token from the caller's env)."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "HF_HOME")}
    full = {**base, **{k: v for k, v in env.items() if v != ""}}
    return subprocess.run([DSBUILD, *args], env=full, text=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build shared by the tests that only push it (pushing never changes it)."""
    base = tmp_path_factory.mktemp("built")
    dump_export(generate_export(60, 7), base / "export.json")
    out = base / "out"
    r = run_dsbuild("make", "--agent", "acme-bot", "--input", str(base / "export.json"),
                    "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    return out


def local_rows(out: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{split}.jsonl").read_text().splitlines()]


def parquet_rows(data: bytes) -> list[dict]:
    return pq.read_table(io.BytesIO(data)).to_pylist()


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("dsbuild: error:")]


def assert_no_secret(token: str, *texts: str) -> None:
    for t in texts:
        assert token not in t
        assert token[:12] not in t


def test_push_round_trips_the_built_dataset_as_private_parquet(hub: FakeHub, built: Path,
                                                                 tmp_path: Path) -> None:
    env = hub_env(hub, tmp_path)
    r = run_clean("push", str(built), "--repo", "acme/support-chats", env=env)
    assert r.returncode == 0, r.stderr
    assert_no_secret(TOKEN, r.stdout, r.stderr)

    repo = hub.repos["acme/support-chats"]
    assert repo.private is True  # private unless --public
    assert hub.calls("create")[0].body["visibility"] == "private"
    assert all(req.authorized for req in hub.requests)
    tree = repo.branches["main"]
    assert {"data/train.parquet", "data/test.parquet", "manifest.json", "README.md"} <= set(tree)
    # What arrived is what was built: same rows, same order, same values.
    for split in ("train", "test"):
        assert parquet_rows(tree[f"data/{split}.parquet"]) == local_rows(built, split)
    assert tree["manifest.json"] == (built / "manifest.json").read_bytes()
    charts = sorted((built / "plots").glob("*.png"))
    assert charts and all(tree[f"plots/{p.name}"] == p.read_bytes() for p in charts)
    # The card names the uploaded files, so `load_dataset(repo)` gets train/test right.
    card = DatasetCard(tree["README.md"].decode())
    files = {f["split"]: f["path"] for f in card.data.configs[0]["data_files"]}
    assert files == {"train": "data/train.parquet", "test": "data/test.parquet"}
    assert card.data.configs[0]["default"] is True
    local_card = DatasetCard((built / "README.md").read_text())
    assert card.data.license == local_card.data.license and card.data.tags == local_card.data.tags
    assert local_card.text.strip().splitlines()[0] in card.text  # our card's body went up
    # the build records PII scrubbing (on by default since the PII stage landed): no warning
    assert "PII scrubbing" not in r.stderr
    assert r.stdout.strip().splitlines()[-1] == f"{hub.url}/datasets/acme/support-chats/commit/{repo.commits[-1].oid}"
    # The conversion went through a private temp cache: nothing landed in HF_HOME.
    some_text = local_rows(built, "train")[0]["messages"][-1]["content"][:40]
    for p in (tmp_path / "hf_home").rglob("*"):
        if p.is_file():
            assert some_text.encode() not in p.read_bytes()


@pytest.fixture(scope="module")
def unscrubbed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build made with ``pii.enabled: false``: its text is written as it came."""
    base = tmp_path_factory.mktemp("unscrubbed")
    dump_export(generate_export(40, 5), base / "export.json")
    (base / "c.yaml").write_text("pii:\n  enabled: false\ncard:\n  plots: false\n")
    r = run_dsbuild("make", "--agent", "acme-bot", "--input", str(base / "export.json"),
                    "--out", str(base / "out"), "--config", str(base / "c.yaml"), "-q")
    assert r.returncode == 0 and "UNSCRUBBED" in r.stderr, r.stderr
    return base / "out"


def test_public_push_of_an_unscrubbed_build_is_refused(hub: FakeHub, unscrubbed: Path,
                                                       tmp_path: Path) -> None:
    assert json.loads((unscrubbed / "manifest.json").read_text())["pii"] == {"enabled": False}
    env = hub_env(hub, tmp_path)
    r = run_clean("push", str(unscrubbed), "--repo", "acme/x", "--public", env=env)
    assert r.returncode == 2, r.stderr
    assert "PII scrubbing was switched off" in r.stderr and "refusing a PUBLIC push" in r.stderr
    assert len(error_lines(r.stderr)) == 1 and "acme/x" not in hub.repos
    # to a private repo it goes, with a warning to review it first
    r = run_clean("push", str(unscrubbed), "--repo", "acme/private", env=env)
    assert r.returncode == 0 and "review it before sharing" in r.stderr, r.stderr
    assert hub.repos["acme/private"].private is True


def test_public_push_of_a_scrubbed_build(hub: FakeHub, built: Path, tmp_path: Path) -> None:
    from datasets import load_dataset

    env = hub_env(hub, tmp_path)
    assert json.loads((built / "manifest.json").read_text())["pii"]["enabled"] is True
    r = run_clean("push", str(built), "--repo", "acme/x", "--public", env=env)
    assert r.returncode == 0, r.stderr
    assert "PII" not in r.stderr
    assert hub.repos["acme/x"].private is False
    tree = hub.repos["acme/x"].branches["main"]
    local = tmp_path / "received"
    for name in ("data/train.parquet", "data/test.parquet"):
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(tree[name])
    ds = load_dataset("parquet", data_files={s: str(local / f"data/{s}.parquet")
                                             for s in ("train", "test")},
                      cache_dir=str(tmp_path / "ds_cache"))
    assert ds["train"].num_rows == len(local_rows(built, "train"))
    assert ds["test"][0] == local_rows(built, "test")[0]


def test_existing_repo_warns_keeps_user_card_and_removes_only_our_stale_split(
        hub: FakeHub, tmp_path: Path, make_export) -> None:
    user_card = ("---\nlicense: mit\nmy_custom_key: keep-me\ntags: [support, pii-redacted]\n---\n\n"
                 "# Our support data\n\n"
                 "Hand-written notes about consent.\n")
    hub.add_repo("acme/chats", private=True, files={
        "README.md": user_card.encode(), "data/test.parquet": b"old", "notes.txt": b"mine"})
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(make_export(n=30)), "--out", str(out),
                    "--eval-ratio", "0", "-q")
    assert r.returncode == 0, r.stderr
    env = hub_env(hub, tmp_path)
    for _ in range(2):  # a second push replaces our section instead of adding another
        r = run_clean("push", str(out), "--repo", "acme/chats", env=env)
        assert r.returncode == 0, r.stderr
        assert "already exists (private)" in r.stderr and "ignores the visibility" in r.stderr
    tree = hub.repos["acme/chats"].branches["main"]
    assert "data/test.parquet" not in tree  # empty split now: our old file is gone
    assert tree["notes.txt"] == b"mine"  # the user's file is untouched
    card = DatasetCard(tree["README.md"].decode())
    # The owner's license and keys stay, their tags are kept beside ours, the sizes are ours.
    assert card.data.license == "mit" and card.data.to_dict()["my_custom_key"] == "keep-me"
    assert "support" in card.data.tags and "conversational" in card.data.tags
    # ...but "pii-redacted" only if this build's own card earned it (the remote one had it).
    ours = DatasetCard((out / "README.md").read_text()).data.tags
    assert ("pii-redacted" in card.data.tags) == ("pii-redacted" in ours)
    assert card.data.size_categories == DatasetCard((out / "README.md").read_text()).data.size_categories
    assert "Hand-written notes about consent." in card.text
    assert card.text.count("dsbuild:begin") == 1
    assert [f["split"] for f in card.data.configs[0]["data_files"]] == ["train"]
    assert hub.repos["acme/chats"].commits[0].deleted == ["data/test.parquet"]


def test_existing_public_repo_is_refused_without_public(hub: FakeHub, built: Path,
                                                        tmp_path: Path) -> None:
    hub.add_repo("acme/open", private=False)
    r = run_clean("push", str(built), "--repo", "acme/open", env=hub_env(hub, tmp_path))
    assert r.returncode == 2
    assert "PUBLIC" in r.stderr and "--public" in r.stderr
    assert len(error_lines(r.stderr)) == 1 and "Traceback" not in r.stderr
    assert not hub.calls("commit")


def test_revision_create_pr_and_commit_message_are_passed_through(hub: FakeHub, built: Path,
                                                                  tmp_path: Path) -> None:
    env = hub_env(hub, tmp_path)
    r = run_clean("push", str(built), "--repo", "acme/c", "--revision", "v2",
                  "--commit-message", "Rebuild with new filters", env=env)
    assert r.returncode == 0, r.stderr
    repo = hub.repos["acme/c"]
    assert "data/train.parquet" in repo.branches["v2"]
    assert "data/train.parquet" not in repo.branches["main"]
    assert repo.commits[-1].summary == "Rebuild with new filters"
    assert hub.calls("branch") and hub.calls("commit")[-1].path.endswith("/commit/v2")

    r = run_clean("push", str(built), "--repo", "acme/c", "--create-pr", env=env)
    assert r.returncode == 0, r.stderr
    assert hub.calls("commit")[-1].query.get("create_pr") == ["1"]
    assert repo.commits[-1].pr == 1
    assert "data/train.parquet" not in repo.branches["main"]  # only the PR has it
    assert r.stdout.strip().splitlines()[-1].endswith("/datasets/acme/c/discussions/1")


def test_no_token_is_a_usage_error_before_anything_is_built_or_sent(hub: FakeHub, built: Path,
                                                                    tmp_path: Path,
                                                                    make_export) -> None:
    env = hub_env(hub, tmp_path, token=None)
    r = run_clean("push", str(built), "--repo", "acme/c", env=env)
    assert r.returncode == 2
    assert r.stderr.strip() == ("dsbuild: error: no Hugging Face token: set HF_TOKEN or run"
                                " `hf auth login` (a write token for the target namespace)")
    out = tmp_path / "never"
    r = run_clean("make", "--agent", "a", "--input", str(make_export()), "--out", str(out),
                  "--push-to-hub", "acme/c", env=env)
    assert r.returncode == 2 and "no Hugging Face token" in r.stderr
    assert not out.exists()
    assert hub.requests == []


@pytest.mark.parametrize("debug", [False, True])
def test_remote_failure_is_exit_4_and_never_prints_the_token(hub: FakeHub, built: Path,
                                                            tmp_path: Path, debug: bool) -> None:
    hub.fail["commit"] = 500
    r = run_clean("push", str(built), "--repo", "acme/c", *(["--debug"] if debug else []),
                  env=hub_env(hub, tmp_path))
    assert_no_secret(TOKEN, r.stdout, r.stderr)
    if debug:
        assert "Traceback" in r.stderr
    else:
        assert r.returncode == 4
        assert len(error_lines(r.stderr)) == 1 and "Traceback" not in r.stderr
        assert "Hub push to acme/c failed: HTTP 500" in error_lines(r.stderr)[0]


def test_rejected_token_is_exit_4_with_a_hint(hub: FakeHub, built: Path, tmp_path: Path) -> None:
    r = run_clean("push", str(built), "--repo", "acme/c", env=hub_env(hub, tmp_path, "hf_wrong"))
    assert r.returncode == 4
    assert "token was rejected" in r.stderr
    assert_no_secret("hf_wrong", r.stdout, r.stderr)


def test_make_push_to_hub_builds_then_pushes(hub: FakeHub, tmp_path: Path, make_export) -> None:
    out = tmp_path / "out"
    r = run_clean("make", "--agent", "a", "--input", str(make_export(n=30)), "--out", str(out),
                  "--push-to-hub", "acme/made", env=hub_env(hub, tmp_path))
    assert r.returncode == 0, r.stderr
    tree = hub.repos["acme/made"].branches["main"]
    assert parquet_rows(tree["data/train.parquet"]) == local_rows(out, "train")
    assert "dsbuild push: created acme/made" in r.stdout


def test_push_of_a_directory_that_is_not_an_output(hub: FakeHub, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_clean("push", str(tmp_path / "empty"), "--repo", "acme/c", env=hub_env(hub, tmp_path))
    assert r.returncode == 2 and "not a dsbuild output" in r.stderr
    r = run_clean("push", str(tmp_path / "empty"), "--repo", "not a repo", env=hub_env(hub, tmp_path))
    assert r.returncode == 2 and "expected namespace/name" in r.stderr


def test_pushed_repo_loads_back_by_hub_id(hub: FakeHub, built: Path, tmp_path: Path) -> None:
    """What the notebooks do with a Hub id: dsbuild.load.load_output downloads and loads it."""
    env = hub_env(hub, tmp_path)
    assert run_clean("push", str(built), "--repo", "acme/nb", env=env).returncode == 0
    code = ("import json, sys; from dsbuild.load import load_output;"
            " ds, m = load_output('acme/nb', cache_dir=sys.argv[1]);"
            " print(json.dumps({s: ds[s].to_list() for s in ds} | {'manifest': m}))")
    full = {**{k: v for k, v in os.environ.items() if k != "HF_TOKEN"}, **env}
    r = subprocess.run([str(Path(DSBUILD).parent / "python"), "-c", code, str(tmp_path / "c")],
                       env=full, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["train"] == local_rows(built, "train") and got["test"] == local_rows(built, "test")
    assert got["manifest"] == json.loads((built / "manifest.json").read_text())


def test_make_push_failure_keeps_the_build_and_says_how_to_retry(hub: FakeHub, tmp_path: Path,
                                                                make_export) -> None:
    hub.fail["commit"] = 503
    out = tmp_path / "out"
    r = run_clean("make", "--agent", "a", "--input", str(make_export(n=20)), "--out", str(out),
                  "--push-to-hub", "acme/c", env=hub_env(hub, tmp_path))
    assert r.returncode == 4
    assert f"retry with `dsbuild push {out} --repo acme/c`" in r.stderr
    assert (out / "train.jsonl").exists() and (out / "manifest.json").exists()


def test_parquet_goes_through_the_lfs_upload_flow_as_on_the_real_hub(hub: FakeHub, built: Path,
                                                                     tmp_path: Path) -> None:
    # The real Hub stores parquet as LFS. Xet (huggingface_hub's default LFS transport when
    # hf_xet is installed) cannot be served here, so the client is told to use basic LFS.
    hub.lfs_suffixes = (".parquet",)
    env = {**hub_env(hub, tmp_path), "HF_HUB_DISABLE_XET": "1"}
    r = run_clean("push", str(built), "--repo", "acme/lfs", env=env)
    assert r.returncode == 0, r.stderr
    assert hub.calls("lfs-batch")
    commit = hub.calls("commit")[-1].body
    assert sorted(x["value"]["path"] for x in commit if x["key"] == "lfsFile") == [
        "data/test.parquet", "data/train.parquet"]
    tree = hub.repos["acme/lfs"].branches["main"]
    for split in ("train", "test"):
        assert parquet_rows(tree[f"data/{split}.parquet"]) == local_rows(built, split)


@pytest.mark.parametrize("fmt", ["parquet", "hf"])
def test_parquet_and_hf_outputs_push_the_same_rows(hub: FakeHub, tmp_path: Path, make_export,
                                                   fmt: str) -> None:
    from dsbuild.report.rows import iter_rows, split_files

    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(make_export(n=40, seed=2)), "--out",
                    str(out), "--format", fmt, "--target", "kto", "--feedback", "any", "-q")
    assert r.returncode == 0, r.stderr
    r = run_clean("push", str(out), "--repo", f"acme/{fmt}", env=hub_env(hub, tmp_path))
    assert r.returncode == 0, r.stderr
    tree = hub.repos[f"acme/{fmt}"].branches["main"]
    for split in ("train", "test"):
        local = list(iter_rows(*split_files(out, split)))
        assert local and parquet_rows(tree[f"data/{split}.parquet"]) == local


def test_an_empty_build_is_not_pushed(hub: FakeHub, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text("[]")
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    r = run_clean("push", str(out), "--repo", "acme/empty", env=hub_env(hub, tmp_path))
    assert r.returncode == 2 and "nothing to push" in r.stderr
    assert "acme/empty" not in hub.repos


def test_token_from_the_saved_login(hub: FakeHub, built: Path, tmp_path: Path) -> None:
    env = hub_env(hub, tmp_path, token=None)
    (tmp_path / "hf_home").mkdir(exist_ok=True)
    (tmp_path / "hf_home" / "token").write_text(TOKEN)  # where `hf auth login` saves it
    r = run_clean("push", str(built), "--repo", "acme/login", env=env)
    assert r.returncode == 0, r.stderr
    assert all(req.authorized for req in hub.requests)
    assert_no_secret(TOKEN, r.stdout, r.stderr)
