"""Throughput of claim extraction (segmentation + check-worthiness scoring), on one core.

    .venv/bin/python bench/extraction.py [--eval ../shared/eval] [--mb 8] [--repeat 3]

Builds a corpus from the seed article(s) and the texts in the evaluation folder (CheckThat!
tweets, debate sentences and fact-checked claims, Arabic and English), cut into article-sized
documents, and times the pure functions (no database). Prints characters/second and
claims/second; the target is at least 1 MB of text per second per core.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.extraction import extract  # noqa: E402
from claims.extraction.language import detect_language, script_ratio  # noqa: E402
from claims.extraction.scoring import score  # noqa: E402
from claims.extraction.segmentation import segment  # noqa: E402

TEXT_COLUMNS = ("tweet_text", "Text", "vclaim", "title", "tweet_content")
ARTICLE_CHARS = 6000

csv.field_size_limit(10_000_000)


def eval_texts(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.glob("*/*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quotechar='"'):
                for column in TEXT_COLUMNS:
                    value = (row.get(column) or "").strip()
                    if value:
                        texts.append(value)
    return texts


def build_corpus(eval_dir: Path, megabytes: float) -> list[tuple[str, str]]:
    """Article-sized documents (text, language) adding up to about ``megabytes`` MB, Arabic
    and English documents alternating (each document in one language, like an article)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts = list(seeds)
    if eval_dir.is_dir():
        texts += eval_texts(eval_dir)
    else:
        print(f"(no evaluation data at {eval_dir}: using the seed articles only)")
    random.Random(0).shuffle(texts)
    pools: dict[str, list[str]] = {"ar": [], "en": []}
    for text in texts:
        arabic, latin = script_ratio(text)
        pools["ar" if arabic >= latin else "en"].append(text)
    pools = {lang: pool for lang, pool in pools.items() if pool}
    cursors = dict.fromkeys(pools, 0)
    documents: list[tuple[str, str]] = []
    total, target = 0, int(megabytes * 1_000_000)
    while total < target:
        for lang, pool in pools.items():
            parts, size = [], 0
            while size < ARTICLE_CHARS:
                piece = pool[cursors[lang] % len(pool)]
                cursors[lang] += 1
                parts.append(piece)
                size += len(piece)
            text = "\n".join(parts)
            documents.append((text, detect_language(text)))
            total += len(text.encode("utf-8"))
    return documents


def checkworthiness_quality(eval_dir: Path) -> None:
    """F1 of the positive class of the rule score on the development splits (threshold 0.5,
    and the best threshold, to show how much is left to a learned model)."""
    splits = [
        ("ar", eval_dir / "ar_checkworthiness" / "dev.tsv", "tweet_text"),
        ("en", eval_dir / "en_checkworthiness" / "dev.tsv", "Text"),
    ]
    for lang, path, column in splits:
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quotechar='"'))
        gold = [r["class_label"].strip().lower() == "yes" for r in rows]
        values = [score(r[column], lang).value for r in rows]

        def f1(threshold, values=values, gold=gold):
            tp = sum(v >= threshold and g for v, g in zip(values, gold, strict=True))
            fp = sum(v >= threshold and not g for v, g in zip(values, gold, strict=True))
            fn = sum(v < threshold and g for v, g in zip(values, gold, strict=True))
            return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

        best = max((f1(t / 100), t / 100) for t in range(5, 96))
        print(
            f"check-worthiness {lang} dev ({len(rows)} items, {sum(gold)} positive): "
            f"F1 {f1(0.5):.3f} at 0.5; best {best[0]:.3f} at {best[1]:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default="../shared/eval", help="evaluation data folder")
    parser.add_argument("--mb", type=float, default=8.0, help="corpus size in MB (UTF-8)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    parser.add_argument(
        "--quality", action="store_true", help="also print F1 on the check-worthiness dev sets"
    )
    args = parser.parse_args()
    if args.quality:
        checkworthiness_quality(Path(args.eval))

    corpus = build_corpus(Path(args.eval), args.mb)
    chars = sum(len(text) for text, _ in corpus)
    size = sum(len(text.encode("utf-8")) for text, _ in corpus)
    languages = sorted({lang for _, lang in corpus})
    print(
        f"corpus: {len(corpus):,} documents, {chars:,} characters, {size / 1e6:.2f} MB "
        f"(UTF-8), languages {languages}"
    )

    # CPU time of this process: what one core delivers, even on a machine shared with other
    # work (wall-clock time is printed too).
    best_cpu = best_wall = float("inf")
    claims = 0
    for _ in range(args.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        claims = sum(len(extract(text, lang)) for text, lang in corpus)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    seg_cpu = float("inf")
    spans = []
    for _ in range(args.repeat):
        cpu = time.process_time()
        spans = [(text, lang, segment(text)) for text, lang in corpus]
        seg_cpu = min(seg_cpu, time.process_time() - cpu)
    cpu = time.process_time()
    for text, lang, found in spans:
        for a, b in found:
            score(text[a:b], lang)
    score_cpu = time.process_time() - cpu

    print(
        f"segmentation + scoring: {best_cpu:.2f} CPU s ({best_wall:.2f} s wall) for "
        f"{claims:,} claims"
    )
    print(
        f"  {chars / best_cpu / 1e6:.2f} M characters/s, {size / best_cpu / 1e6:.2f} MB/s, "
        f"{claims / best_cpu:,.0f} claims/s per core"
    )
    print(
        f"  segmentation alone: {chars / seg_cpu / 1e6:.2f} M characters/s; "
        f"scoring alone: {claims / score_cpu:,.0f} claims/s"
    )
    print(f"target 1 MB/s per core: {'met' if size / best_cpu >= 1e6 else 'NOT met'}")


if __name__ == "__main__":
    main()
