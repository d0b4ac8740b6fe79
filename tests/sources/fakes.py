"""Fake providers for tests and benchmarks (TEST DATA only).

- ``FakeProvider``: in-process; what it answers is set per name in ``FakeProvider.answers``
  (a list of hits, an exception to raise, or a callable taking the query).
- ``HttpFakeProvider``: asks a local HTTP server (``TEST_PROVIDER_BASE_URL``), so that a
  real worker process can reach it: ``GET {base}/search/{name}?q=...`` answers
  ``{"hits": [{"url": ..., "title": ..., ...}]}``; 429/5xx are transient errors.
Registered through settings (``SOURCES_PROVIDER_CLASSES`` or ``SOURCES_PROVIDERS`` entries
such as ``alpha=tests.sources.fakes.HttpFakeProvider``).
"""

from __future__ import annotations

import os
from typing import ClassVar

import httpx

from sources.providers.base import Hit, ProviderError, Query, TransientProviderError


class FakeProvider:
    name = "fake"
    answers: ClassVar[dict] = {}
    calls: ClassVar[list] = []

    @classmethod
    def from_settings(cls):
        return cls()

    def search(self, query: Query) -> list[Hit]:
        FakeProvider.calls.append((self.name, query))
        answer = FakeProvider.answers.get(self.name, [])
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            answer = answer(query)
        return [Hit(**vars(hit)) for hit in answer]


class UnconfiguredProvider:
    name = "unconfigured"

    @classmethod
    def from_settings(cls):
        return None


_client = httpx.Client(timeout=10)


class HttpFakeProvider:
    name = "http"

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_settings(cls):
        base = os.environ.get("TEST_PROVIDER_BASE_URL", "")
        return cls(base) if base else None

    def search(self, query: Query) -> list[Hit]:
        try:
            response = _client.get(f"{self.base_url}/search/{self.name}", params={"q": query.text})
        except httpx.HTTPError as exc:
            raise TransientProviderError(f"test provider unreachable: {exc}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientProviderError(
                f"test provider answered {response.status_code}",
                retry_after=float(response.headers.get("retry-after", 0) or 0) or None,
            )
        if response.status_code >= 400:
            raise ProviderError(f"test provider answered {response.status_code}")
        return [Hit(**hit) for hit in response.json().get("hits", [])]
