"""The nesting bound is exact: strings (with brackets, quotes and escapes in them) never count,
wherever the reader's chunks happen to split the text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsbuild.jsondepth import DepthScanner, TooDeep, check_depth

_TEXT = st.text(alphabet=st.sampled_from(list('ab"\\[]{}\n\u00e9\ud83d/')), max_size=12)
_VALUES = st.recursive(st.one_of(st.none(), st.integers(), _TEXT),
                       lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_TEXT, kids, max_size=3),
                       max_leaves=25)


def _depth(v: Any) -> int:
    if isinstance(v, list):
        return 1 + max(map(_depth, v), default=0)
    if isinstance(v, dict):
        return 1 + max(map(_depth, v.values()), default=0)
    return 0


def _scan(data: bytes, cuts: list[int], limit: int) -> None:
    s = DepthScanner(limit)
    last = 0
    for c in sorted(c % (len(data) + 1) for c in cuts):
        s.feed(data[last:c])
        last = c
    s.feed(data[last:])


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.lists(st.integers(0, 10**6), max_size=6), st.booleans())
def test_the_scanner_measures_the_real_depth(value: Any, cuts: list[int], ascii_only: bool) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    depth = _depth(value)
    _scan(data, cuts, depth)  # at the limit: fine
    if depth:
        with pytest.raises(TooDeep):
            _scan(data, cuts, depth - 1)


def test_a_real_export_is_far_below_the_limit() -> None:
    from dsbuild.samples import demo_export_path

    check_depth(demo_export_path().read_bytes())
    with pytest.raises(TooDeep):
        check_depth(b'{"data": [' + b'{"a": ' * 300 + b"1" + b"}" * 300 + b"]}")
