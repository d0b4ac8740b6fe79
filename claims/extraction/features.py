"""Check-worthiness features: what makes a sentence worth checking, and what does not.

``reasons(text, language)`` returns the features present in one claim-sized unit, each as
``{"code": str, "weight": float, "evidence": str}``: the code (see ``REASON_LABELS``), its
weight in the score (positive: more check-worthy; negative: less) and the words that
triggered it, so a reviewer can see why a claim ranks where it does.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from claims.extraction import lexicon as lx

REASON_LABELS = {
    "quantity": _("States a number or quantity"),
    "date": _("Mentions a date or time"),
    "person": _("Names a person or office holder"),
    "organisation": _("Names an organisation or institution"),
    "place": _("Names a country or place"),
    "name": _("Contains a proper name or product code"),
    "attribution": _("Attributed statement (someone said or announced it)"),
    "comparison": _("Comparison or superlative"),
    "action": _("Verifiable action in the past tense"),
    "event": _("Reports an event (a death, an attack, an arrest...)"),
    "opinion": _("Opinion or obligation rather than a statement of fact"),
    "hedge": _("Hedged or speculative"),
    "question": _("Question"),
    "exclamation": _("Exclamation"),
    "call": _("Call to action or rhetoric"),
    "first_person": _("The speaker's own view (first person)"),
    "future": _("About the future (cannot be checked yet)"),
    "short": _("Too short to check on its own"),
    "model": _("Learned model's estimate"),
    "learned": _("Learned model's estimate (trained on labelled check-worthiness data)"),
}

WEIGHTS = {
    "quantity": 1.0,
    "date": 0.6,
    "person": 0.45,
    "organisation": 0.45,
    "place": 0.35,
    "name": 0.45,
    "attribution": 0.35,
    "comparison": 0.4,
    "action": 0.7,
    "event": 0.5,
    "opinion": -1.0,
    "hedge": -0.6,
    "question": -1.4,
    "exclamation": -0.6,
    "call": -1.0,
    "first_person": -0.3,
    "future": -0.3,
    "short": -0.8,
}

DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
# A number on its own, not the digits of a code like F-35 or PAC-3.
NUMBER = re.compile(rf"(?<![\w\-])[{DIGITS}]+(?:[.,٫٬][{DIGITS}]+)*(?:\s?[%٪])?")
TO_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A word as written, diacritics and tatweel included (to quote the evidence as in the text).
WRITTEN_WORD = re.compile(r"(?:[^\W_]|[\u064b-\u0652\u0670\u0640])+(?:['’][^\W_]+)*")
LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*")
LATIN_TOKEN = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*")
FIRST_WORD = re.compile(r"[\W_]*\w+")
ENGLISH_CALL = re.compile(
    r"\b(?:let's|let us|we must|we need to|we should|we have to|join us|stand with)\b"
)
LINKS = re.compile(r"(?:https?://|www\.)\S+|@\w+")
SHORT_WORDS = 5
NOT_NAMES = frozenset({"I", "I'm", "I've", "OK"}) | lx.SENTENCE_STARTERS


# Entities: each further distinct name adds this much, up to ENTITY_MAX_EXTRA more names.
ENTITY_CODES = frozenset({"person", "organisation", "place", "name"})
ENTITY_EXTRA = 0.15
ENTITY_MAX_EXTRA = 2
US_NORMALISED = lx.normalize_arabic("الولايات المتحدة")


class _Written:
    """Maps a normalised, lower-case token back to the word as written (built on first use,
    with one regex pass and one ``translate`` for the whole unit)."""

    __slots__ = ("text", "words")

    def __init__(self, text: str):
        self.text = text
        self.words: dict[str, str] | None = None

    def __call__(self, token: str) -> str:
        if token == US_NORMALISED:
            return "الولايات المتحدة"
        if self.words is None:
            written = WRITTEN_WORD.findall(self.text)
            normalised = lx.normalize_arabic("\x00".join(written)).lower().split("\x00")
            # First occurrence wins.
            self.words = dict(zip(reversed(normalised), reversed(written), strict=False))
        return self.words.get(token, token)


def _names(text: str, language: str) -> list[str]:
    if language == "ar" or not language:
        found = LATIN_TOKEN.findall(text)
    else:
        first = FIRST_WORD.match(text)
        skip_until = first.end() if first else 0
        found = [
            m.group()
            for m in LATIN_NAME.finditer(text)
            if m.start() >= skip_until and m.group() not in NOT_NAMES
        ]
    seen = []
    for name in found:
        if name not in seen:
            seen.append(name)
            if len(seen) == 3:
                break
    return seen


def _build_lexicon() -> dict[str, tuple[str, ...]]:
    """One table: token -> the feature codes it signals (so a unit needs one set
    intersection, not one per word list)."""
    table: dict[str, list[str]] = {}
    for code, words in LEXICAL_FEATURES:
        for word in words:
            codes = table.setdefault(word, [])
            if code not in codes:
                codes.append(code)
    return {word: tuple(codes) for word, codes in table.items()}


LEXICAL_FEATURES = [
    ("quantity", lx.ARABIC_QUANTITY | lx.ENGLISH_QUANTITY),
    ("date", lx.ARABIC_DATE | lx.ENGLISH_DATE),
    ("person", lx.ARABIC_PERSON | lx.ENGLISH_PERSON),
    ("organisation", lx.ARABIC_ORGANISATION | lx.ENGLISH_ORGANISATION),
    ("place", lx.ARABIC_PLACE),
    ("attribution", lx.ARABIC_ATTRIBUTION | lx.ENGLISH_ATTRIBUTION),
    ("comparison", lx.ARABIC_COMPARISON | lx.ENGLISH_COMPARISON),
    ("action", lx.ARABIC_ACTION | lx.ENGLISH_ACTION),
    ("event", lx.ARABIC_EVENT | lx.ENGLISH_EVENT),
    ("opinion", lx.ARABIC_OPINION | lx.ENGLISH_OPINION),
    ("hedge", lx.ARABIC_HEDGE | lx.ENGLISH_HEDGE),
    ("call", lx.ARABIC_CALL),
    ("future", lx.ARABIC_FUTURE | lx.ENGLISH_FUTURE),
    ("first_person", lx.ARABIC_FIRST_PERSON | lx.ENGLISH_FIRST_PERSON),
]
LEXICON = _build_lexicon()
LEXICON_WORDS = frozenset(LEXICON)


def reasons(text: str, language: str) -> list[dict]:
    """The features of one unit, strongest first."""
    if "http" in text or "www." in text or "@" in text:
        # Links and handles are neither names nor numbers.
        text = LINKS.sub(" ", text)
    norm = lx.normalize_arabic(text)
    lowered = norm.lower()
    tokens = TOKEN.findall(lowered)
    hits = LEXICON_WORDS.intersection(tokens)
    found: dict[str, list[str]] = {}
    if hits:
        for token in tokens:
            if token in hits:
                for code in LEXICON[token]:
                    words = found.setdefault(code, [])
                    if token not in words:
                        words.append(token)
    if US_NORMALISED in norm:
        found.setdefault("place", []).insert(0, US_NORMALISED)
    as_written = _Written(text)
    out: list[tuple[str, str]] = []

    def lexical(code: str) -> None:
        words = found.get(code)
        if words:
            keep = 1 + ENTITY_MAX_EXTRA if code in ENTITY_CODES else 1
            out.append((code, ", ".join(as_written(w) for w in words[:keep])))

    numbers = NUMBER.findall(text)
    years = [n for n in numbers if YEAR.fullmatch(n.translate(TO_ASCII_DIGITS))]
    quantities = [n for n in numbers if n not in years]
    if quantities:
        out.append(("quantity", quantities[0].strip()))
    else:
        lexical("quantity")
    if years:
        out.append(("date", years[0]))
    else:
        lexical("date")
    lexical("person")
    lexical("organisation")
    lexical("place")
    names = _names(text, language)
    if names:
        out.append(("name", ", ".join(names)))
    lexical("attribution")
    lexical("comparison")
    lexical("action")
    lexical("event")
    lexical("opinion")
    lexical("hedge")
    if "?" in text or "؟" in text:
        out.append(("question", "?" if "?" in text else "؟"))
    elif tokens and tokens[0] in lx.ARABIC_QUESTION_START:
        out.append(("question", tokens[0]))
    if "!" in text:
        out.append(("exclamation", "!"))
    call = ENGLISH_CALL.search(lowered) if language != "ar" else None
    if call:
        out.append(("call", call.group()))
    else:
        lexical("call")
    lexical("future")
    lexical("first_person")
    if len(tokens) < SHORT_WORDS:
        out.append(("short", str(len(tokens))))

    result = []
    for code, evidence in out:
        weight = WEIGHTS[code]
        if code in ENTITY_CODES:
            weight += ENTITY_EXTRA * evidence.count(", ")
        result.append({"code": code, "weight": round(weight, 3), "evidence": evidence})
    result.sort(key=lambda r: -abs(r["weight"]))
    return result
