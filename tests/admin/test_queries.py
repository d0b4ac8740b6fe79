"""Changelists run a fixed number of queries, however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from sources.models import FactCheckMatch
from tests.admin.conftest import changelist_url
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    FactCheckFactory,
    FetchJobFactory,
    SourceFactory,
    UserFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db


def _add_rows(n: int) -> None:
    for _ in range(n):
        user = UserFactory(role="reviewer")
        claim = ClaimFactory(assignee=user)
        evidence = EvidenceFactory(claim=claim, stance_by=user)
        verdict = VerdictFactory(claim=claim, author=user, approved_by=user)
        verdict.cited_evidence.add(evidence)
        FactCheckMatch.objects.create(
            claim=claim, factcheck=FactCheckFactory(), score=0.5, provider="test"
        )
        FetchJobFactory(
            claim=claim,
            article=claim.article,
            source=evidence.source,
            requested_by=user,
            status="failed",
            last_error="TEST error",
        )
        ApiToken.issue(user=user, name="TEST token")
        ArticleFactory(created_by=user)
        SourceFactory(added_by=user)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "model",
    [
        "claims.article",
        "claims.claim",
        "claims.verdict",
        "sources.source",
        "sources.evidence",
        "sources.factcheck",
        "sources.factcheckmatch",
        "sources.fetchjob",
        "accounts.apitoken",
        "auth.user",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    url = changelist_url(model)
    _add_rows(2)
    few = _queries(admin_client, url)
    _add_rows(25)
    many = _queries(admin_client, url)
    assert many == few, f"{model}: {few} queries with few rows, {many} with many"
    assert many <= 15


def test_the_jobs_overview_runs_a_fixed_number_of_queries(admin_client, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr("workbench.health.check_all", lambda: {"ok": True, "parts": {}})
    _add_rows(2)
    few = _queries(admin_client, reverse("admin:jobs_overview"))
    _add_rows(25)
    assert _queries(admin_client, reverse("admin:jobs_overview")) == few
