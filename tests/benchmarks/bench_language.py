"""Language detection on short support-chat text: Lingua (high and low accuracy) vs py3langid.

    .venv/bin/python tests/benchmarks/bench_language.py

The lines are the ones the tests use (tests/stages/test_pii_language.py, 5 per language) plus
5 more per language; a "conversation" is three consecutive lines of one language. Every
detector is restricted to the six languages. py3langid is measured only if it is installed
(it is not a dependency: ``pip install py3langid``).
"""

from __future__ import annotations

import importlib.util
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.stages.test_pii_language import CHAT

MORE = {
    "en": ["hi there", "thanks, that helps", "what time do you open on saturday", "is shipping free", "ok cool"],
    "de": ["hallo", "danke, das hilft", "wann haben Sie samstags geöffnet", "wie setze ich mein Passwort zurück", "ok super"],
    "fr": ["bonjour", "merci, ça m'aide", "vous ouvrez à quelle heure samedi", "comment réinitialiser mon mot de passe", "d'accord merci"],
    "es": ["hola", "gracias, me ayuda", "a qué hora abren el sábado", "la app se cierra sola", "vale gracias"],
    "nl": ["hoi", "bedankt, dat helpt", "hoe laat zijn jullie zaterdag open", "de app crasht steeds", "oke top"],
    "it": ["ciao", "grazie, mi aiuta", "a che ora aprite sabato", "l'app continua a bloccarsi", "va bene grazie"],
}
LINES = {lang: CHAT[lang] + MORE[lang] for lang in CHAT}
LANGS = list(LINES)


def lingua(low: bool) -> Callable[[str], str | None]:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    b = LanguageDetectorBuilder.from_iso_codes_639_1(*[getattr(IsoCode639_1, c.upper()) for c in LANGS])
    det = (b.with_low_accuracy_mode() if low else b.with_preloaded_language_models()).build()

    def detect(text: str) -> str | None:
        found = det.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None
    return detect


def langid() -> Callable[[str], str | None]:
    import py3langid

    py3langid.set_languages(LANGS)
    return lambda text: str(py3langid.classify(text)[0])


def measure(name: str, make: Callable[[], Callable[[str], str | None]]) -> None:
    t0 = time.perf_counter()
    detect = make()
    load = time.perf_counter() - t0
    lines = [(lang, t) for lang in LANGS for t in LINES[lang]]
    convs = [(lang, "\n".join(LINES[lang][i:i + 3])) for lang in LANGS for i in range(0, 10, 2)]
    ok = sum(detect(t) == lang for lang, t in lines)
    cok = sum(detect(t) == lang for lang, t in convs)
    t0 = time.perf_counter()
    for _ in range(20):
        for _, t in convs:
            detect(t)
    ms = (time.perf_counter() - t0) / (20 * len(convs)) * 1000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {name:<22} lines {ok}/{len(lines)}  conversations {cok}/{len(convs)}  "
          f"{ms:.3f} ms/conversation  load {load:.2f} s  peak RSS so far {rss:,.0f} MB")


def main() -> None:
    print("language detection, restricted to " + ", ".join(LANGS))
    measure("lingua low accuracy", lambda: lingua(True))
    measure("lingua high accuracy", lambda: lingua(False))
    if importlib.util.find_spec("py3langid"):
        measure("py3langid", langid)


if __name__ == "__main__":
    main()
