"""``python manage.py import_claimreviews FILE``: load earlier fact-checks.

FILE (or ``-`` for standard input) is ClaimReview JSON-LD (one object, a list, or an
``@graph``; ClaimReviews nested in other JSON-LD objects are found too) or a saved Google
Fact Check Tools ``claims:search`` response (or a list of them). Items without a URL or any
claim text are left out and listed; a file that is not JSON, of another shape, or with no
usable item is refused with a clear error, a non-zero exit, and nothing written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.errors import DomainError
from sources.claimreview_parsing import ClaimReviewFormatError, parse_factcheck_document
from sources.services import factchecks_import

# A saved answer or a site's JSON-LD export is small; refuse anything absurd.
MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import earlier fact-checks from a ClaimReview JSON-LD file or a saved Google Fact"
        " Check Tools claims:search response ('-' reads standard input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON file, or - for standard input")

    def handle(self, *args, file: str, **options):
        data = self._load(file)
        try:
            result = parse_factcheck_document(data)
        except ClaimReviewFormatError as exc:
            raise CommandError(f"{file}: {exc}") from None
        except RecursionError:
            raise CommandError(f"{file}: the JSON is nested too deeply to read.") from None
        for reason in result.skipped:
            self.stderr.write(f"Left out {reason}.")
        if not result.records:
            raise CommandError(
                f"{file}: no usable fact-check (each needs an http(s) URL and the claim text"
                " or a title); nothing imported."
            )
        try:
            created, updated = factchecks_import(records=result.records)
        except DomainError as exc:
            raise CommandError(f"{file}: {exc}; nothing imported.") from None
        total = created + updated
        noun = "fact-check" if total == 1 else "fact-checks"
        self.stdout.write(
            f"Imported {total} earlier {noun} from {file}: {created} created, {updated} updated,"
            f" {len(result.skipped)} left out."
        )

    def _load(self, file: str):
        try:
            if file == "-":
                raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"{file}: no such file.")
                with path.open("rb") as handle:
                    raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read ({exc.strerror or exc}).") from None
        if len(raw) > MAX_FILE_BYTES:
            raise CommandError(f"{file}: larger than {MAX_FILE_BYTES:,} bytes; not imported.")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file}: not UTF-8 text (byte {exc.start}); expected a JSON file."
            ) from None
        if not text.strip():
            raise CommandError(f"{file}: the file is empty.")
        try:
            return json.loads(text)
        except RecursionError:
            raise CommandError(f"{file}: the JSON is nested too deeply to read.") from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})."
            ) from None
