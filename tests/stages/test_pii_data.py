"""The shipped PII data (name lexicon, surrogate pools) is what the generator makes from Faker."""

from __future__ import annotations

import importlib

import pytest

from dsbuild.stages.pii import build_data, packaged
from dsbuild.stages.pii.names import POOL_EXCLUDE, _data, name_lexicon

faker = pytest.importorskip("faker")


@pytest.fixture(scope="module")
def same_faker() -> None:
    if faker.VERSION != _data()["faker"]:
        pytest.skip(f"the data was built with Faker {_data()['faker']}, this is {faker.VERSION}")


def test_shipped_file_is_what_the_script_produces(same_faker: None) -> None:
    assert build_data.DATA_FILE.read_bytes() == packaged.encode(build_data.build()), \
        "stale: run python -m dsbuild.stages.pii.build_data"


def test_lexicon_is_the_one_faker_locale_modules_give(same_faker: None) -> None:
    """The same sets the run-time import of every locale module built before."""
    first: set[str] = set()
    last: set[str] = set()
    for loc in build_data.LEXICON_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:  # a locale this Faker does not have
            continue
        for attr, bucket in (("first_names", first), ("first_names_male", first),
                             ("first_names_female", first), ("last_names", last)):
            values = getattr(provider, attr, None) or ()
            bucket.update(v.casefold() for v in (values.keys() if isinstance(values, dict)
                                                 else values) if isinstance(v, str) and len(v) >= 2)
    assert name_lexicon() == (frozenset(first - POOL_EXCLUDE), frozenset(last - POOL_EXCLUDE))


def test_data_is_small_and_pools_are_large() -> None:
    assert build_data.DATA_FILE.stat().st_size < 400_000
    for lang, pool in _data()["pools"].items():
        for kind in ("first", "last", "streets", "cities", "companies"):
            assert len(pool[kind]) >= 200, (lang, kind)
        for kind in ("first", "last"):  # a fake "Will" would read as a word
            assert not {v.casefold() for v in pool[kind]} & POOL_EXCLUDE, (lang, kind)
