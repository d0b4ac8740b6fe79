"""Evaluate the workbench's claim matching on the CLEF CheckThat! claim-matching data.

    .venv/bin/python bench/eval_matching.py ../shared/eval [--split dev] [--json]

Trains nothing. For ``ar_claim_matching`` and ``en_claim_matching``, ranks the verified claims
(claim text + title) for every query of ``<split>.queries.tsv`` with exactly the function the
library provider uses (``sources.ranking.rank_documents``) and prints MAP@5, MRR@5 and P@1
against ``<split>.qrels``, beside plain BM25 (bm25s over lower-cased whitespace/punctuation
tokens, no normalisation or stemming). A language whose files are absent is skipped. With
``--json`` the last line is one JSON object ``{"ar": {...}, "ar_bm25": {...}, "en": ...}``.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._data import (  # noqa: E402
    MATCHING_TASKS,
    read_qrels,
    read_queries,
    read_verified_claims,
    run_eval_cli,
)

K = 5


def average_precision_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    hits, total = 0, 0.0
    for position, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / position
    return total / min(len(relevant), k) if relevant else 0.0


def reciprocal_rank_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    for position, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            return 1.0 / position
    return 0.0


def metrics(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict:
    """MAP@5, MRR@5 and P@1 over the queries that have relevance judgements."""
    qids = [q for q in rankings if qrels.get(q)]
    if not qids:
        return {"map5": 0.0, "mrr5": 0.0, "p1": 0.0, "n": 0}
    ap = [average_precision_at(rankings[q], qrels[q]) for q in qids]
    rr = [reciprocal_rank_at(rankings[q], qrels[q]) for q in qids]
    p1 = [1.0 if rankings[q][:1] and rankings[q][0] in qrels[q] else 0.0 for q in qids]
    return {
        "map5": round(float(np.mean(ap)), 4),
        "mrr5": round(float(np.mean(rr)), 4),
        "p1": round(float(np.mean(p1)), 4),
        "n": len(qids),
    }


def rank_workbench(queries: dict[str, str], docs: dict[str, str], language: str) -> dict:
    """THE call into the workbench: the library provider's ranking function."""
    from sources.ranking import rank_documents

    ids, texts = list(docs), list(docs.values())
    return {
        qid: [ids[i] for i, _ in rank_documents(text, texts, language, top_k=K)]
        for qid, text in queries.items()
    }


_PLAIN_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def plain_tokens(text: str) -> list[str]:
    return _PLAIN_TOKEN.findall(text.lower())


def rank_plain_bm25(queries: dict[str, str], docs: dict[str, str]) -> dict:
    """The baseline: bm25s over lower-cased word tokens, nothing else."""
    import bm25s

    ids = list(docs)
    retriever = bm25s.BM25()
    retriever.index([plain_tokens(t) or ["\u2205"] for t in docs.values()], show_progress=False)
    rankings = {}
    for qid, text in queries.items():
        scores = np.asarray(retriever.get_scores(plain_tokens(text)), dtype=float)
        top = np.argsort(-scores, kind="stable")[:K]
        rankings[qid] = [ids[i] for i in top if scores[i] > 0]
    return rankings


def evaluate(data_dir: Path, split: str) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for language, task in MATCHING_TASKS.items():
        folder = Path(data_dir) / task
        paths = [
            folder / f"{split}.queries.tsv",
            folder / f"{split}.qrels",
            folder / "verified_claims.tsv",
        ]
        absent = [p for p in paths if not p.exists()]
        if absent:
            print(f"{language}: {absent[0]} absent, skipped")
            continue
        queries, qrels, docs = (
            read_queries(paths[0]),
            read_qrels(paths[1]),
            read_verified_claims(paths[2]),
        )
        queries = {q: t for q, t in queries.items() if q in qrels}
        start = time.perf_counter()
        ours = metrics(rank_workbench(queries, docs, language), qrels)
        elapsed = time.perf_counter() - start
        plain = metrics(rank_plain_bm25(queries, docs), qrels)
        results[language], results[f"{language}_bm25"] = ours, plain
        print(
            f"\n{language} ({task}/{split}, {ours['n']} queries, {len(docs)} verified claims; "
            f"workbench ranking in {elapsed:.1f}s)"
        )
        print(f"  {'':<26}{'MAP@5':>8}{'MRR@5':>8}{'P@1':>8}")
        for label, m in (("workbench rank_documents", ours), ("plain BM25", plain)):
            print(f"  {label:<26}{m['map5']:>8.3f}{m['mrr5']:>8.3f}{m['p1']:>8.3f}")
    return results


def main(argv: list[str] | None = None) -> int:
    return run_eval_cli(
        evaluate,
        description=__doc__.split("\n\n")[0],
        split_help="reads <task>/<SPLIT>.queries.tsv/.qrels",
        argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
