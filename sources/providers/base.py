"""The protocol every candidate-source provider implements.

A provider is a small class with no ORM access: it turns a query into hits over HTTP, so it
is tested against a local HTTP server alone. Errors say whether a retry can help.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Protocol


class ProviderError(Exception):
    """A permanent failure: retrying the same request will not help (4xx, unparseable...)."""

    transient = False


class TransientProviderError(ProviderError):
    """A failure a later retry may cure: timeouts, connection errors, 429, 5xx.

    ``retry_after``: seconds the service asked us to wait, when it said so."""

    transient = True

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Hit:
    """One search result. ``url`` is the page to fetch (may be empty for library hits)."""

    url: str
    title: str = ""
    snippet: str = ""
    # Full text when the provider already returns it (Wikipedia extracts, library rows).
    text: str = ""
    language: str = ""
    publisher: str = ""
    domain: str = ""
    published_at: datetime | None = None
    score: float = 0.0
    provider: str = ""
    # Earlier fact-check fields (factcheck provider, library fact-checks).
    is_factcheck: bool = False
    rating: str = ""
    claim_text: str = ""
    claimant: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Query:
    """What a provider is asked: the text query plus what it was built from."""

    text: str
    language: str = ""
    # Key terms, names and numbers the query was built from (for providers that use them).
    terms: list[str] = field(default_factory=list)
    claim_text: str = ""


class Provider(Protocol):
    name: ClassVar[str]

    def search(self, query: Query) -> list[Hit]: ...
