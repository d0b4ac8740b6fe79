"""Google Fact Check Tools ``claims:search``: earlier fact-checks of similar claims.

Needs ``GOOGLE_FACTCHECK_API_KEY``: without it ``FactCheckProvider.from_settings()`` returns
None, which the registry treats as "disabled". Every field of the answer is optional and an
empty result is ``{}``.

The API key is sent in the ``X-Goog-Api-Key`` header (which Google APIs accept in place of
the ``key`` query parameter), so it is never part of a URL that httpx logs at INFO level or
puts in an exception; messages are scrubbed of it all the same.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import ClassVar

import httpx
from django.conf import settings

from sources.claimreview_parsing import parse_claims_search
from sources.providers.base import Hit, ProviderError, Query
from sources.providers.http import (
    ProviderConfigurationError,
    api_get,
    parse_json,
    require_http_url,
)

logger = logging.getLogger(__name__)

SERVICE = "Google Fact Check Tools"
PAGE_SIZE = 10
MAX_QUERY_CHARS = 500


def _google_error(response: httpx.Response) -> str:
    """Google APIs answer errors as ``{"error": {"code", "message", "status"}}``."""
    error = response.json().get("error") or {}
    message = error.get("message") or ""
    status = error.get("status") or ""
    return f"{message} ({status})" if message and status else message or status


def _json_safe(record: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}


class FactCheckProvider:
    name: ClassVar[str] = "factcheck"

    def __init__(
        self,
        *,
        api_key: str,
        api_url: str,
        page_size: int = PAGE_SIZE,
        client: httpx.Client | None = None,
    ):
        if not api_key:
            raise ProviderConfigurationError(
                f"{SERVICE}: no API key (set GOOGLE_FACTCHECK_API_KEY)."
            )
        self.api_key = api_key
        self.api_url = require_http_url(SERVICE, api_url, "SOURCES_FACTCHECK_API")
        self.page_size = page_size
        self.client = client

    @classmethod
    def from_settings(cls) -> FactCheckProvider | None:
        """The configured provider, or None when GOOGLE_FACTCHECK_API_KEY is not set."""
        if not settings.GOOGLE_FACTCHECK_API_KEY:
            return None
        return cls(
            api_key=settings.GOOGLE_FACTCHECK_API_KEY, api_url=settings.SOURCES_FACTCHECK_API
        )

    def search(self, query: Query) -> list[Hit]:
        text = " ".join((query.text or query.claim_text).split())[:MAX_QUERY_CHARS]
        if not text:
            return []
        params = {"query": text, "pageSize": self.page_size}
        if query.language:
            params["languageCode"] = query.language
        response = api_get(
            SERVICE,
            self.api_url,
            params,
            client=self.client,
            headers={"X-Goog-Api-Key": self.api_key},
            secrets=[self.api_key],
            error_message=_google_error,
        )
        data = parse_json(SERVICE, response)
        if not isinstance(data, dict):
            raise ProviderError(f"{SERVICE}: expected a JSON object, got {type(data).__name__}.")
        if "claims" in data and not isinstance(data["claims"], list):
            raise ProviderError(f'{SERVICE}: "claims" is not a list.')
        result = parse_claims_search(data, origin="factcheck")
        for reason in result.skipped:
            logger.info("%s: left out %s", SERVICE, reason)
        hits = []
        for rank, record in enumerate(result.records):
            hits.append(
                Hit(
                    url=record["url"],
                    title=record["title"] or record["claim_text"],
                    snippet=record["claim_text"],
                    language=record["language"],
                    publisher=record["publisher_name"],
                    domain=record["publisher_site"],
                    published_at=record["review_date"],
                    # The API returns its best matches first.
                    score=1.0 / (1 + rank),
                    provider=self.name,
                    is_factcheck=True,
                    rating=record["rating"],
                    claim_text=record["claim_text"],
                    claimant=record["claimant"],
                    # JSON-safe (dates as ISO 8601), ready for
                    # sources.services.factchecks_import(records=[...]).
                    extra={"factcheck": _json_safe(record)},
                )
            )
        return hits
