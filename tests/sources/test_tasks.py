"""Tasks and the fetch_sources command (the broker replaced by an in-process stand-in)."""

import io

import pytest
from django.core.management import CommandError, call_command

from sources import selectors, services, tasks
from sources.models import Evidence, FetchJob
from sources.providers.base import Hit, ProviderError
from tests.factories import ArticleFactory, ClaimFactory

WIDGET_TEXT = "TEST DATA. The test ministry bought 400 test widgets in 2022, the records show."


@pytest.fixture
def inline_worker(monkeypatch):
    """Messages are run at once in this process, as a worker would run them (after commit)."""
    ran = []

    def apply_async(args=None, countdown=None, **kwargs):
        ran.append(args[0])
        if not countdown:
            tasks.run_fetch_job.run(*args)

    monkeypatch.setattr(tasks.run_fetch_job, "apply_async", apply_async)
    monkeypatch.setattr("workbench.broker.broker_available", lambda: True)
    return ran


@pytest.mark.django_db
def test_the_task_runs_the_job_through_the_service(fake_providers, sent):
    fake_providers["alpha"] = [Hit(url="https://test.invalid/a", title="TEST", text=WIDGET_TEXT)]
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    assert tasks.run_fetch_job.run(job.pk) == FetchJob.Status.SUCCEEDED
    assert tasks.run_fetch_job.run(job.pk) is None
    assert Evidence.objects.count() == 1


@pytest.mark.django_db
def test_the_sweep_task_reports_what_it_reenqueued(sent):
    job = FetchJob.objects.create(key="t:lost", kind="search", provider="alpha")
    assert tasks.sweep_fetch_jobs.run() == {"lost": 1, "expired": 0, "failed": 0}
    assert sent == [(job.pk, None)]


def test_tasks_are_routed_to_the_io_queue_and_acknowledged_late(settings):
    from workbench.celery import app

    route = app.amqp.router.route({}, "sources.tasks.run_fetch_job")
    assert route["queue"].name == "io"
    assert tasks.run_fetch_job.acks_late is True
    assert app.conf.task_serializer == "json"


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_article():
    with pytest.raises(CommandError, match="No article with id '999999'"):
        call_command("fetch_sources", "999999")
    with pytest.raises(CommandError, match="No article"):
        call_command("fetch_sources", "abc")


@pytest.mark.django_db
def test_the_command_refuses_claims_of_another_article(fake_providers):
    article = ArticleFactory()
    ClaimFactory(article=article)
    other = ClaimFactory()
    with pytest.raises(CommandError, match=f"{other.pk} do not exist or are not part"):
        call_command("fetch_sources", str(article.pk), "--claims", str(other.pk))
    with pytest.raises(CommandError, match="Not a claim id"):
        call_command("fetch_sources", str(article.pk), "--claims", "1,x")


@pytest.mark.django_db(transaction=True)
def test_the_command_waits_for_every_job_and_prints_a_summary(fake_providers, inline_worker):
    fake_providers["alpha"] = [Hit(url="https://test.invalid/a", title="TEST", text=WIDGET_TEXT)]
    fake_providers["beta"] = ProviderError("TEST bad request")
    article = ArticleFactory()
    claim = ClaimFactory(article=article)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "fetch_sources", str(article.pk), "--wait", "--timeout", "20", stdout=out, stderr=err
    )
    assert "1 claim(s)" in out.getvalue()
    lines = {line.split()[0]: line.split() for line in out.getvalue().splitlines() if line}
    assert lines["alpha"][1:] == ["1", "1", "0"]  # jobs, hits, failed
    assert lines["beta"][1:] == ["1", "0", "1"]
    assert "2/2 jobs finished" in err.getvalue()
    summary = selectors.job_summary(claim_ids=[claim.pk])
    assert summary["done"] is True


@pytest.mark.django_db(transaction=True)
def test_the_command_fails_when_the_wait_times_out(fake_providers, sent):
    article = ArticleFactory()
    ClaimFactory(article=article)
    with pytest.raises(CommandError, match="Timed out"):
        call_command(
            "fetch_sources",
            str(article.pk),
            "--wait",
            "--timeout",
            "0.6",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


@pytest.mark.django_db
def test_jobs_for_a_claim_include_the_pages_it_waits_on(fake_providers, sent):
    fake_providers["alpha"] = [Hit(url="https://test.invalid/page", title="TEST", snippet="x")]
    claim = ClaimFactory()
    [job] = services.sources_gather(claims=[claim], providers=["alpha"])
    services.fetch_job_run(job_id=job.pk)
    kinds = sorted(j.kind for j in selectors.jobs_for_claim(claim=claim))
    assert kinds == ["fetch_page", "search"]
    summary = selectors.job_summary(article=claim.article)
    assert summary["total"] == 2
    assert summary["by_provider"]["page"]["jobs"] == 1
    assert summary["done"] is False
