"""Earlier fact-checks from ClaimReview JSON-LD and Google Fact Check Tools responses.

Both shapes become *records*: plain dicts whose keys are FactCheck fields (``claim_text``,
``claimant``, ``claim_date``, ``rating``, ``rating_value``, ``best_rating``, ``worst_rating``,
``publisher_name``, ``publisher_site``, ``url``, ``title``, ``language``, ``review_date``,
``origin``, ``raw``). Shared by the ``factcheck`` provider and ``import_claimreviews``.

Every field of the source data is optional; an item is usable when it has an http(s) URL and
some text to show as the claim (the claim itself, or failing that the review's title).
No ORM access here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from django.utils.dateparse import parse_date, parse_datetime

CLAIMREVIEW_TYPES = {"claimreview"}
_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")


class ClaimReviewFormatError(ValueError):
    """The document is not a ClaimReview JSON-LD document nor a claims:search response."""


@dataclass
class ParseResult:
    records: list[dict] = field(default_factory=list)
    # One line per item that was left out, saying why.
    skipped: list[str] = field(default_factory=list)


def parse_when(value) -> datetime | None:
    """ISO 8601 date or date-time -> aware UTC datetime; None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            day = parse_date(value[:10])
        except ValueError:
            day = None
        if day is None:
            return None
        parsed = datetime.combine(day, time.min)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _text(value) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _http_url(value) -> str:
    url = _text(value)
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return url
    return ""


