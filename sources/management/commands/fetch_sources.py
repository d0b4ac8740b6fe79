"""python manage.py fetch_sources ARTICLE_ID [--claims ID,...] [--wait] [--timeout S]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from claims.errors import DomainError
from claims.models import Article, Claim
from sources import selectors, services

# Claims not worth gathering for (unless named explicitly with --claims).
SKIPPED_STATES = (Claim.State.NOT_CHECKWORTHY, Claim.State.SUPERSEDED)


class Command(BaseCommand):
    help = (
        "Enqueue source gathering for the claims of an article (all live check-worthy claims, "
        "or those given with --claims); with --wait, show progress until every job finished."
    )

    def add_arguments(self, parser):
        parser.add_argument("article_id", help="id of the article")
        parser.add_argument("--claims", default="", help="comma-separated claim ids")
        parser.add_argument(
            "--providers", default="", help="comma-separated provider names (default: enabled)"
        )
        parser.add_argument("--wait", action="store_true", help="wait until every job finished")
        parser.add_argument(
            "--timeout", type=float, default=600.0, help="seconds to wait at most (default 600)"
        )

    def handle(self, *args, article_id, claims, providers, wait, timeout, **options):
        try:
            article = Article.objects.get(pk=int(article_id))
        except (ValueError, Article.DoesNotExist):
            raise CommandError(f"No article with id {article_id!r}.") from None
        if timeout <= 0:
            raise CommandError("--timeout must be a positive number of seconds.")
        selected = self._claims(article, claims)
        if not selected:
            raise CommandError(f"Article {article.pk} has no claims to gather sources for.")
        names = [n.strip() for n in providers.split(",") if n.strip()] or None
        try:
            jobs = services.sources_gather(claims=selected, providers=names)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        claim_ids = [claim.pk for claim in selected]
        providers_used = sorted({job.provider for job in jobs})
        self.stdout.write(
            f"Enqueued source gathering for {len(selected)} claim(s) of article {article.pk}: "
            f"{len(jobs)} search job(s) ({', '.join(providers_used) or 'no provider enabled'})."
        )
        if not wait:
            return
        summary = self._wait(claim_ids, timeout)
        self._print_summary(summary)
        if not summary["done"]:
            raise CommandError(
                f"Timed out after {timeout:g} s: {summary['total'] - summary['finished']} "
                "job(s) still unfinished (they go on in the background)."
            )

    def _claims(self, article, claims_arg: str) -> list[Claim]:
        if not claims_arg.strip():
            return list(article.claims.exclude(state__in=SKIPPED_STATES).order_by("start"))
        ids = []
        for part in claims_arg.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise CommandError(f"Not a claim id: {part!r} (expected e.g. --claims 3,4).")
            ids.append(int(part))
        found = {c.pk: c for c in article.claims.filter(pk__in=ids)}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise CommandError(
                f"Claim(s) {', '.join(missing)} do not exist or are not part of article "
                f"{article.pk}."
            )
        return [found[i] for i in dict.fromkeys(ids)]

    def _wait(self, claim_ids, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        tty = self.stderr.isatty()
        last_line = ""
        while True:
            summary = selectors.job_summary(claim_ids=claim_ids)
            line = self._progress_line(summary)
            if line != last_line or tty:
                if tty:
                    self.stderr.write("\r" + line.ljust(len(last_line)), ending="")
                else:
                    self.stderr.write(line)
                self.stderr.flush()
                last_line = line
            if summary["done"] or time.monotonic() >= deadline:
                if tty:
                    self.stderr.write("")
                return summary
            time.sleep(0.5)

    @staticmethod
    def _progress_line(summary: dict) -> str:
        total, finished = summary["total"], summary["finished"]
        width = 30
        filled = int(width * finished / total) if total else width
        failed = summary["by_status"].get("failed", 0)
        retrying = summary["by_status"].get("retrying", 0)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {finished}/{total} jobs finished"
            f" ({failed} failed, {retrying} retrying)"
        )

    def _print_summary(self, summary: dict) -> None:
        self.stdout.write(f"{'provider':<12} {'jobs':>5} {'hits':>5} {'failed':>7}")
        for name, stats in sorted(summary["by_provider"].items()):
            hits = stats["hits"] if name != "page" else stats["succeeded"]
            self.stdout.write(f"{name:<12} {stats['jobs']:>5} {hits:>5} {stats['failed']:>7}")
