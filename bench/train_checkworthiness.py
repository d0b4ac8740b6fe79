"""Train the learned check-worthiness model shipped in claims/extraction/models/.

    .venv/bin/python bench/train_checkworthiness.py ../shared/eval [--out claims/extraction/models]

Reads ONLY ``ar_checkworthiness/train.tsv`` and ``en_checkworthiness/train.tsv`` (CLEF
CheckThat! lab, "free for general research use"; the data stays outside the repository).
Hyperparameters (n-gram ranges, feature blocks, C, class weights) and the decision threshold
are chosen by cross-validation on the training split alone, forward-chaining in id order
(tweet ids grow with time; debate sentence ids grow with the debates): the examples are cut
into k + 1 contiguous blocks and block i is predicted by a model trained on blocks 0..i-1,
so every validation block is a later period or debate than its training data, like the later
development and test periods. The development splits are never read here.

Needs scikit-learn and scipy (dev dependencies); the shipped model needs neither: it is
evaluated by ``claims.extraction.learned`` with numpy, through the same featuriser.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._data import (  # noqa: E402
    CHECKWORTHINESS_TASKS,
    DataError,
    checkworthiness_path,
    read_checkworthiness,
    sha256_of,
)
from claims.extraction import learned  # noqa: E402

# The objective the threshold and the hyperparameters maximise, per language: the figure the
# project is judged on (macro-F1 for Arabic, F1 of the positive class for English).
OBJECTIVE = {"ar": "macro_f1", "en": "f1"}

# Feature set candidates: (char_min, char_max, char, word, cues) block weights.
FEATURE_SETS = {
    "char2-5": dict(char_min=2, char_max=5, char_weight=1.0, word_weight=0.0, cue_weight=0.0),
    "char2-5+word": dict(char_min=2, char_max=5, char_weight=1.0, word_weight=1.0, cue_weight=0.0),
    "char2-5+word+cues": dict(
        char_min=2, char_max=5, char_weight=1.0, word_weight=1.0, cue_weight=1.0
    ),
    "char2-5+word/2+cues": dict(
        char_min=2, char_max=5, char_weight=1.0, word_weight=0.5, cue_weight=1.0
    ),
    "char2-5+word+cues-hashtags": dict(
        char_min=2,
        char_max=5,
        char_weight=1.0,
        word_weight=1.0,
        cue_weight=1.0,
        hashtag_words=False,
    ),
    "cues": dict(char_min=2, char_max=5, char_weight=0.0, word_weight=0.0, cue_weight=1.0),
    "char2-5+word+cues*3": dict(
        char_min=2, char_max=5, char_weight=1.0, word_weight=1.0, cue_weight=3.0
    ),
    "char1-4+word+cues": dict(
        char_min=1, char_max=4, char_weight=1.0, word_weight=1.0, cue_weight=1.0
    ),
}
# The grid searched by default, per language: the one that produced the shipped models. It is
# narrower than FEATURE_SETS x all C values because a full search takes hours on a shared
# machine; wider searches (``--only``, ``--C``, ``--class-weights``, ``--stable``) moved the
# cross-validated score by about 0.01 (see the README, "Check-worthiness model").
DEFAULT_GRID = {
    "ar": {
        "feature_sets": ["char2-5+word+cues", "char2-5+word/2+cues", "char2-5+word+cues-hashtags"],
        "C": [1.0, 3.0],
        "class_weights": ["balanced"],
        # newer tweets weigh up to 4x the oldest: forward-chaining CV macro-F1 0.630 (none),
        # 0.632 (1), 0.634 (3), 0.633 (10) for the chosen feature set and C
        "recency": 3.0,
    },
    "en": {
        "feature_sets": ["char2-5", "char2-5+word+cues", "char2-5+word/2+cues"],
        "C": [0.3, 1.0, 3.0],
        "class_weights": [None, "balanced"],
        "recency": 0.0,
    },
}


def metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """F1 of the positive class, macro-F1 and accuracy."""
    y = np.asarray(y, dtype=bool)
    pred = np.asarray(pred, dtype=bool)
    out = {}
    f1s = []
    for positive in (True, False):
        tp = np.sum((pred == positive) & (y == positive))
        fp = np.sum((pred == positive) & (y != positive))
        fn = np.sum((pred != positive) & (y == positive))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    out["f1"] = float(f1s[0])
    out["macro_f1"] = float(np.mean(f1s))
    out["accuracy"] = float(np.mean(y == pred))
    return out


def best_threshold(y: np.ndarray, p: np.ndarray, objective: str) -> tuple[float, float]:
    """The threshold (on a 0.01 grid) maximising ``objective`` over the pooled predictions."""
    best = (0.5, -1.0)
    for t in np.arange(0.05, 0.951, 0.01):
        score = metrics(y, p >= t)[objective]
        if score > best[1] + 1e-12:
            best = (float(round(t, 2)), score)
    return best


def forward_folds(order: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, validation) index sets: k + 1 blocks in ``order``; each block after the first is
    validated by a model trained on all the blocks before it."""
    ranked = np.argsort(order, kind="stable")
    blocks = np.array_split(ranked, k + 1)
    return [(np.sort(np.concatenate(blocks[:i])), np.sort(blocks[i])) for i in range(1, k + 1)]


