"""Admin actions call the services for the selected rows and report what happened."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from claims.errors import InvalidState
from claims.models import Claim, Verdict
from tests.admin.conftest import messages_of, run_action
from tests.factories import ArticleFactory, ClaimFactory, FetchJobFactory, VerdictFactory

pytestmark = pytest.mark.django_db


@dataclass
class FakeExtraction:
    created: int
    updated: int
    kept: int


def test_reextracting_calls_the_service_for_each_selected_article(
    admin_client, admin_user, monkeypatch
):
    chosen = [ArticleFactory(), ArticleFactory()]
    ArticleFactory()  # not selected
    calls = []

    def fake(*, article, user=None):
        calls.append((article.pk, user.pk))
        return FakeExtraction(created=2, updated=1, kept=3)

    monkeypatch.setattr("claims.services.article_extract_claims", fake, raising=False)
    response = run_action(admin_client, "claims.article", "reextract_claims", chosen)
    assert sorted(calls) == sorted((a.pk, admin_user.pk) for a in chosen)
    assert any(
        "Re-extracted 2 articles: 4 claims created, 2 updated, 6 kept." in m
        for m in messages_of(response)
    )


def test_a_failing_reextraction_is_reported_and_the_others_still_run(admin_client, monkeypatch):
    good, bad = ArticleFactory(title="TEST good"), ArticleFactory(title="TEST bad")

    def fake(*, article, user=None):
        if article.pk == bad.pk:
            raise InvalidState("TEST extraction refused")
        return FakeExtraction(created=1, updated=0, kept=0)

    monkeypatch.setattr("claims.services.article_extract_claims", fake, raising=False)
    response = run_action(admin_client, "claims.article", "reextract_claims", [good, bad])
    found = messages_of(response)
    assert "TEST bad: TEST extraction refused" in found
    assert any("Re-extracted 1 article" in m for m in found)


def test_an_unexpected_error_is_reported_not_hidden(admin_client, monkeypatch):
    article = ArticleFactory(title="TEST crash")

    def fake(*, article, user=None):
        raise RuntimeError("TEST disk on fire")

    monkeypatch.setattr("claims.services.article_extract_claims", fake, raising=False)
    response = run_action(admin_client, "claims.article", "reextract_claims", [article])
    assert any("RuntimeError: TEST disk on fire" in m for m in messages_of(response))


def test_gathering_sources_for_articles_sends_their_live_claims(
    admin_client, admin_user, monkeypatch
):
    article = ArticleFactory()
    live = ClaimFactory(article=article)
    ClaimFactory(article=article, start=0, end=10, state=Claim.State.SUPERSEDED)
    calls = []

    def fake(*, claims, requested_by=None, providers=None):
        calls.append(([c.pk for c in claims], requested_by))
        return ["job-a", "job-b"]

    monkeypatch.setattr("sources.services.sources_gather", fake, raising=False)
    response = run_action(admin_client, "claims.article", "gather_sources", [article])
    assert calls == [([live.pk], admin_user)]
    assert "Gathering sources for 1 claim: 2 jobs queued." in messages_of(response)


def test_gathering_sources_for_claims_skips_superseded_and_not_checkworthy(
    admin_client, monkeypatch
):
    article = ArticleFactory()
    live = ClaimFactory(article=article)
    superseded = ClaimFactory(article=article, start=0, end=10, state=Claim.State.SUPERSEDED)
    triaged = ClaimFactory(article=article, start=0, end=4, state=Claim.State.NOT_CHECKWORTHY)
    calls = []

    def fake(*, claims, requested_by=None, providers=None):
        calls.append([c.pk for c in claims])
        return ["job"]

    monkeypatch.setattr("sources.services.sources_gather", fake, raising=False)
    response = run_action(
        admin_client, "claims.claim", "gather_sources", [live, superseded, triaged]
    )
    assert calls == [[live.pk]]
    found = messages_of(response)
    assert any("2 claims skipped" in m for m in found)
    assert "Gathering sources for 1 claim: 1 jobs queued." in found


def test_a_gathering_failure_is_reported(admin_client, monkeypatch):
    claim = ClaimFactory()

    def fake(*, claims, requested_by=None, providers=None):
        raise InvalidState("TEST no provider enabled")

    monkeypatch.setattr("sources.services.sources_gather", fake, raising=False)
    response = run_action(admin_client, "claims.claim", "gather_sources", [claim])
    assert any("TEST no provider enabled" in m for m in messages_of(response))


def test_retrying_calls_the_service_for_failed_jobs_only(admin_client, admin_user, monkeypatch):
    failed = [FetchJobFactory(status="failed"), FetchJobFactory(status="failed")]
    done = FetchJobFactory(status="succeeded")
    calls = []

    def fake(*, job, user):
        calls.append((job.pk, user.pk))
        return job

    monkeypatch.setattr("sources.services.fetch_job_retry", fake, raising=False)
    response = run_action(admin_client, "sources.fetchjob", "retry_failed", [*failed, done])
    assert sorted(calls) == sorted((j.pk, admin_user.pk) for j in failed)
    found = messages_of(response)
    assert "1 job skipped: only failed jobs are retried." in found
    assert "2 jobs queued again." in found


# --- publish and withdraw -------------------------------------------------------------------
def test_an_admin_publishes_a_submitted_verdict_through_the_service(
    admin_client, admin_user, reviewer
):
    verdict = VerdictFactory(author=reviewer, status=Verdict.Status.SUBMITTED)
    response = run_action(admin_client, "claims.verdict", "publish_verdicts", [verdict])
    assert "1 verdict published." in messages_of(response)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED
    assert verdict.approved_by == admin_user and verdict.published_at is not None
    assert verdict.claim.state == Claim.State.PUBLISHED
    assert verdict.history.first().history_user == admin_user


@pytest.mark.parametrize("status", [Verdict.Status.SUBMITTED, Verdict.Status.APPROVED])
def test_an_admin_cannot_publish_a_verdict_they_wrote(admin_client, admin_user, editor, status):
    verdict = VerdictFactory(
        author=admin_user, status=status, approved_by=editor if status == "approved" else None
    )
    response = run_action(admin_client, "claims.verdict", "publish_verdicts", [verdict])
    assert any("another editor must approve and publish it" in m for m in messages_of(response))
    verdict.refresh_from_db()
    assert verdict.status == status


def test_publishing_a_draft_reports_the_services_refusal(admin_client, reviewer):
    verdict = VerdictFactory(author=reviewer, status=Verdict.Status.DRAFT)
    response = run_action(admin_client, "claims.verdict", "publish_verdicts", [verdict])
    assert any("cannot be published" in m for m in messages_of(response))
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.DRAFT


def _published(reviewer, **kwargs):
    verdict = VerdictFactory(author=reviewer, status=Verdict.Status.PUBLISHED, **kwargs)
    verdict.claim.state = Claim.State.PUBLISHED
    verdict.claim.save()
    return verdict


def test_withdrawing_first_asks_for_a_reason(admin_client, reviewer):
    verdict = _published(reviewer)
    response = admin_client.post(
        reverse("admin:claims_verdict_changelist"),
        {"action": "withdraw_verdicts", "_selected_action": [verdict.pk]},
    )
    assert response.status_code == 200
    assert b'name="reason"' in response.content
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED


def test_withdrawing_without_a_reason_changes_nothing(admin_client, reviewer):
    verdict = _published(reviewer)
    response = admin_client.post(
        reverse("admin:claims_verdict_changelist"),
        {
            "action": "withdraw_verdicts",
            "_selected_action": [verdict.pk],
            "confirm": "yes",
            "reason": "   ",
        },
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED


def test_withdrawing_with_a_reason_goes_through_the_service(admin_client, admin_user, reviewer):
    verdict = _published(reviewer)
    draft = VerdictFactory(author=reviewer)
    response = run_action(
        admin_client,
        "claims.verdict",
        "withdraw_verdicts",
        [verdict, draft],
        confirm="yes",
        reason="TEST the source was retracted",
    )
    found = messages_of(response)
    assert "1 verdict withdrawn." in found
    assert "1 verdict skipped: only published verdicts can be withdrawn." in found
    verdict.refresh_from_db()
    draft.refresh_from_db()
    assert verdict.status == Verdict.Status.WITHDRAWN
    assert verdict.withdrawal_reason == "TEST the source was retracted"
    assert verdict.claim.state == Claim.State.IN_REVIEW
    assert verdict.history.first().history_user == admin_user
    assert draft.status == Verdict.Status.DRAFT
