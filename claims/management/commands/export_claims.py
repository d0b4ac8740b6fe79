"""python manage.py export_claims ARTICLE_ID: the article's claims and their sources as JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from claims.models import Article, Claim


def claims_export(article: Article) -> list[dict]:
    from sources.models import Evidence

    claims = (
        Claim.objects.filter(article=article)
        .exclude(state=Claim.State.SUPERSEDED)
        .order_by("start", "end", "pk")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("source").order_by("-score", "pk"),
            )
        )
    )
    return [
        {
            "id": claim.pk,
            "text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "checkworthiness": claim.checkworthiness,
            "state": claim.state,
            "sources": [
                {
                    "url": evidence.source.url or "",
                    "title": evidence.source.title,
                    "provider": evidence.provider,
                    "passage": evidence.passage,
                    "score": evidence.score,
                    "stance": evidence.stance,
                }
                for evidence in claim.evidence.all()
            ],
        }
        for claim in claims
    ]


class Command(BaseCommand):
    help = "Print the claims of an article, with their sources, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("article_id", help="the article's id")

    def handle(self, *args, article_id: str, **options):
        if not str(article_id).isdigit():
            raise CommandError(f"Not an article id: {article_id!r} (give a number).")
        article = Article.objects.filter(pk=int(article_id)).first()
        if article is None:
            raise CommandError(f"No article with id {article_id}.")
        self.stdout.write(json.dumps(claims_export(article), ensure_ascii=False, indent=2))
