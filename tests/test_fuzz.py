"""Issue 12 §7: hostile, structure-aware exports never crash a build (bounded in ``make test``;
``make fuzz`` runs the same property for ten minutes)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_export import check_build, hostile_export


@settings(max_examples=int(os.environ.get("DSBUILD_FUZZ_EXAMPLES", "25")), deadline=None,
          database=None, suppress_health_check=list(HealthCheck))
@given(hostile_export(), st.sampled_from([False, False, False, False, True]))
def test_a_mutated_export_builds_or_is_refused_in_one_line(export: bytes, pii: bool) -> None:
    check_build(export, pii)
