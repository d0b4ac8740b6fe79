"""python manage.py ingest SOURCE [--title T] [--url U] [--language xx] [--json]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import ingestion, services
from claims.errors import DomainError


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


class Command(BaseCommand):
    help = (
        "Ingest an article (a text or HTML file, '-' for standard input, or an http(s) URL) "
        "and extract its claims."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="file path, '-' for standard input, or http(s) URL")
        parser.add_argument("--title", default="", help="article title")
        parser.add_argument("--url", default="", help="the article's URL (for a file or stdin)")
        parser.add_argument("--language", default="", help="language code (default: detected)")
        parser.add_argument(
            "--json", action="store_true", help='end with {"article": id, "claims": n}'
        )

    def _read(self, source: str) -> ingestion.Document:
        limit = settings.INGEST_MAX_BYTES
        if source.lower().startswith(("http://", "https://")):
            return ingestion.fetch_document(source)
        if source == "-":
            data = sys.stdin.buffer.read(limit + 1)
            return ingestion.decode_document(data, filename="")
        path = Path(source)
        if path.is_dir():
            raise CommandError(f"{source} is a directory; give a file, '-' or a URL.")
        if not path.is_file():
            raise CommandError(f"No such file: {source}")
        try:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise CommandError(_one_line(f"Cannot read {source}: {exc.strerror or exc}")) from None
        return ingestion.decode_document(data, filename=path.name)

    def handle(self, *args, source: str, title: str, url: str, language: str, **options):
        try:
            document = self._read(source)
            result = services.article_ingest(
                text=document.text,
                title=title or document.title,
                url=url or document.url,
                language=language,
                publisher=document.publisher,
                published_at=document.published_at,
            )
        except DomainError as exc:
            raise CommandError(_one_line(exc.message)) from None
        article = result.article
        live = article.claims.exclude(state="superseded").count()
        verb = "Created" if result.created else "Already there:"
        self.stdout.write(
            f"{verb} article {article.pk} ({article.language or 'language unknown'}, "
            f"{len(article.text):,} characters): {result.claims_created} new claims, "
            f"{live} in all."
        )
        if options["json"]:
            self.stdout.write(json.dumps({"article": article.pk, "claims": live}))
