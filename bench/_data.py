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
