"""Check-worthiness score: a pure function of the text and its language.

``score`` adds the weights of the features found (``features.reasons``) to a bias and maps
the sum to 0..1 with the logistic function, so every point of the score is explained by the
reasons stored with the claim. ``blend`` combines that rule score with an optional learned
probability (a model trained on labelled check-worthiness data) without changing callers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from claims.extraction.features import reasons as feature_reasons

# Logistic bias: a unit with no feature at all scores about 0.21.
BIAS = -1.3
# Share of a learned probability in the blended score (see ``blend``).
LEARNED_WEIGHT = 0.5


class Score(NamedTuple):
    value: float
    reasons: list[dict]


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def score(text: str, language: str) -> Score:
    found = feature_reasons(text, language)
    total = BIAS + sum(r["weight"] for r in found)
    return Score(round(_logistic(total), 4), found)


def score_many(texts: Iterable[str], language: str) -> list[Score]:
    return [score(text, language) for text in texts]


def blend(rule: Score, learned: float | None, *, weight: float = LEARNED_WEIGHT) -> Score:
    """Combine the rule score with a learned probability of check-worthiness.

    ``learned`` None (no model available): the rule score unchanged. Otherwise the value is
    ``(1 - weight) * rule + weight * learned`` and a ``model`` reason records the model's
    probability (its ``weight`` is the shift it caused, so reasons still add up)."""
    if learned is None:
        return rule
    learned = min(1.0, max(0.0, float(learned)))
    value = round((1 - weight) * rule.value + weight * learned, 4)
    model = {"code": "model", "weight": round(value - rule.value, 4), "evidence": f"{learned:.2f}"}
    return Score(value, [*rule.reasons, model])
