"""Reads for the API, with their joins, so no endpoint grows N+1 queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet, Subquery

from accounts import roles
from claims.models import Article, Claim, Verdict
from sources.models import Evidence, FactCheck, FetchJob

PUBLIC_VERDICT_STATUSES = (Verdict.Status.PUBLISHED, Verdict.Status.WITHDRAWN)

_CITED_FIELDS = (
    "id",
    "claim_id",
    "stance",
    "passage",
    "source__id",
    "source__url",
    "source__title",
    "source__publisher",
    "source__domain",
    "source__published_at",
)


def verdicts_visible_to(user) -> QuerySet[Verdict]:
    """Reviewers see every verdict; anyone else only published and withdrawn ones."""
    queryset = Verdict.objects.all()
    if not roles.can_review(user):
        queryset = queryset.filter(status__in=PUBLIC_VERDICT_STATUSES)
    return queryset


def verdicts_published_feed() -> QuerySet[Verdict]:
    return Verdict.objects.filter(status__in=PUBLIC_VERDICT_STATUSES)


def verdicts_with_details(queryset: QuerySet[Verdict], *, reviewer: bool) -> QuerySet[Verdict]:
    """Everything a verdict's representation needs, in two queries per page."""
    queryset = queryset.select_related("claim__article")
    if reviewer:
        queryset = queryset.select_related("author", "approved_by")
    cited = Evidence.objects.select_related("source").only(*_CITED_FIELDS).order_by("-score", "id")
    return queryset.prefetch_related(Prefetch("cited_evidence", queryset=cited))


def verdicts_for_claimreview(queryset: QuerySet[Verdict]) -> QuerySet[Verdict]:
    """Only what ClaimReview documents need."""
    return queryset.select_related("claim__article").only(
        "id",
        "uuid",
        "status",
        "label",
        "summary",
        "language",
        "published_at",
        "withdrawn_at",
        "updated_at",
        "claim__id",
        "claim__text",
        "claim__wording",
        "claim__language",
        "claim__article__id",
        "claim__article__title",
        "claim__article__url",
        "claim__article__publisher",
        "claim__article__published_at",
        "claim__article__language",
    )


def _latest(model) -> Subquery:
    return Subquery(model.objects.order_by("-updated_at").values("updated_at")[:1])


def verdicts_fingerprint(queryset: QuerySet[Verdict], *, count: bool = False) -> dict:
    """A cheap summary that changes whenever any verdict of ``queryset`` changes or appears,
    or any claim or article changes (their text shows in verdicts): the base of the feeds'
    ETag/Last-Modified and cache keys.

    One query that walks the ``updated_at`` index backwards to the filtered set's latest
    change, with the latest claim and article changes as scalar subqueries. A change to an
    unrelated claim only costs clients one extra full answer, never a stale one. With
    ``count`` (the reviewers' list, where drafts get deleted) the row count is added, so a
    deletion changes it too; published and withdrawn verdicts are never deleted by the
    workflow (they are withdrawn: a tombstone with a new ``updated_at``)."""
    row = (
        queryset.order_by("-updated_at")
        .annotate(claim_last=_latest(Claim), article_last=_latest(Article))
        .values("updated_at", "claim_last", "article_last")[:1]
    )
    found = next(iter(row), None) or {}
    summary = {
        "last": found.get("updated_at"),
        "claim_last": found.get("claim_last"),
        "article_last": found.get("article_last"),
        "count": queryset.order_by().count() if count else None,
    }
    return summary


def articles_for_api() -> QuerySet[Article]:
    return Article.objects.annotate(claim_count=Count("claims")).defer("text")


def article_detail() -> QuerySet[Article]:
    return Article.objects.annotate(claim_count=Count("claims"))


def claims_for_api() -> QuerySet[Claim]:
    return Claim.objects.select_related("assignee")


def evidence_for_claim(claim: Claim) -> QuerySet[Evidence]:
    return (
        Evidence.objects.filter(claim=claim)
        .select_related("source", "stance_by")
        .defer("source__text")
        .order_by("-score", "id")
    )


def jobs_for_claim(claim: Claim) -> QuerySet[FetchJob]:
    return FetchJob.objects.filter(claim=claim).order_by("-created_at", "-id")


def factchecks_for_claim(claim: Claim):
    return (
        claim.factcheck_matches.select_related("factcheck")
        .defer("factcheck__raw")
        .order_by("-score", "id")
    )


def factchecks_for_api() -> QuerySet[FactCheck]:
    return FactCheck.objects.defer("raw")
