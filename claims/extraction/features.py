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
    "opinion": _("Opinion or obligation rather than a statement of fact"),
    "hedge": _("Hedged or speculative"),
    "question": _("Question"),
    "exclamation": _("Exclamation"),
    "call": _("Call to action or rhetoric"),
    "first_person": _("The speaker's own view (first person)"),
    "future": _("About the future (cannot be checked yet)"),
    "short": _("Too short to check on its own"),
    "model": _("Learned model's estimate"),
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
SHORT_WORDS = 5
NOT_NAMES = frozenset({"I", "I'm", "I've", "OK"}) | lx.SENTENCE_STARTERS


# Entities: each further distinct name adds this much, up to ENTITY_MAX_EXTRA more names.
ENTITY_CODES = frozenset({"person", "organisation", "place", "name"})
ENTITY_EXTRA = 0.15
ENTITY_MAX_EXTRA = 2
US_NORMALISED = lx.normalize_arabic("الولايات المتحدة")


def _hits_in_order(tokens: list[str], found: set[str]) -> list[str]:
    out = []
    for token in tokens:
        if token in found and token not in out:
            out.append(token)
    return out


def _as_written(text: str, token: str) -> str:
    """``token`` (normalised, lower case) as it is written in ``text``."""
    if token == US_NORMALISED:
        return "الولايات المتحدة"
    for word in WRITTEN_WORD.findall(text):
        if lx.normalize_arabic(word).lower() == token:
            return word
    return token


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


def reasons(text: str, language: str) -> list[dict]:
    """The features of one unit, strongest first."""
    norm = lx.normalize_arabic(text)
    tokens = TOKEN.findall(norm.lower())
    present = set(tokens)
    out: list[tuple[str, str]] = []

    def lexical(code: str, *words: frozenset[str]) -> bool:
        for lexicon in words:
            hits = present & lexicon
            if hits:
                ordered = _hits_in_order(tokens, hits)[: 1 + ENTITY_MAX_EXTRA]
                if code not in ENTITY_CODES:
                    ordered = ordered[:1]
                out.append((code, ", ".join(_as_written(text, h) for h in ordered)))
                return True
        return False

    numbers = NUMBER.findall(text)
    years = [n for n in numbers if YEAR.fullmatch(n.translate(TO_ASCII_DIGITS))]
    quantities = [n for n in numbers if n not in years]
    if quantities:
        out.append(("quantity", quantities[0].strip()))
    else:
        lexical("quantity", lx.ARABIC_QUANTITY, lx.ENGLISH_QUANTITY)
    if years:
        out.append(("date", years[0]))
    else:
        lexical("date", lx.ARABIC_DATE, lx.ENGLISH_DATE)
    lexical("person", lx.ARABIC_PERSON, lx.ENGLISH_PERSON)
    lexical("organisation", lx.ARABIC_ORGANISATION, lx.ENGLISH_ORGANISATION)
    places = _hits_in_order(tokens, present & lx.ARABIC_PLACE)
    if US_NORMALISED in norm:
        places.insert(0, US_NORMALISED)
    if places:
        out.append(("place", ", ".join(_as_written(text, p) for p in places[:3])))
    names = _names(text, language)
    if names:
        out.append(("name", ", ".join(names)))
    lexical("attribution", lx.ARABIC_ATTRIBUTION, lx.ENGLISH_ATTRIBUTION)
    lexical("comparison", lx.ARABIC_COMPARISON, lx.ENGLISH_COMPARISON)
    lexical("action", lx.ARABIC_ACTION, lx.ENGLISH_ACTION)

    lexical("opinion", lx.ARABIC_OPINION, lx.ENGLISH_OPINION)
    lexical("hedge", lx.ARABIC_HEDGE, lx.ENGLISH_HEDGE)
    if "?" in text or "؟" in text:
        out.append(("question", "?" if "?" in text else "؟"))
    elif tokens and tokens[0] in lx.ARABIC_QUESTION_START:
        out.append(("question", tokens[0]))
    if "!" in text:
        out.append(("exclamation", "!"))
    call = ENGLISH_CALL.search(norm.lower()) if language != "ar" else None
    if call:
        out.append(("call", call.group()))
    else:
        lexical("call", lx.ARABIC_CALL)
    lexical("future", lx.ARABIC_FUTURE, lx.ENGLISH_FUTURE)
    lexical("first_person", lx.ARABIC_FIRST_PERSON, lx.ENGLISH_FIRST_PERSON)
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
