"""Language detection: the script ratio for short or clearly single-script texts, py3langid
for the rest."""

from __future__ import annotations

import re
from functools import lru_cache

ARABIC_LETTER = re.compile(
    r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06fc\u0750-\u077f\ufb50-\ufdfb\ufe70-\ufefc]"
)
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Below this many letters py3langid is unreliable: trust the script instead.
SHORT_TEXT_LETTERS = 40
SAMPLE_CHARS = 5000
# Languages written in Arabic script that py3langid can tell from Arabic on longer texts.
OTHER_ARABIC_SCRIPT_LANGUAGES = frozenset({"fa", "ur", "ps", "ckb", "ug", "sd"})
ARABIC_SCRIPT_LANGUAGES = OTHER_ARABIC_SCRIPT_LANGUAGES | {"ar", "ary", "arz", "apc", "ku"}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def script_ratio(text: str) -> tuple[int, int]:
    """(Arabic letters, Latin letters) in ``text``."""
    return len(ARABIC_LETTER.findall(text)), len(LATIN_LETTER.findall(text))


def detect_language(text: str) -> str:
    """An ISO 639-1 code ("ar", "en", ...) or "" when the text has no letters to go by."""
    sample = text[:SAMPLE_CHARS]
    arabic, latin = script_ratio(sample)
    letters = arabic + latin
    if letters == 0:
        return ""
    if arabic / letters >= 0.5:
        # Arabic script: py3langid tells Arabic from Persian and Urdu on longer texts.
        if arabic < SHORT_TEXT_LETTERS:
            return "ar"
        code, _prob = _identifier().classify(sample)
        return code if code in OTHER_ARABIC_SCRIPT_LANGUAGES else "ar"
    if letters < SHORT_TEXT_LETTERS:
        return "en" if latin else ""
    # Mostly Latin script: identify the language of the Latin part only.
    code, prob = _identifier().classify(ARABIC_LETTER.sub("", sample))
    if code in ARABIC_SCRIPT_LANGUAGES or prob < 0.5:
        return "en"
    return code
