"""The shipped phone prefix tables are the ones :func:`prefix_table` computes, and are used."""

from __future__ import annotations

import phonenumbers
import pytest

from dsbuild.stages.pii import build_phones, phones


@pytest.fixture(scope="module")
def shipped() -> dict[str, str]:
    tables = phones._shipped()
    if not tables:
        pytest.skip("the tables were built with another phonenumbers version")
    return tables


def test_file_covers_every_country_and_records_the_version(shipped: dict[str, str]) -> None:
    countries = {int(key.split(":")[0]) for key in shipped}
    assert countries == set(build_phones.COUNTRIES) >= {1, 44, 49, 33, 34, 31, 39}


@pytest.mark.parametrize("value", ["+1 415 555 2671", "+44 20 7946 0958", "+49 30 901820",
                                   "+49 1512 3456789", "+33 6 12 34 56 78", "+31 6 12345678",
                                   "+39 06 6982 1234", "+34 612 345 678"])
def test_shipped_table_equals_the_computed_one(shipped: dict[str, str], value: str) -> None:
    parsed = phones.national_number(value, "")
    assert parsed is not None
    num, nsn = parsed
    key = phones.table_key(num.country_code, phones.kind_of(num), len(nsn))
    assert key in shipped
    assert phones.decode_table(shipped[key]) == phones.prefix_table(
        num.country_code, phones.kind_of(num), len(nsn)) == phones.fake_prefixes(num, nsn)


def test_a_sample_of_the_tables_is_what_the_builder_computes(shipped: dict[str, str]) -> None:
    """Every 32nd table (the whole file: ``python -m dsbuild.stages.pii.build_phones --check``)."""
    for key in sorted(shipped)[::32]:
        cc, kind, groups, length = key.split(":")
        table = phones.prefix_table(int(cc), (int(kind), tuple(map(int, groups.split("-")))), int(length))
        assert phones.decode_table(shipped[key]) == table, key


def test_another_country_is_computed() -> None:
    num = phonenumbers.parse("+48 512 345 678")  # Poland: not shipped
    nsn = phonenumbers.national_significant_number(num)
    assert phones.table_key(48, phones.kind_of(num), len(nsn)) not in phones._shipped()
    assert "512" in phones.fake_prefixes(num, nsn)
