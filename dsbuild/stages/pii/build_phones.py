"""Regenerate ``phone_prefixes.json.gz``, the fake phone numbers' prefix tables (a development tool).

    python -m dsbuild.stages.pii.build_phones            # rewrite the shipped file
    python -m dsbuild.stages.pii.build_phones --check    # exit 1 if it is out of date

For every country code of :data:`COUNTRIES` (the regions of the PII languages and the default
``pii.phone_regions``), every national length, and every kind of number (type and grouping)
that a number starting with any three digits can be, the table
:func:`~dsbuild.stages.pii.phones.prefix_table` computes, exactly (the file records the
``phonenumbers`` version; with another one the tables are computed at run time, as for any
other country). About 15 s; a run reads the file in a millisecond.
"""

from __future__ import annotations

import sys
from pathlib import Path

import phonenumbers

from dsbuild.stages.pii import packaged
from dsbuild.stages.pii.langdata import LANGUAGES, lang_data
from dsbuild.stages.pii.phones import (
    _SUFFIX_DIGITS,
    PREFIX_DIGITS,
    PREFIX_FILE,
    Kind,
    _candidate_kind,
    encode_table,
    prefix_table,
    table_key,
)
from dsbuild.stages.pii.settings import PiiSettings

DATA_FILE = Path(__file__).with_name(PREFIX_FILE)
COUNTRIES = tuple(sorted({phonenumbers.country_code_for_region(r) for r in
                          (*(lang_data(lang).region for lang in LANGUAGES), *PiiSettings.phone_regions)}))


def national_lengths(country_code: int) -> list[int]:
    """The possible national lengths of the country code's numbers that have free digits."""
    out: set[int] = set()
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is not None and meta.general_desc is not None:
            out.update(meta.general_desc.possible_length or ())
    return sorted(n for n in out if n > PREFIX_DIGITS + 2)


def kinds(country_code: int, length: int) -> set[Kind]:
    """The kinds of the valid numbers among the candidates :func:`prefix_table` tries."""
    out: set[Kind] = set()
    for p in range(10 ** PREFIX_DIGITS):
        for d in _SUFFIX_DIGITS:
            found = _candidate_kind(country_code, str(p).zfill(PREFIX_DIGITS) + d * (length - PREFIX_DIGITS))
            if found is None:
                break
            if found[0] != phonenumbers.PhoneNumberType.UNKNOWN:
                out.add(found)
    return out


def build() -> dict[str, object]:
    tables = {table_key(cc, kind, n): encode_table(prefix_table(cc, kind, n))
              for cc in COUNTRIES for n in national_lengths(cc) for kind in kinds(cc, n)}
    return {"phonenumbers": phonenumbers.__version__, "countries": list(COUNTRIES),
            "tables": sorted(tables.items())}


def main(argv: list[str] | None = None) -> int:
    return packaged.write_or_check(build, DATA_FILE, (__doc__ or "").split("\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
