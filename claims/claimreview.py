"""schema.org ClaimReview for published verdicts (https://schema.org/ClaimReview).

The mapping follows DESIGN.md: AVeriTeC's four labels, ratingValue 5/3/1 (none for
not_enough_evidence), ``alternateName`` in the verdict's language.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from claims.models import Verdict

SCHEMA_ORG = "https://schema.org"
BEST_RATING = 5
WORST_RATING = 1

RATING_VALUES: dict[str, int | None] = {
    Verdict.Label.SUPPORTED: 5,
    Verdict.Label.CONFLICTING: 3,
    Verdict.Label.REFUTED: 1,
    Verdict.Label.NOT_ENOUGH_EVIDENCE: None,
}

# The rating's wording per language; English for any language not listed.
RATING_NAMES: dict[str, dict[str, str]] = {
    "en": {
        Verdict.Label.SUPPORTED: "True",
        Verdict.Label.CONFLICTING: "Misleading",
        Verdict.Label.REFUTED: "False",
        Verdict.Label.NOT_ENOUGH_EVIDENCE: "Unproven",
    },
    "ar": {
        Verdict.Label.SUPPORTED: "صحيح",
        Verdict.Label.CONFLICTING: "مضلل",
        Verdict.Label.REFUTED: "خاطئ",
        Verdict.Label.NOT_ENOUGH_EVIDENCE: "غير مثبت",
    },
}


def _base_language(language: str) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


def rating_name(label: str, language: str) -> str:
    """The label's reader-facing name in ``language`` (English when not translated)."""
    names = RATING_NAMES.get(_base_language(language), RATING_NAMES["en"])
    return names.get(label, "")


def rating_value(label: str) -> int | None:
    return RATING_VALUES.get(label)


def verdict_public_url(verdict: Verdict) -> str:
    """The verdict's public page: ``<PUBLISHER_URL>verdicts/<uuid>/``."""
    path = reverse("verdict_public", kwargs={"uuid": verdict.uuid})
    base = (
        settings.PUBLISHER_URL
        if settings.PUBLISHER_URL.endswith("/")
        else settings.PUBLISHER_URL + "/"
    )
    return urljoin(base, path.lstrip("/"))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def claimreview_for(verdict: Verdict) -> dict:
    """The ClaimReview JSON-LD of a published (or withdrawn) verdict.

    Expects ``verdict.claim.article`` to be loaded (select_related) to avoid extra queries.
    A withdrawn verdict still yields its document (the admin export uses it); the API answers
    410 for those instead of serving it.
    """
    if verdict.status not in (Verdict.Status.PUBLISHED, Verdict.Status.WITHDRAWN):
        raise ValueError("Only published or withdrawn verdicts have a ClaimReview.")
    claim = verdict.claim
    article = claim.article
    language = verdict.language or claim.language or article.language or ""

    rating: dict = {
        "@type": "Rating",
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": rating_name(verdict.label, language),
    }
    value = rating_value(verdict.label)
    if value is not None:
        rating["ratingValue"] = value

    item: dict = {"@type": "Claim"}
    if article.url:
        appearance: dict = {"@type": "CreativeWork", "url": article.url}
        if article.title:
            appearance["headline"] = article.title
        if article.published_at:
            appearance["datePublished"] = _iso(article.published_at)
        item["appearance"] = appearance
    if article.published_at:
        item["datePublished"] = _iso(article.published_at)
    if article.publisher:
        item["author"] = {"@type": "Organization", "name": article.publisher}

    document: dict = {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": verdict_public_url(verdict),
        "claimReviewed": claim.review_text,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": {
            "@type": "Organization",
            "name": settings.PUBLISHER_NAME,
            "url": settings.PUBLISHER_URL,
        },
        "datePublished": _iso(verdict.published_at),
        "dateModified": _iso(verdict.updated_at),
    }
    if language:
        document["inLanguage"] = language
    if verdict.summary:
        document["reviewBody"] = verdict.summary
    return document
