"""TEST records whose every free-text field carries a script-injection payload.

Shared by the Django-client XSS checks (tests/security/test_xss_escaping.py) and the browser
checks (tests/e2e/test_xss.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from claims.models import Claim, Verdict
from sources.models import FactCheckMatch, FetchJob
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    FactCheckFactory,
    FetchJobFactory,
    SourceFactory,
    VerdictFactory,
)

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "'><iframe srcdoc='<script>parent.__xss=1</script>'>",
    "</textarea><script>window.__xss=1</script>",
    "\u202e<b onmouseover=window.__xss=1>evil\u202c",
    "{{ 7*7 }}<style>*{display:none}</style>",
]
SCRIPT_PAYLOAD = PAYLOADS[0]
JS_URL = "javascript:window.__xss=1//"


def tagged(label: str) -> str:
    """Every payload, labelled, as one string."""
    return " ".join(f"TEST {label} {p}" for p in PAYLOADS)


def short(label: str) -> str:
    """The first payloads only, for fields of 300 characters."""
    return f"TEST {label} {PAYLOADS[0]} {PAYLOADS[1]} {PAYLOADS[2]}"


@dataclass
class HostileWorld:
    article: object
    claim: Claim  # with a submitted verdict, evidence and a fact-check match
    published_claim: Claim
    submitted: Verdict
    published: Verdict
    objects: dict = field(default_factory=dict)


def make_hostile_world(*, author, approver) -> HostileWorld:
    """An article, claims, sources, evidence, verdicts, a fact-check and a failed job whose
    texts are all payloads. ``author`` writes the verdicts, ``approver`` approved one."""
    first = f"TEST DATA claim one {PAYLOADS[0]} {PAYLOADS[1]} bought 400 widgets in 2022."
    second = f"TEST DATA claim two {PAYLOADS[2]} {PAYLOADS[5]} rose by 12%."
    text = f"{first} {tagged('article')} {second} {PAYLOADS[4]} {PAYLOADS[3]}"
    article = ArticleFactory(
        title=tagged("title"),
        text=text,
        url=JS_URL,
        publisher=short("publisher"),
    )
    claim = ClaimFactory(
        article=article,
        start=0,
        end=len(first),
        text=first,
        wording=tagged("wording"),
        state=Claim.State.REVIEWED,
    )
    start = text.index(second)
    published_claim = ClaimFactory(
        article=article,
        start=start,
        end=start + len(second),
        text=second,
        wording=tagged("published wording"),
        state=Claim.State.PUBLISHED,
    )
    source = SourceFactory(
        title=tagged("source title"),
        publisher=short("source publisher"),
        url="https://test-source.invalid/x?q=%22%3E%3Cscript%3Ewindow.__xss=1%3C/script%3E",
        text=tagged("source text"),
        snippet=tagged("snippet"),
    )
    evidence = EvidenceFactory(claim=claim, source=source, passage=tagged("passage"), score=0.9)
    published_evidence = EvidenceFactory(
        claim=published_claim, source=source, passage=tagged("published passage"), score=0.9
    )
    now = timezone.now()
    submitted = VerdictFactory(
        claim=claim,
        author=author,
        status=Verdict.Status.SUBMITTED,
        submitted_at=now,
        label=Verdict.Label.REFUTED,
        summary=tagged("summary"),
        rationale=tagged("rationale"),
        language="en",
    )
    submitted.cited_evidence.add(evidence)
    published = VerdictFactory(
        claim=published_claim,
        author=author,
        approved_by=approver,
        status=Verdict.Status.PUBLISHED,
        submitted_at=now,
        approved_at=now,
        published_at=now,
        label=Verdict.Label.REFUTED,
        summary=tagged("public summary"),
        rationale=tagged("public rationale"),
        language="en",
    )
    published.cited_evidence.add(published_evidence)
    factcheck = FactCheckFactory(
        claim_text=tagged("factcheck claim"),
        publisher_name=short("factcheck publisher"),
        rating=short("rating"),
        title=tagged("factcheck title"),
        url=JS_URL,
    )
    match = FactCheckMatch.objects.create(claim=claim, factcheck=factcheck, score=0.9)
    job = FetchJobFactory(
        claim=claim,
        kind=FetchJob.Kind.FETCH_PAGE,
        url=JS_URL,
        query=tagged("query"),
        status=FetchJob.Status.FAILED,
        last_error=tagged("error"),
    )
    return HostileWorld(
        article=article,
        claim=claim,
        published_claim=published_claim,
        submitted=submitted,
        published=published,
        objects={
            "claims/article": article.pk,
            "claims/claim": claim.pk,
            "claims/verdict": submitted.pk,
            "sources/source": source.pk,
            "sources/evidence": evidence.pk,
            "sources/factcheck": factcheck.pk,
            "sources/factcheckmatch": match.pk,
            "sources/fetchjob": job.pk,
        },
    )


def reviewer_pages(world: HostileWorld) -> list[str]:
    return [
        "/",
        f"/articles/{world.article.pk}/",
        "/claims/",
        f"/claims/{world.claim.pk}/",
        f"/claims/{world.published_claim.pk}/",
        f"/claims/{world.claim.pk}/history/",
        "/verdicts/",  # approvals (editors)
    ]


def public_pages(world: HostileWorld) -> list[str]:
    return [f"/verdicts/{world.published.uuid}/"]


def admin_pages(world: HostileWorld) -> list[str]:
    pages = []
    for model, pk in world.objects.items():
        pages += [f"/admin/{model}/", f"/admin/{model}/{pk}/change/"]
    return pages