def matrix(features: learned.Features):
    from scipy.sparse import csr_matrix

    return csr_matrix(
        (features.values, (features.rows, features.cols)),
        shape=(features.n_texts, features.config.n_features),
        dtype=np.float64,
    )


def recency_weights(order: np.ndarray, strength: float) -> np.ndarray | None:
    """Sample weights growing linearly from 1 (oldest) to 1 + strength (newest), or None."""
    if not strength:
        return None
    ranks = np.argsort(np.argsort(order, kind="stable"), kind="stable")
    return 1.0 + strength * ranks / max(len(order) - 1, 1)


def fit(X, y, C: float, class_weight, sample_weight=None):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=C, class_weight=class_weight, solver="liblinear", max_iter=1000, tol=1e-4
    )
    model.fit(X, y, sample_weight=sample_weight)
    return model


def stable_columns(X, order: np.ndarray, periods: int, minimum: int, n_dense: int) -> np.ndarray:
    """Mask of the columns present in at least ``minimum`` of ``periods`` contiguous periods
    (in ``order``) of the rows of ``X``: n-grams of one period's news are dropped, what recurs
    across periods is kept. The last ``n_dense`` columns (the cues) are always kept."""
    ranked = np.argsort(order, kind="stable")
    seen = np.zeros(X.shape[1], dtype=np.int32)
    for block in np.array_split(ranked, periods):
        seen[np.unique(X[block].indices)] += 1
    mask = seen >= minimum
    if n_dense:
        mask[-n_dense:] = True
    return mask


def restrict(X, mask: np.ndarray):
    from scipy.sparse import diags

    out = (X @ diags(mask.astype(np.float64))).tocsr()
    out.eliminate_zeros()
    return out


def cross_validate(
    X, y, folds, C, class_weight, order=None, stable=None, recency=0.0
) -> np.ndarray:
    """Out-of-fold probabilities (NaN for the first block, which is never validated)."""
    oof = np.full(len(y), np.nan)
    for train, val in folds:
        Xt = X[train]
        if stable:
            mask = stable_columns(Xt, order[train], *stable, len(learned.CUE_NAMES))
            Xt = restrict(Xt, mask)
        model = fit(Xt, y[train], C, class_weight, recency_weights(order[train], recency))
        oof[val] = model.predict_proba(X[val])[:, 1]
    return oof


