"""Readers for the CLEF CheckThat! evaluation data kept beside the project (never in it).

The data folder (``../shared/eval`` for developers and CI) is always passed in by the caller.
Files are tab-separated with quoted multi-line fields, so they are read with the ``csv``
module, never line by line.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

CHECKWORTHINESS_TASKS = {"ar": "ar_checkworthiness", "en": "en_checkworthiness"}
# column holding the text and the id, per task
_TEXT_COLUMN = {"ar": "tweet_text", "en": "Text"}
_ID_COLUMN = {"ar": "tweet_id", "en": "Sentence_id"}
_LABELS = {"yes": 1, "no": 0}


class DataError(Exception):
    """The data folder or one of its files is missing or malformed."""


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    label: int  # 1 = check-worthy

    @property
    def order(self) -> float:
        """A sortable id (some Arabic ids are stored in scientific notation, e.g. 1.24105E+18)."""
        try:
            return float(self.id)
        except ValueError:
            return float("inf")


def checkworthiness_path(data_dir: Path, language: str, split: str) -> Path:
    if language not in CHECKWORTHINESS_TASKS:
        raise DataError(f"no check-worthiness task for language {language!r}")
    return Path(data_dir) / CHECKWORTHINESS_TASKS[language] / f"{split}.tsv"


def read_checkworthiness(path: Path, language: str) -> list[Example]:
    """The labelled examples of one ``<task>/<split>.tsv`` file."""
    csv.field_size_limit(sys.maxsize)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quotechar='"')
            missing = {_TEXT_COLUMN[language], _ID_COLUMN[language], "class_label"} - set(
                reader.fieldnames or ()
            )
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            examples = []
            for line, row in enumerate(reader, start=2):
                label = (row["class_label"] or "").strip().lower()
                if label not in _LABELS:
                    raise DataError(f"{path}, record {line}: class_label {label!r} not Yes/No")
                examples.append(
                    Example(
                        id=(row[_ID_COLUMN[language]] or "").strip(),
                        text=row[_TEXT_COLUMN[language]] or "",
                        label=_LABELS[label],
                    )
                )
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    if not examples:
        raise DataError(f"{path}: no examples")
    return examples


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- Claim matching ------------------------------------------------------------------------

MATCHING_TASKS = {"ar": "ar_claim_matching", "en": "en_claim_matching"}
_QUERY_TEXT_COLUMNS = ("tweet_text", "tweet_content", "text")


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    csv.field_size_limit(sys.maxsize)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh, delimiter="\t", quotechar='"'))
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    if not rows:
        raise DataError(f"{path}: empty")
    return [h.strip() for h in rows[0]], rows[1:]


def read_queries(path: Path) -> dict[str, str]:
    """``{query id: text}`` of a ``<split>.queries.tsv`` (the id is the first column)."""
    header, rows = _read_rows(path)
    text_col = next((header.index(c) for c in _QUERY_TEXT_COLUMNS if c in header), None)
    if text_col is None or text_col == 0:
        raise DataError(f"{path}: no tweet text column in {header}")
    queries = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) <= text_col:
            raise DataError(f"{path}, record {line}: {len(row)} field(s)")
        queries[row[0].strip()] = row[text_col]
    return queries


def read_verified_claims(path: Path) -> dict[str, str]:
    """``{vclaim id: text}``: the claim, followed by its title when there is one."""
    header, rows = _read_rows(path)
    if "vclaim" not in header:
        raise DataError(f"{path}: no vclaim column in {header}")
    claim_col = header.index("vclaim")
    title_col = header.index("title") if "title" in header else None
    claims = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) <= claim_col:
            raise DataError(f"{path}, record {line}: {len(row)} field(s)")
        text = row[claim_col].strip()
        if title_col is not None and len(row) > title_col and row[title_col].strip():
            text = f"{text}\n{row[title_col].strip()}"
        claims[row[0].strip()] = text
    return claims


def read_qrels(path: Path) -> dict[str, set[str]]:
    """``{query id: relevant vclaim ids}`` of a TREC qrels file (``qid 0 docid rel``)."""
    qrels: dict[str, set[str]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 4:
            raise DataError(f"{path}, line {number}: expected 'qid 0 docid rel'")
        if parts[3] != "0":
            qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


def run_eval_cli(
    evaluate,
    *,
    description: str,
    split_help: str,
    argv=None,
    split_default: str | None = "dev",
    options: dict[str, dict] | None = None,
) -> int:
    """The command line the evaluation scripts share: DATA_DIR [--split NAME] [--json].

    ``evaluate(data_dir, split, **extra) -> dict`` prints its tables and returns the figures;
    with ``--json`` they are printed as one JSON object on the last line. ``options`` maps
    further flags to their ``add_argument`` keywords; their values reach ``evaluate`` as
    keyword arguments named after the flag."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data_dir", type=Path, help="the evaluation data folder")
    parser.add_argument("--split", default=split_default, help=split_help)
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    for flag, spec in (options or {}).items():
        parser.add_argument(flag, **spec)
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: {args.data_dir} is not a folder", file=sys.stderr)
        return 2
    if args.split is not None and (
        not args.split or "/" in args.split or args.split.startswith(".")
    ):
        print(f"error: bad split name {args.split!r}", file=sys.stderr)
        return 2
    names = [flag.lstrip("-").replace("-", "_") for flag in options or {}]
    extra = {name: getattr(args, name) for name in names}
    try:
        results = evaluate(args.data_dir, args.split, **extra)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(results, sort_keys=True))
    return 0
