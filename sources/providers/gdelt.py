"""News coverage from the GDELT DOC 2.0 API (``mode=artlist&format=json``).

Quirks handled:
- ``{}`` (or a body with no ``articles``) when nothing matches: no hits;
- errors sent as plain text or HTML, sometimes with status 200 ("Your search contained a
  phrase that was too short", "The specified phrase is too short" -> ProviderError;
  "Please limit requests to one every 5 seconds" -> TransientProviderError);
- invalid JSON escapes in titles (``\\'``, stray backslashes): repaired, then parsed;
- 429 when rate-limited (Retry-After honoured).

GDELT rejects queries with words that are too short and some punctuation, so the query is
rebuilt from the claim's key terms: multi-word names quoted, words under three characters
dropped, at most a few terms, length capped.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from sources.providers.base import Hit, ProviderError, Query, TransientProviderError
from sources.providers.http import api_get, excerpt, require_http_url

logger = logging.getLogger(__name__)

SERVICE = "GDELT"
MAX_RECORDS = 25
MAX_TERMS = 4
MAX_QUERY_CHARS = 200
MIN_WORD_CHARS = 3

# GDELT names languages in English; the ones it translates (and English), to ISO 639-1.
LANGUAGE_CODES = {
    "afrikaans": "af", "albanian": "sq", "arabic": "ar", "armenian": "hy",
    "azerbaijani": "az", "bengali": "bn", "bosnian": "bs", "bulgarian": "bg",
    "catalan": "ca", "chinese": "zh", "croatian": "hr", "czech": "cs", "danish": "da",
    "dutch": "nl", "english": "en", "estonian": "et", "finnish": "fi", "french": "fr",
    "galician": "gl", "georgian": "ka", "german": "de", "greek": "el", "gujarati": "gu",
    "hebrew": "he", "hindi": "hi", "hungarian": "hu", "icelandic": "is",
    "indonesian": "id", "italian": "it", "japanese": "ja", "kannada": "kn", "kazakh": "kk",
    "korean": "ko", "latvian": "lv", "lithuanian": "lt", "macedonian": "mk",
    "malay": "ms", "malayalam": "ml", "marathi": "mr", "mongolian": "mn", "nepali": "ne",
    "norwegian": "no", "persian": "fa", "polish": "pl", "portuguese": "pt",
    "punjabi": "pa", "romanian": "ro", "russian": "ru", "serbian": "sr", "sinhalese": "si",
    "sinhala": "si", "slovak": "sk", "slovenian": "sl", "somali": "so", "spanish": "es",
    "swahili": "sw", "swedish": "sv", "tamil": "ta", "telugu": "te", "thai": "th",
    "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "vietnamese": "vi",
}  # fmt: skip

# Text error messages GDELT sends instead of JSON, and whether a retry can help.
_TRANSIENT_PATTERNS = ("limit requests", "rate limit", "try again", "timed out", "timeout")

_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt]|.|$)', re.DOTALL)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def repair_json_escapes(text: str) -> str:
    """Make GDELT's occasional invalid escapes valid: ``\\'`` -> ``'``, a stray backslash
    before any other character -> a literal backslash. Valid escapes are left alone."""

    def fix(match: re.Match) -> str:
        body = match.group(1)
        if body == "'":
            return "'"
        if len(body) == 5 or (len(body) == 1 and body in '"\\/bfnrt'):
            return match.group(0)
        return "\\\\" + body

    return _ESCAPE.sub(fix, text)


def parse_seendate(value) -> datetime | None:
    """``20240409T123000Z`` -> aware UTC datetime."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if len(w) >= MIN_WORD_CHARS]