def _site(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _first(value):
    """JSON-LD allows a single value or a list of values almost everywhere."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _strip_prefixes(obj):
    """``schema:claimReviewed`` / ``http://schema.org/claimReviewed`` -> ``claimReviewed``."""
    if isinstance(obj, list):
        return [_strip_prefixes(item) for item in obj]
    if not isinstance(obj, dict):
        return obj
    out = {}
    for key, value in obj.items():
        for prefix in _SCHEMA_PREFIXES:
            if key.startswith(prefix):
                key = key[len(prefix) :]
                break
        out[key] = _strip_prefixes(value)
    return out


def _types(obj: dict) -> set[str]:
    raw = obj.get("@type", [])
    raw = raw if isinstance(raw, list) else [raw]
    types = set()
    for item in raw:
        if isinstance(item, str):
            for prefix in _SCHEMA_PREFIXES:
                item = item.removeprefix(prefix)
            types.add(item.lower())
    return types


def _name(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("alternateName"))
    return _text(value)


def _language(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("alternateName")) or _text(value.get("name"))
    return _text(value)


def _usable(record: dict, where: str, skipped: list[str]) -> bool:
    if not record["url"]:
        skipped.append(f"{where}: no http(s) URL")
        return False
    if not record["claim_text"]:
        record["claim_text"] = record["title"]
    if not record["claim_text"]:
        skipped.append(f"{where} ({record['url']}): no claim text nor title")
        return False
    return True


# ---------------------------------------------------------------- ClaimReview JSON-LD


def _find_claimreviews(node, found: list[dict]) -> None:
    """Collect ClaimReview objects: top level, in lists, in ``@graph``, or nested."""
    if isinstance(node, list):
        for item in node:
            _find_claimreviews(item, found)
        return
    if not isinstance(node, dict):
        return
    if CLAIMREVIEW_TYPES & _types(node):
        found.append(node)
        return
    for key, value in node.items():
        if key == "@context":
            continue
        if isinstance(value, dict | list):
            _find_claimreviews(value, found)


def record_from_claimreview(item: dict, *, origin: str = "import") -> dict:
    item = _strip_prefixes(item)
    rating = _first(item.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    reviewed = _first(item.get("itemReviewed"))
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    author = _first(item.get("author")) or _first(item.get("publisher"))
    author = author if isinstance(author, dict) else {"name": author}
    url = _http_url(item.get("url")) or _http_url(item.get("@id"))
    author_url = _http_url(author.get("url"))
    rating_value = _number(rating.get("ratingValue"))
    rating_label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if not rating_label and rating_value is not None:
        rating_label = _text(rating.get("ratingValue"))
    return {
        "claim_text": _text(item.get("claimReviewed")),
        "claimant": _name(reviewed.get("author")),
        "claim_date": parse_when(reviewed.get("datePublished")),
        "rating": rating_label,
        "rating_value": rating_value,
        "best_rating": _number(rating.get("bestRating")),
        "worst_rating": _number(rating.get("worstRating")),
        "publisher_name": _name(author),
        "publisher_site": _site(author_url) if author_url else _site(url),
        "url": url,
        "title": _text(item.get("headline")) or _text(item.get("name")),
        "language": _language(item.get("inLanguage")),
        "review_date": parse_when(item.get("datePublished")),
        "origin": origin,
        "raw": item,
    }


def parse_claimreview_jsonld(data, *, origin: str = "import") -> ParseResult:
    found: list[dict] = []
    _find_claimreviews(data, found)
    result = ParseResult()
    for index, item in enumerate(found, start=1):
        record = record_from_claimreview(item, origin=origin)
        if _usable(record, f"ClaimReview #{index}", result.skipped):
            result.records.append(record)
    return result


# ---------------------------------------------------------------- Fact Check Tools claims:search


def is_claims_search_response(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("claims"), list)


def parse_claims_search(data: dict, *, origin: str = "factcheck") -> ParseResult:
    """One record per ``claimReview`` of every claim of a ``claims:search`` response."""
    result = ParseResult()
    for c_index, claim in enumerate(data.get("claims") or [], start=1):
        if not isinstance(claim, dict):
            result.skipped.append(f"claim #{c_index}: not an object")
            continue
        reviews = claim.get("claimReview") or []
        if not isinstance(reviews, list) or not reviews:
            result.skipped.append(f"claim #{c_index}: no claimReview")
            continue
        claim_info = {k: v for k, v in claim.items() if k != "claimReview"}
        for r_index, review in enumerate(reviews, start=1):
            where = f"claim #{c_index} review #{r_index}"
            if not isinstance(review, dict):
                result.skipped.append(f"{where}: not an object")
                continue
            publisher = review.get("publisher")
            publisher = publisher if isinstance(publisher, dict) else {}
            record = {
                "claim_text": _text(claim.get("text")),
                "claimant": _text(claim.get("claimant")),
                "claim_date": parse_when(claim.get("claimDate")),
                "rating": _text(review.get("textualRating")),
                "rating_value": None,
                "best_rating": None,
                "worst_rating": None,
                "publisher_name": _text(publisher.get("name")),
                "publisher_site": _text(publisher.get("site")),
                "url": _http_url(review.get("url")),
                "title": _text(review.get("title")),
                "language": _text(review.get("languageCode")),
                "review_date": parse_when(review.get("reviewDate")),
                "origin": origin,
                "raw": {"claim": claim_info, "claimReview": review},
            }
            if not record["publisher_site"] and record["url"]:
                record["publisher_site"] = _site(record["url"])
            if _usable(record, where, result.skipped):
                result.records.append(record)
    return result


# ---------------------------------------------------------------- files


def parse_factcheck_document(data) -> ParseResult:
    """Records from a decoded JSON document of either shape (or a list of claims:search
    responses). Raises ClaimReviewFormatError when it is neither shape."""
    if is_claims_search_response(data):
        return parse_claims_search(data, origin="import")
    if (
        isinstance(data, list)
        and any(is_claims_search_response(d) for d in data)
        and all(is_claims_search_response(d) or d == {} for d in data)
    ):
        result = ParseResult()
        for page in data:
            part = parse_claims_search(page, origin="import")
            result.records.extend(part.records)
            result.skipped.extend(part.skipped)
        return result
    if isinstance(data, dict) and not data:
        # An empty claims:search answer ({}): valid, but holds nothing.
        return ParseResult()
    if not isinstance(data, dict | list):
        raise ClaimReviewFormatError(
            "Expected a JSON object or list (ClaimReview JSON-LD or a claims:search response),"
            f" got {type(data).__name__}."
        )
    found: list[dict] = []
    _find_claimreviews(data, found)
    if not found:
        raise ClaimReviewFormatError(
            'No ClaimReview found: expected JSON-LD with "@type": "ClaimReview" (an object,'
            ' a list, or an @graph) or a claims:search response with a "claims" list.'
        )
    return parse_claimreview_jsonld(data, origin="import")
