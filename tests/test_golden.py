"""The same input and config give byte-identical outputs to the code before issue 14.

``tests/golden/golden.json`` holds the sha256 of every file of four builds made by the code on
main before the steps/config refactor landed (re-recorded from main at each merge, since other
branches change the output on purpose: ``python tests/golden/cases.py OUT.json WORKDIR`` run with
that main's code); only the volatile fields listed in :mod:`tests.golden.cases` are normalised.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from dsbuild.cli import main
from dsbuild.samples import demo_export_path
from tests.golden.cases import (
    CASES,
    CONFIG_YAML,
    GOLDEN_ENV,
    NO_PII_YAML,
    case_args,
    digest_tree,
    generated_export,
)

GOLDEN = orjson.loads((Path(__file__).parent / "golden" / "golden.json").read_bytes())


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("golden")
    (work / "golden.yaml").write_text(CONFIG_YAML)
    (work / "no-pii.yaml").write_text(NO_PII_YAML)
    return {"demo": demo_export_path(), "generated": generated_export(work / "gen.json"),
            "config": work / "golden.yaml"}


@pytest.mark.parametrize("name", list(CASES))
def test_build_matches_the_pre_refactor_output(name: str, exports: dict[str, Path],
                                               tmp_path: Path) -> None:
    out = tmp_path / name
    args = case_args(name, exports[CASES[name][0]], out, exports["config"])
    r = CliRunner(env=GOLDEN_ENV).invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert digest_tree(out) == GOLDEN[name]
