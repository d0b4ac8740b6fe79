"""Check-worthiness score: a pure function of the text and its language.

``score`` adds the weights of the features found (``features.reasons``) to a bias and maps
the sum to 0..1 with the logistic function, so every point of the score is explained by the
reasons stored with the claim. ``blend`` combines that rule score with an optional learned
probability (a model trained on labelled check-worthiness data) without changing callers.

``checkworthiness`` is THE product scorer (extraction, ingestion and the benchmark all call
it): the rule score blended with the learned probability, the latter first mapped through
its model's decision threshold so that the threshold lands on 0.5. The stored
``Claim.checkworthiness`` therefore has one decision boundary, 0.5 (``value >= 0.5``:
check-worthy), the default of ``settings.SOURCES_GATHER_MIN_SCORE``. Without a model for the
language the value is the rule score alone.
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
# Share of the (threshold-calibrated) learned probability in ``checkworthiness``, per
# language, each the best of forward-chaining CV on that language's TRAINING split
# (bench/choose_blend_weight.py): Arabic macro-F1 peaks at 0.85 (0.634; rule only 0.584),
# English F1 at 0.95 (0.659; rule only 0.453). Other languages have no model.
CHECKWORTHINESS_WEIGHTS = {"ar": 0.85, "en": 0.95}
CHECKWORTHINESS_WEIGHT = 0.85  # default for a language with a model but no chosen weight
# Decision boundary of ``checkworthiness`` values.
BOUNDARY = 0.5
# How many of the learned model's cues are named in the ``learned`` reason.
TOP_CUES = 3


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


def calibrate(p: float, threshold: float) -> float:
    """Map probability ``p`` piecewise-linearly so that ``threshold`` becomes 0.5 (0 -> 0,
    1 -> 1): the learned decision and the 0.5 boundary of stored scores then agree."""
    p = min(1.0, max(0.0, float(p)))
    threshold = min(0.999, max(0.001, float(threshold)))
    if p < threshold:
        return BOUNDARY * p / threshold
    return BOUNDARY + (1 - BOUNDARY) * (p - threshold) / (1 - threshold)


def checkworthiness(texts: list[str], language: str, *, weight: float | None = None) -> list[Score]:
    """The check-worthiness of each text as stored on a claim: decision boundary 0.5.

    ``(1 - weight) * rule + weight * calibrate(learned, threshold)``; the reasons are the
    rule reasons plus one ``learned`` reason whose weight is the shift the model caused (so
    reasons still add up to the value) and whose evidence names the model's calibrated
    estimate and its strongest cues. Without a model for ``language``: the rule scores."""
    from claims.extraction import learned

    texts = list(texts)
    rules = [score(text, language) for text in texts]
    model = learned.get_model(language) if texts else None
    if model is None:
        return rules
    if weight is None:
        weight = CHECKWORTHINESS_WEIGHTS.get(language, CHECKWORTHINESS_WEIGHT)
    probabilities = learned.probabilities(texts, language) or []
    results = []
    for text, rule, p in zip(texts, rules, probabilities, strict=True):
        calibrated = calibrate(p, model.threshold)
        value = round((1 - weight) * rule.value + weight * calibrated, 4)
        cues = learned.cue_contributions(text, language) or []
        named = ", ".join(f"{name} {c:+.2f}" for name, c in cues[:TOP_CUES])
        evidence = f"{calibrated:.2f}" + (f" ({named})" if named else "")
        reason = {"code": "learned", "weight": round(value - rule.value, 4), "evidence": evidence}
        results.append(Score(value, [*rule.reasons, reason]))
    return results
