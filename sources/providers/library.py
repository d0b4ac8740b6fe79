"""The library provider: sources already stored and earlier fact-checks, searched in the
database (PostgreSQL full-text search, or SQLite FTS5 in the embedded mode), re-ranked with
``sources.ranking.rank_documents``.

The one provider that reads the database: through ``sources.selectors`` only.
"""

from __future__ import annotations

from typing import ClassVar

from sources.providers.base import Hit, Query
from sources.ranking import rank_documents

CANDIDATES = 200
MAX_HITS = 10
# Library hits below this re-ranked score share too little with the claim to be shown.
MIN_SCORE = 0.25


class LibraryProvider:
    name: ClassVar[str] = "library"

    def __init__(self, *, max_hits: int = MAX_HITS, min_score: float = MIN_SCORE):
        self.max_hits = max_hits
        self.min_score = min_score

    @classmethod
    def from_settings(cls) -> LibraryProvider:
        return cls()

    def search(self, query: Query) -> list[Hit]:
        from sources import selectors, services

        services.library_index_sync()
        text = query.claim_text or query.text
        candidates = selectors.library_candidates(query_text=text, limit=CANDIDATES)
        if not candidates:
            return []
        ranked = rank_documents(
            text, [c.document for c in candidates], query.language, top_k=self.max_hits
        )
        hits = []
        for index, score in ranked:
            if score < self.min_score:
                continue
            candidate = candidates[index]
            hit = candidate.to_hit()
            hit.score = score
            hit.provider = self.name
            hits.append(hit)
        return hits