def train_language(data_dir: Path, language: str, args) -> dict | None:
    path = checkworthiness_path(data_dir, language, "train")
    if not path.exists():
        print(f"[{language}] {path} absent: skipped")
        return None
    examples = read_checkworthiness(path, language)
    texts = [e.text for e in examples]
    y = np.array([e.label for e in examples])
    order = np.array([e.order for e in examples])
    folds = forward_folds(order, args.folds)
    validated = np.concatenate([v for _, v in folds])
    objective = OBJECTIVE[language]
    print(
        f"[{language}] {len(examples)} training examples, {y.mean():.1%} check-worthy; "
        f"forward-chaining CV over {args.folds + 1} blocks in id order; objective {objective}"
    )
    grid = DEFAULT_GRID[language]
    only = args.only or grid["feature_sets"]
    c_values = args.C or grid["C"]
    class_weights = args.class_weights or grid["class_weights"]
    recency = grid["recency"] if args.recency is None else args.recency
    feature_sets = {k: v for k, v in FEATURE_SETS.items() if k in only}
    results = []
    cache: dict[tuple, object] = {}
    for name, spec in feature_sets.items():
        base = learned.FeatureConfig(
            char_min=spec["char_min"],
            char_max=spec["char_max"],
            char_bits=args.bits,
            word_bits=args.bits,
            hashtag_words=spec.get("hashtag_words", True),
        )
        key = (base.char_min, base.char_max, base.hashtag_words)
        if key not in cache:
            start = time.perf_counter()
            cache[key] = matrix(learned.featurise(texts, language, base))
            print(f"  featurised {key} in {time.perf_counter() - start:.1f}s")
        X0 = cache[key]
        scale = np.concatenate(
            [
                np.full(base.n_char, spec["char_weight"]),
                np.full(base.n_word, spec["word_weight"]),
                np.full(len(learned.CUE_NAMES), spec["cue_weight"]),
            ]
        )
        from scipy.sparse import diags

        X = (X0 @ diags(scale)).tocsr()
        X.eliminate_zeros()
        for C, cw, stable in itertools.product(c_values, class_weights, args.stable):
            start = time.perf_counter()
            oof = cross_validate(X, y, folds, C, cw, order, stable, recency)
            t, score = best_threshold(y[validated], oof[validated], objective)
            m = metrics(y[validated], oof[validated] >= t)
            fold_scores = [metrics(y[v], oof[v] >= t)[objective] for _, v in folds]
            results.append(
                dict(
                    features=name,
                    C=C,
                    class_weight=cw,
                    stable=stable,
                    threshold=t,
                    cv=m,
                    cv_folds=[round(s, 4) for s in fold_scores],
                    spec=spec,
                )
            )
            print(
                f"  {name:<20} C={C:<4} cw={str(cw):<8} stable={stable or '-'!s:<6} thr={t:.2f} "
                f"F1={m['f1']:.3f} macroF1={m['macro_f1']:.3f} acc={m['accuracy']:.3f} "
                f"folds={' '.join(f'{s:.2f}' for s in fold_scores)} "
                f"({time.perf_counter() - start:.0f}s)",
                flush=True,
            )
    best = max(results, key=lambda r: r["cv"][objective])
    print(
        f"[{language}] chosen: {best['features']} C={best['C']} class_weight="
        f"{best['class_weight']} stable={best['stable']} threshold={best['threshold']} "
        f"CV {objective}="
        f"{best['cv'][objective]:.3f}"
    )
    spec = best["spec"]
    config = learned.FeatureConfig(
        char_min=spec["char_min"],
        char_max=spec["char_max"],
        char_bits=args.bits,
        word_bits=args.bits,
        word_bigrams=True,
        char_weight=spec["char_weight"],
        word_weight=spec["word_weight"],
        cue_weight=spec["cue_weight"],
        hashtag_words=spec.get("hashtag_words", True),
    )
    X = matrix(learned.featurise(texts, language, config))
    if best["stable"]:
        X = restrict(X, stable_columns(X, order, *best["stable"], len(learned.CUE_NAMES)))
    model = fit(X, y, best["C"], best["class_weight"], recency_weights(order, recency))
    weights = model.coef_.ravel().astype(np.float32)
    if args.prune:
        weights[np.abs(weights) < args.prune] = 0.0
    meta = {
        "model": "logistic regression (scikit-learn liblinear) over hashed character and word "
        "n-grams plus dense cues",
        "data": {
            "source": "CLEF CheckThat! lab, check-worthiness estimation (2022 Task 1A and 2024 "
            "Task 1"
            + (", Arabic tweets" if language == "ar" else ", English debate sentences")
            + ")",
            "licence": "free for general research use (CheckThat! lab); tweets remain under "
            "X/Twitter's terms; the data is not in the repository",
            "files": {
                f"{CHECKWORTHINESS_TASKS[language]}/train.tsv": {
                    "examples": len(examples),
                    "positive": int(y.sum()),
                    "sha256": sha256_of(path),
                }
            },
        },
        "hyperparameters": {
            "C": best["C"],
            "class_weight": best["class_weight"],
            "feature_set": best["features"],
            "solver": "liblinear",
            "prune_below": args.prune,
            "recency_weighting": recency,
            "stable_periods": (
                None
                if not best["stable"]
                else f"n-grams kept only if present in >= {best['stable'][1]} of "
                f"{best['stable'][0]} contiguous training periods"
            ),
        },
        "selection": {
            "method": f"forward-chaining cross-validation on the training split only: "
            f"{args.folds + 1} contiguous blocks in id (time/debate) order, block i validated "
            f"by a model of blocks 0..i-1; hyperparameters and threshold maximise the pooled "
            f"out-of-fold {objective}",
            "objective": objective,
            "cv": {k: round(v, 4) for k, v in best["cv"].items()},
            "cv_folds": best["cv_folds"],
            "candidates": len(results),
        },
        "trained_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    meta_path, weights_path = learned.save_model(
        args.out, language, config, weights, float(model.intercept_[0]), best["threshold"], meta
    )
    size = weights_path.stat().st_size + meta_path.stat().st_size
    print(f"[{language}] wrote {meta_path} and {weights_path} ({size / 1e6:.2f} MB)")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="the evaluation data folder")
    parser.add_argument("--out", type=Path, default=ROOT / "claims" / "extraction" / "models")
    parser.add_argument("--languages", default="ar,en")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--bits", type=int, default=18, help="log2 of hashed slots per block")
    parser.add_argument("--C", type=float, nargs="+", help="C values to try")
    parser.add_argument("--only", nargs="+", choices=list(FEATURE_SETS), help="feature sets to try")
    parser.add_argument(
        "--class-weights",
        nargs="+",
        choices=["none", "balanced"],
        help="class weightings to try",
    )
    parser.add_argument("--prune", type=float, default=0.0, help="zero weights below this")
    parser.add_argument(
        "--recency",
        type=float,
        help="weight the newest training example 1 + R times the oldest (linear in id order)",
    )
    parser.add_argument(
        "--stable",
        nargs="+",
        default=["off"],
        help="candidates 'off' or 'P/M': keep n-grams present in >= M of P training periods",
    )
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: {args.data_dir} is not a folder", file=sys.stderr)
        return 2
    if args.class_weights:
        args.class_weights = [None if x == "none" else x for x in args.class_weights]
    try:
        args.stable = [
            None if x == "off" else tuple(int(v) for v in x.split("/", 1)) for x in args.stable
        ]
    except ValueError:
        print(f"error: --stable takes 'off' or P/M, got {args.stable}", file=sys.stderr)
        return 2
    languages = [x.strip() for x in args.languages.split(",") if x.strip()]
    unknown = [x for x in languages if x not in CHECKWORTHINESS_TASKS]
    if unknown:
        print(f"error: unknown language(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        for language in languages:
            train_language(args.data_dir, language, args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
