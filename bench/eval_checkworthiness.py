"""Evaluate the workbench's check-worthiness scorer on the CLEF CheckThat! labelled data.

    .venv/bin/python bench/eval_checkworthiness.py ../shared/eval [--split dev] [--json]

Trains nothing. Scores ``ar_checkworthiness/<split>.tsv`` and ``en_checkworthiness/<split>.tsv``
(and, for ``--split dev``, ``en_checkworthiness/dev-test.tsv`` as well) with exactly the code
the workbench runs, and prints F1 of the positive class, macro-F1 and accuracy beside the
"everything is check-worthy" baseline. A language whose file is absent is skipped. With
``--json`` the last line is one JSON object: ``{"ar": {...}, "en": {...}, "en_dev_test": {...}}``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._data import checkworthiness_path, read_checkworthiness, run_eval_cli  # noqa: E402


def checkworthy(texts: list[str], language: str) -> list[bool]:
    """THE call into the workbench: the product scorer ``scoring.checkworthiness`` (what
    ingestion stores as ``Claim.checkworthiness``), decision ``value >= 0.5``."""
    from claims.extraction.scoring import BOUNDARY, checkworthiness

    return [s.value >= BOUNDARY for s in checkworthiness(texts, language)]


def components(texts: list[str], language: str) -> dict[str, list[bool]]:
    """The two parts of the product scorer on their own, to show what the blend does:
    the learned model at its own threshold, and the rule score at 0.5."""
    from claims.extraction import learned
    from claims.extraction.scoring import BOUNDARY, score

    parts = {"rule only": [score(t, language).value >= BOUNDARY for t in texts]}
    probabilities = learned.probabilities(texts, language)
    if probabilities is not None:
        parts["learned only"] = [bool(learned.is_checkworthy(p, language)) for p in probabilities]
    return parts


def metrics(y: list[int], pred: list[bool]) -> dict[str, float]:
    y_arr = np.asarray(y, dtype=bool)
    p_arr = np.asarray(pred, dtype=bool)
    f1s = []
    for positive in (True, False):
        tp = int(np.sum((p_arr == positive) & (y_arr == positive)))
        fp = int(np.sum((p_arr == positive) & (y_arr != positive)))
        fn = int(np.sum((p_arr != positive) & (y_arr == positive)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {
        "f1": round(f1s[0], 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
        "accuracy": round(float(np.mean(y_arr == p_arr)), 4),
        "n": len(y),
    }


def evaluate(data_dir: Path, split: str) -> dict[str, dict]:
    jobs = [("ar", "ar", split), ("en", "en", split)]
    if split == "dev":
        jobs.append(("en_dev_test", "en", "dev-test"))
    results: dict[str, dict] = {}
    for key, language, name in jobs:
        path = checkworthiness_path(data_dir, language, name)
        if not path.exists():
            print(f"{key}: {path} absent, skipped")
            continue
        examples = read_checkworthiness(path, language)
        y = [e.label for e in examples]
        start = time.perf_counter()
        pred = checkworthy([e.text for e in examples], language)
        elapsed = time.perf_counter() - start
        scorer = metrics(y, pred)
        baseline = metrics(y, [True] * len(y))
        parts = {
            label: metrics(y, p)
            for label, p in components([e.text for e in examples], language).items()
        }
        results[key] = {
            **scorer,
            **{f"{k.split()[0]}_{m}": v[m] for k, v in parts.items() for m in ("f1", "macro_f1")},
        }
        print(
            f"\n{key} ({path.parent.name}/{path.name}, {len(y)} items, "
            f"{sum(y) / len(y):.1%} check-worthy; scored in {elapsed:.2f}s)"
        )
        print(f"  {'':<28}{'F1(pos)':>9}{'macro-F1':>10}{'accuracy':>10}")
        rows = [("workbench scorer (blend)", scorer), *parts.items()]
        rows.append(("baseline: all check-worthy", baseline))
        for label, m in rows:
            print(f"  {label:<28}{m['f1']:>9.3f}{m['macro_f1']:>10.3f}{m['accuracy']:>10.3f}")
    return results


def main(argv: list[str] | None = None) -> int:
    return run_eval_cli(
        evaluate,
        description=__doc__.split("\n\n")[0],
        split_help="reads <task>/<SPLIT>.tsv (default dev)",
        argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
