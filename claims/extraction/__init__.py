"""Claim extraction: segmentation into claim-sized spans, then a check-worthiness score.

Pure functions, no database: ``extract(text, language)`` is what the ingestion services and
the benchmark call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from claims.extraction.scoring import Score, blend, checkworthiness, score
from claims.extraction.segmentation import Span, segment

# A learned model's batch predictor: (unit texts, language) -> probability per unit (None
# where it has no opinion). Blended into the rule score with ``scoring.blend``.
LearnedPredictor = Callable[[list[str], str], Sequence[float | None]]


class Candidate(NamedTuple):
    start: int
    end: int
    text: str
    score: Score


def extract(
    text: str, language: str, *, learned: LearnedPredictor | None = None
) -> list[Candidate]:
    """Claim candidates of ``text`` in order; ``text[c.start:c.end] == c.text`` always.

    Scored by ``scoring.checkworthiness`` (rule score + the shipped learned model, boundary
    0.5); an explicit ``learned`` predictor is instead blended into the rule score."""
    spans = segment(text)
    units = [text[start:end] for start, end in spans]
    if learned is None:
        scores = checkworthiness(units, language)
    else:
        scores = [score(unit, language) for unit in units]
    if learned is not None and units:
        probabilities = list(learned(units, language))
        if len(probabilities) != len(units):
            raise ValueError("The learned predictor must return one probability per unit.")
        scores = [blend(s, p) for s, p in zip(scores, probabilities, strict=True)]
    return [
        Candidate(start, end, unit, unit_score)
        for (start, end), unit, unit_score in zip(spans, units, scores, strict=True)
    ]


__all__ = [
    "Candidate",
    "LearnedPredictor",
    "Score",
    "Span",
    "checkworthiness",
    "extract",
    "score",
    "segment",
]
