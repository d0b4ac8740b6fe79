"""Claim extraction: segmentation into claim-sized spans, then a check-worthiness score.

Pure functions, no database: ``extract(text, language)`` is what the ingestion services and
the benchmark call.
"""

from __future__ import annotations

from typing import NamedTuple

from claims.extraction.scoring import Score, score
from claims.extraction.segmentation import Span, segment


class Candidate(NamedTuple):
    start: int
    end: int
    text: str
    score: Score


def extract(text: str, language: str) -> list[Candidate]:
    """Claim candidates of ``text`` in order; ``text[c.start:c.end] == c.text`` always."""
    out = []
    for start, end in segment(text):
        unit = text[start:end]
        out.append(Candidate(start, end, unit, score(unit, language)))
    return out


__all__ = ["Candidate", "Score", "Span", "extract", "score", "segment"]
