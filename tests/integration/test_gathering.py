"""Gathering sources end to end with a real Redis and real Celery workers (TEST DATA).

Fake providers and news pages are served by a local HTTP server the workers reach over
HTTP; the workers are separate processes started (and stopped) by each test.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from claims.models import Article, Claim
from sources.models import Evidence, FactCheckMatch, FetchJob, Source
from tests.integration import workers
from tests.sources.fakesite import FakeSite

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ARTICLE_TEXT = (
    "TEST DATA. The test ministry bought 400 test widgets in 2022. "
    "The test harbour in Testville handled 12 million test containers last year. "
    "Readers liked the story."
)
PROVIDERS = ",".join(
    f"{name}=tests.sources.fakes.HttpFakeProvider" for name in ("alpha", "beta", "gamma")
)


def make_article() -> tuple[Article, list[Claim]]:
    import hashlib

    article = Article.objects.create(
        title="TEST integration article",
        text=ARTICLE_TEXT,
        language="en",
        status=Article.Status.READY,
        content_hash=hashlib.sha256(ARTICLE_TEXT.encode()).hexdigest(),
    )
    claims = []
    for sentence in ("The test ministry bought", "The test harbour in Testville"):
        start = ARTICLE_TEXT.index(sentence)
        end = ARTICLE_TEXT.index(".", start) + 1
        claims.append(
            Claim.objects.create(
                article=article,
                start=start,
                end=end,
                text=ARTICLE_TEXT[start:end],
                language="en",
                checkworthiness=0.9,
            )
        )
    return article, claims


def env_for(site: FakeSite, redis_url: str, **extra) -> dict[str, str]:
    return workers.base_env(
        redis_url,
        SOURCES_PROVIDERS=PROVIDERS,
        TEST_PROVIDER_BASE_URL=site.base_url,
        SOURCES_HTTP_TIMEOUT="10",
        **extra,
    )


def all_final() -> bool:
    jobs = FetchJob.objects.all()
    return jobs.exists() and not jobs.exclude(status__in=FetchJob.FINAL_STATUSES).exists()


def assert_no_duplicate_evidence():
    pairs = Counter(Evidence.objects.values_list("claim_id", "source_id"))
    assert pairs and max(pairs.values()) == 1, pairs
    matches = Counter(FactCheckMatch.objects.values_list("claim_id", "factcheck_id"))
    assert not matches or max(matches.values()) == 1


def worker_log(path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def test_an_articles_sources_are_gathered_end_to_end(redis_url, tmp_path):
    article, claims = make_article()
    with FakeSite(latency=0.05) as site:
        env = env_for(site, redis_url)
        worker = workers.start_worker(env, tmp_path / "worker.log", name="e2e")
        try:
            result = workers.manage(
                env, "fetch_sources", str(article.pk), "--wait", "--timeout", "45", timeout=60
            )
            assert result.returncode == 0, result.stderr + worker_log(tmp_path / "worker.log")
        finally:
            workers.stop(worker)
    assert "jobs finished" in result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}
    assert lines["alpha"] == ["2", "2", "0"]  # jobs, hits, failed
    assert lines["beta"] == ["2", "4", "0"]
    assert FetchJob.objects.exclude(status=FetchJob.Status.SUCCEEDED).count() == 0
    # beta: 2 pages per claim; gamma: one page shared by both claims.
    pages = FetchJob.objects.filter(kind=FetchJob.Kind.FETCH_PAGE)
    assert pages.count() == 5
    shared = pages.get(url__endswith="/page/shared")
    assert shared.waiting_claims.count() == 2
    assert len(site.requests_for("/page/shared")) == 1
    for claim in claims:
        evidence = Evidence.objects.filter(claim=claim)
        assert evidence.filter(provider="alpha").count() == 1
        assert evidence.filter(provider="beta", passage_end__gt=0).count() == 2
        for item in evidence.select_related("source"):
            if item.passage_end:
                assert item.source.text[item.passage_start : item.passage_end] == item.passage
        assert FactCheckMatch.objects.filter(claim=claim).count() == 1
    assert Source.objects.filter(fetch_status=Source.FetchStatus.FETCHED).count() >= 7
    assert_no_duplicate_evidence()


def test_a_killed_worker_loses_no_job_and_duplicates_no_evidence(redis_url, tmp_path):
    article, claims = make_article()
    with FakeSite(latency=0.05, slow={"-1": 4.0}) as site:
        env = env_for(site, redis_url, SOURCES_JOB_LEASE_SECONDS="5", SOURCES_SWEEP_SECONDS="1")
        first = workers.start_worker(env, tmp_path / "first.log", name="first")
        second = None
        try:
            result = workers.manage(env, "fetch_sources", str(article.pk))
            assert result.returncode == 0, result.stderr
            # Wait until the first worker is in the middle of a slow page fetch, then kill it.
            workers.wait_for(
                lambda: FetchJob.objects.filter(
                    kind=FetchJob.Kind.FETCH_PAGE,
                    status=FetchJob.Status.RUNNING,
                    url__contains="-1",
                ).exists(),
                timeout=30,
                what="a slow page fetch to start\n" + worker_log(tmp_path / "first.log"),
            )
            workers.stop(first, kill=True)
            killed_at = time.monotonic()
            stranded = list(
                FetchJob.objects.filter(status=FetchJob.Status.RUNNING).values_list("pk", flat=True)
            )
            assert stranded
            second = workers.start_worker(env, tmp_path / "second.log", name="second", beat=True)
            workers.wait_for(
                all_final,
                timeout=45,
                what="every job to finish\n" + worker_log(tmp_path / "second.log"),
            )
        finally:
            workers.stop(first, kill=True)
            workers.stop(second)
    assert time.monotonic() - killed_at < 50
    assert not FetchJob.objects.exclude(status=FetchJob.Status.SUCCEEDED).exists()
    for job in FetchJob.objects.filter(pk__in=stranded):
        assert job.attempts >= 2  # taken again after the lease expired
    for claim in claims:
        assert Evidence.objects.filter(claim=claim, provider="beta", passage_end__gt=0).count() == 2
    assert_no_duplicate_evidence()


def test_every_job_reaches_a_final_state_when_redis_restarts_mid_run(tmp_path):
    article, claims = make_article()
    port = workers.free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    server = workers.start_redis(port, tmp_path)
    log = tmp_path / "worker.log"
    restarts = 0
    with FakeSite(latency=0.05, slow={"-": 1.5}) as site:
        env = env_for(site, redis_url, SOURCES_JOB_LEASE_SECONDS="5", SOURCES_SWEEP_SECONDS="1")
        worker = workers.start_worker(env, log, name="restart", beat=True)
        try:
            result = workers.manage(env, "fetch_sources", str(article.pk))
            assert result.returncode == 0, result.stderr
            workers.wait_for(
                lambda: FetchJob.objects.filter(kind=FetchJob.Kind.FETCH_PAGE).exists(),
                timeout=30,
                what="page fetches to be queued\n" + worker_log(log),
            )
            # Redis goes away with every message in it, and comes back empty.
            unfinished = FetchJob.objects.exclude(status__in=FetchJob.FINAL_STATUSES).count()
            workers.stop(server, kill=True)
            time.sleep(2)
            server = workers.start_redis(port, tmp_path)

            def finished_or_supervised():
                # A worker may exit on a lost broker connection (a kombu bug on channel close);
                # in production the process supervisor restarts it, as this test does.
                nonlocal worker, restarts
                if worker.poll() is not None:
                    restarts += 1
                    worker = workers.start_worker(env, log, name=f"restart{restarts}", beat=True)
                return all_final()

            workers.wait_for(
                finished_or_supervised,
                timeout=50,
                what="every job to finish\n" + worker_log(log),
            )
        finally:
            workers.stop(worker)
            workers.stop(server, kill=True)
    assert unfinished > 0  # Redis really went away mid-run
    assert restarts <= 3
    assert not FetchJob.objects.exclude(status=FetchJob.Status.SUCCEEDED).exists()
    assert FetchJob.objects.filter(kind=FetchJob.Kind.FETCH_PAGE).count() == 5
    assert_no_duplicate_evidence()
