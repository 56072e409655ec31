"""Build ``lang/common_words.txt.gz``: the common words of every PII language, casefolded.

Run once by a maintainer (``python -m dsbuild.stages.pii.build_common_words``); it needs the
``wordfreq`` package, which is NOT a run-time dependency: a run only reads the file. Each line is
``<lang>\\t<word>``; a language keeps its ``TOP`` most frequent alphabetic words. A word that is
also in the name gazetteer stays only when it is frequent (zipf >= ``NAME_ZIPF``: "will",
"mark"); a rarer one ("brandt", "giulia") is a name, not a common word, and is left out so the
rare-name booster (:mod:`.rare_names`) can still see it.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from dsbuild.stages.pii.langdata import LANGUAGES
from dsbuild.stages.pii.names import name_lexicon

TOP = 50_000
NAME_ZIPF = 3.5
OUT = Path(__file__).parent / "lang" / "common_words.txt.gz"


def build(out: Path = OUT) -> int:
    import wordfreq  # build-time only

    first, last = name_lexicon()
    names = first | last
    lines: list[str] = []
    for lang in LANGUAGES:
        kept: list[str] = []
        seen: set[str] = set()
        for w in wordfreq.iter_wordlist(lang):
            w = w.casefold()
            if not w.isalpha() or w in seen:
                continue
            if w in names and wordfreq.zipf_frequency(w, lang) < NAME_ZIPF:
                continue
            seen.add(w)
            kept.append(w)
            if len(kept) >= TOP:
                break
        lines += [f"{lang}\t{w}" for w in sorted(kept)]
    out.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    return len(lines)


if __name__ == "__main__":
    n = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"{n} words written to {OUT}")
