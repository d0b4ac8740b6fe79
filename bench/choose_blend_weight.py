"""Choose ``scoring.CHECKWORTHINESS_WEIGHT`` (the learned model's share in the product score)
by forward-chaining cross-validation on the TRAINING splits only.

    .venv/bin/python bench/choose_blend_weight.py ../shared/eval

Needs the dev dependencies (scikit-learn, scipy). For each language: out-of-fold
probabilities of a model with the shipped model's features and hyperparameters (the folds of
``bench/train_checkworthiness.py``), their own best threshold, then for each weight the
objective (Arabic macro-F1, English F1) of ``(1 - w) * rule + w * calibrate(p, t) >= 0.5``.
Development splits are never read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._data import checkworthiness_path, read_checkworthiness  # noqa: E402
from bench.train_checkworthiness import (  # noqa: E402
    OBJECTIVE,
    best_threshold,
    cross_validate,
    forward_folds,
    matrix,
    metrics,
)

WEIGHTS = [round(w, 2) for w in np.arange(0.0, 1.001, 0.05)]


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()
    from claims.extraction import learned
    from claims.extraction.scoring import calibrate, score

    data_dir = Path((argv or sys.argv[1:])[0])
    for language in ("ar", "en"):
        path = checkworthiness_path(data_dir, language, "train")
        model = learned.get_model(language)
        if not path.exists() or model is None:
            print(f"[{language}] skipped")
            continue
        examples = read_checkworthiness(path, language)
        texts = [e.text for e in examples]
        y = np.array([e.label for e in examples])
        order = np.array([e.order for e in examples])
        folds = forward_folds(order, 5)
        validated = np.concatenate([v for _, v in folds])
        hp = model.meta["hyperparameters"]
        X = matrix(learned.featurise(texts, language, model.config))
        oof = cross_validate(
            X, y, folds, hp["C"], hp["class_weight"], order, None, hp["recency_weighting"] or 0.0
        )
        objective = OBJECTIVE[language]
        t, _ = best_threshold(y[validated], oof[validated], objective)
        rule = np.array([score(text, language).value for text in texts])
        calibrated = np.array([calibrate(p, t) if not np.isnan(p) else 0.0 for p in oof])
        print(f"[{language}] out-of-fold threshold {t}; objective {objective}")
        for w in WEIGHTS:
            value = (1 - w) * rule[validated] + w * calibrated[validated]
            m = metrics(y[validated], value >= 0.5)
            print(
                f"  w={w:.2f}  {objective} {m[objective]:.4f}  "
                f"(f1 {m['f1']:.4f}, macro {m['macro_f1']:.4f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
