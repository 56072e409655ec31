"""The same input and config give byte-identical outputs to the recorded ones.

The cases, what is normalised and how to re-record ``tests/golden/golden.json`` on purpose are
in :mod:`tests.golden.cases`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.golden.cases import CASES, FETCH_CASES, load_golden, run_case, write_inputs

GOLDEN = load_golden()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden-in")
    write_inputs(root)
    return root


def test_every_case_is_recorded() -> None:
    assert set(GOLDEN) == {*CASES, *FETCH_CASES}


@pytest.mark.parametrize("name", [*CASES, *FETCH_CASES])
def test_output_is_byte_identical_to_the_recorded_one(name: str, inputs: Path, tmp_path: Path) -> None:
    got: dict[str, Any] = run_case(name, inputs, tmp_path)
    want = GOLDEN[name]
    assert got.get("manifest") == want.get("manifest")  # the readable part first
    assert got["files"] == want["files"]