def build_query(query: Query) -> str:
    """A query GDELT accepts: quoted multi-word names, no short words, length capped."""
    parts: list[str] = []

    def add(part: str) -> None:
        """Add ``part`` unless it is already there or would not fit in the length cap."""
        if len(parts) >= MAX_TERMS or part.lower() in {p.lower() for p in parts}:
            return
        if len(" ".join([*parts, part])) <= MAX_QUERY_CHARS:
            parts.append(part)

    for term in query.terms:
        all_words = _WORD.findall(term or "")
        words = _words(term or "")
        if len(words) > 1 and len(words) == len(all_words):
            # A multi-word name with only long words: an exact phrase.
            add('"' + " ".join(words) + '"')
        else:
            # A phrase with short words in it would be refused: its long words, loose.
            for word in words:
                add(word)
    if not parts:
        # No usable terms: the longest words of the text (ties keep text order).
        words = _words(query.text or query.claim_text)
        for word in sorted(dict.fromkeys(words), key=len, reverse=True):
            add(word)
    return " ".join(parts)


def _language_code(name) -> str:
    if not isinstance(name, str):
        return ""
    return LANGUAGE_CODES.get(name.strip().lower(), "")


class GdeltProvider:
    name: ClassVar[str] = "gdelt"

    def __init__(
        self,
        *,
        api_url: str,
        max_records: int = MAX_RECORDS,
        client: httpx.Client | None = None,
    ):
        self.api_url = require_http_url(SERVICE, api_url, "SOURCES_GDELT_API")
        self.max_records = max_records
        self.client = client

    @classmethod
    def from_settings(cls) -> GdeltProvider:
        return cls(api_url=settings.SOURCES_GDELT_API)

    def _decode(self, response: httpx.Response) -> dict:
        body = response.text.strip()
        if not body:
            raise TransientProviderError(f"{SERVICE}: the API sent an empty answer.")
        if not body.startswith(("{", "[")):
            # An error message as text or HTML, even with status 200.
            message = excerpt(body)
            if any(p in message.lower() for p in _TRANSIENT_PATTERNS):
                raise TransientProviderError(f"{SERVICE}: {message}", retry_after=5.0)
            raise ProviderError(f"{SERVICE} refused the query: {message}")
        try:
            data = json.loads(body, strict=False)
        except json.JSONDecodeError:
            try:
                data = json.loads(repair_json_escapes(body), strict=False)
            except json.JSONDecodeError as exc:
                raise ProviderError(
                    f"{SERVICE}: the answer is not valid JSON ({exc.msg} at character"
                    f" {exc.pos}): {excerpt(body)!r}"
                ) from None
            logger.info("%s: repaired invalid JSON escapes in the answer.", SERVICE)
        if not isinstance(data, dict):
            raise ProviderError(f"{SERVICE}: expected a JSON object, got {type(data).__name__}.")
        return data

    def search(self, query: Query) -> list[Hit]:
        gdelt_query = build_query(query)
        if not gdelt_query:
            return []
        params = {
            "query": gdelt_query,
            "mode": "artlist",
            "format": "json",
            "maxrecords": self.max_records,
            "sort": "hybridrel",
        }
        response = api_get(SERVICE, self.api_url, params, client=self.client)
        data = self._decode(response)
        articles = data.get("articles") or []
        if not isinstance(articles, list):
            raise ProviderError(f'{SERVICE}: "articles" is not a list.')
        hits = []
        for rank, article in enumerate(articles):
            if not isinstance(article, dict):
                continue
            url = str(article.get("url") or "").strip()
            try:
                parts = urlsplit(url)
            except ValueError:
                continue
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                continue
            language_name = str(article.get("language") or "")
            hits.append(
                Hit(
                    url=url,
                    title=" ".join(str(article.get("title") or "").split()),
                    language=_language_code(language_name),
                    publisher=str(article.get("domain") or ""),
                    domain=str(article.get("domain") or parts.hostname),
                    published_at=parse_seendate(article.get("seendate")),
                    score=1.0 / (1 + rank),
                    provider=self.name,
                    extra={
                        "seendate": article.get("seendate") or "",
                        "url_mobile": article.get("url_mobile") or "",
                        "socialimage": article.get("socialimage") or "",
                        "sourcecountry": article.get("sourcecountry") or "",
                        "language_name": language_name,
                        "gdelt_query": gdelt_query,
                    },
                )
            )
        return hits
