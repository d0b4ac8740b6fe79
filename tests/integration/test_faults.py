"""Faults the workbench survives without losing anything (TEST DATA).

- the database drops every connection for a few seconds while a worker runs jobs
  (PostgreSQL only: a TCP proxy in the test stands between the worker and the server);
- providers that hang, answer garbage, or rate-limit for a while;
- two reviewers saving the same verdict at the same moment;
- Redis down: /healthz names the part, the desk and the feed keep answering.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import httpx
import pytest
from django.db import connection, connections
from django.test import override_settings
from django.urls import reverse
from werkzeug import Request, Response

from accounts.models import ApiToken
from claims.errors import StaleVersion
from claims.models import Verdict
from claims.services import verdict_save_draft
from sources.models import Evidence, FetchJob
from tests.factories import ClaimFactory, UserFactory, VerdictFactory
from tests.integration import workers

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("role_groups"),
]


def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{workers.free_port()}/0"


def worker_log(path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else ""


# --- two reviewers, one verdict ------------------------------------------------------------


def _race(calls) -> list:
    """Run the callables at the same moment (a barrier), each on its own DB connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_reviewers_saving_the_same_verdict_at_once_one_wins_the_other_is_told():
    author = UserFactory(username="author", role="reviewer")
    admin = UserFactory(username="chief", role="admin", is_staff=True, is_superuser=True)
    verdict = VerdictFactory(author=author, version=1, summary="TEST first draft")

    def save(user, summary):
        return lambda: verdict_save_draft(
            claim=verdict.claim,
            user=user,
            label=Verdict.Label.REFUTED,
            summary=summary,
            expected_version=1,
        )

    results = _race([save(author, "TEST by the author"), save(admin, "TEST by the admin")])
    won = [r for r in results if isinstance(r, Verdict)]
    lost = [r for r in results if isinstance(r, StaleVersion)]
    assert len(won) == 1 and len(lost) == 1, results
    verdict.refresh_from_db()
    assert verdict.version == 2
    assert verdict.summary == won[0].summary


def test_two_concurrent_api_saves_of_one_verdict_give_one_200_and_one_409(live_server):
    author = UserFactory(username="author", role="reviewer")
    admin = UserFactory(username="chief", role="admin", is_staff=True, is_superuser=True)
    verdict = VerdictFactory(author=author, version=1, summary="TEST first draft")
    keys = [ApiToken.issue(user=user, name="TEST race")[1] for user in (author, admin)]
    url = f"{live_server.url}/api/v1/verdicts/{verdict.pk}/"

    def put(key, summary):
        def call():
            with httpx.Client(timeout=20) as client:
                return client.put(
                    url,
                    json={"label": "refuted", "summary": summary, "version": 1},
                    headers={"Authorization": f"Token {key}"},
                )

        return call

    results = _race([put(keys[0], "TEST by the author"), put(keys[1], "TEST by the admin")])
    codes = sorted(getattr(r, "status_code", r) for r in results)
    assert codes == [200, 409], [getattr(r, "text", r) for r in results]
    stale = next(r for r in results if r.status_code == 409).json()
    assert "stale" in json.dumps(stale).lower()
    verdict.refresh_from_db()
    assert verdict.version == 2


# --- Redis down -----------------------------------------------------------------------------


@pytest.fixture
def redis_down():
    """Broker and cache pointed at a port where nothing listens."""
    from workbench import broker

    url = dead_redis_url()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "workbench",
        }
    }
    broker.forget_failures()
    with override_settings(CELERY_BROKER_URL=url, REDIS_URL=url, CACHES=caches):
        yield url
    broker.forget_failures()


def test_healthz_names_the_broker_when_redis_is_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    parts = response.json()["parts"]
    assert parts["database"]["ok"] is True
    assert parts["redis"]["ok"] is False
    assert "ConnectionError" in parts["redis"]["detail"] or "refused" in parts["redis"]["detail"]
    assert parts["workers"]["ok"] is False


def test_the_desk_and_the_feed_keep_answering_while_redis_is_down(client, redis_down):
    reviewer = UserFactory(username="reviewer", role="reviewer")
    claim = ClaimFactory()
    client.force_login(reviewer)
    assert client.get(reverse("claims:queue")).status_code == 200
    assert client.get(reverse("claims:claim", args=[claim.pk])).status_code == 200
    client.logout()
    feed = client.get("/api/v1/claimreviews/")
    assert feed.status_code == 200, feed.content[:500]
    etag = feed.headers.get("ETag")
    if etag:
        assert client.get("/api/v1/claimreviews/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@override_settings(SOURCES_PROVIDERS=["alpha=tests.sources.fakes.FakeProvider"])
def test_starting_source_gathering_while_redis_is_down_says_the_jobs_wait(client, redis_down):
    reviewer = UserFactory(username="reviewer", role="reviewer")
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(reverse("claims:claim_gather", args=[claim.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "job queue is unavailable right now" in page
    job = FetchJob.objects.get(claim=claim)
    assert job.status == FetchJob.Status.QUEUED  # kept: the sweep sends it once Redis is back


def test_healthz_reports_the_workers_that_answer(client, redis_url, tmp_path):
    env = workers.base_env(redis_url)
    worker = workers.start_worker(env, tmp_path / "worker.log", name="health")
    try:
        with override_settings(CELERY_BROKER_URL=redis_url, REDIS_URL=redis_url):

            def workers_ok():
                response = client.get("/healthz")
                return response.status_code == 200 and response.json()["parts"]["workers"]["ok"]

            log = worker_log(tmp_path / "worker.log")
            workers.wait_for(workers_ok, timeout=30, what="the worker to answer\n" + log)
            detail = client.get("/healthz").json()["parts"]["workers"]["detail"]
    finally:
        workers.stop(worker)
    assert any(name.startswith("health@") for name in detail)


# --- providers that hang, answer garbage, or rate-limit --------------------------------------

FAULTY_TEXT = (
    "TEST DATA. The Hangtown council spent 3 million test coins in 2023. "
    "The Garbleford test port moved 9 million test boxes last year. "
    "The Throttleby test mill employed 800 test workers in 2021."
)


class FaultyWiki:
    """A MediaWiki API (TEST DATA) that hangs for "Hangtown", answers an HTML error page for
    "Garbleford", and says 429 to "Throttleby" twice before answering properly."""

    def __init__(self, hang_seconds: float):
        from pytest_httpserver import HTTPServer

        self.hang_seconds = hang_seconds
        self.throttled = 0
        self.lock = threading.Lock()
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)

    def __enter__(self):
        import re

        self.server.expect_request(re.compile(".*")).respond_with_handler(self.handle)
        self.server.start()
        return self

    def __exit__(self, *exc):
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/{{lang}}/w/api.php"

    def handle(self, request: Request) -> Response:
        search = request.args.get("srsearch", "").lower()
        if "hangtown" in search:
            time.sleep(self.hang_seconds)
            return Response("{}", content_type="application/json")
        if "garbleford" in search:
            return Response(
                "<html><body><h1>502 TEST gateway</h1></body></html>", content_type="text/html"
            )
        if "throttleby" in search:
            with self.lock:
                self.throttled += 1
                throttle = self.throttled <= 2
            if throttle:
                return Response("TEST slow down", status=429, headers={"Retry-After": "1"})
            body = {"query": {"search": [{"title": "TEST Throttleby", "pageid": 4242}]}}
            return Response(json.dumps(body), content_type="application/json")
        if request.args.get("pageids") == "4242":
            page = {"pageid": 4242, "title": "TEST Throttleby", "extract": "TEST DATA mill."}
            return Response(json.dumps({"query": {"pages": [page]}}), mimetype="application/json")
        return Response(json.dumps({"query": {"search": []}}), content_type="application/json")


def make_faulty_article():
    import hashlib

    from claims.models import Article, Claim

    article = Article.objects.create(
        title="TEST faulty providers",
        text=FAULTY_TEXT,
        language="en",
        status=Article.Status.READY,
        content_hash=hashlib.sha256(FAULTY_TEXT.encode()).hexdigest(),
    )
    claims = {}
    for word in ("Hangtown", "Garbleford", "Throttleby"):
        start = FAULTY_TEXT.index(f"The {word}")
        end = FAULTY_TEXT.index(".", start) + 1
        claims[word] = Claim.objects.create(
            article=article,
            start=start,
            end=end,
            text=FAULTY_TEXT[start:end],
            language="en",
            checkworthiness=0.9,
        )
    return article, claims


def test_hanging_garbage_and_rate_limiting_providers_all_end_in_a_final_state(redis_url, tmp_path):
    article, claims = make_faulty_article()
    log = tmp_path / "worker.log"
    with FaultyWiki(hang_seconds=3) as wiki:
        env = workers.base_env(
            redis_url,
            SOURCES_PROVIDERS="wikipedia",
            SOURCES_WIKIPEDIA_API=wiki.api,
            SOURCES_WIKIPEDIA_LANGS="en",
            SOURCES_HTTP_TIMEOUT="1",
            SOURCES_JOB_MAX_ATTEMPTS="3",
        )
        worker = workers.start_worker(env, log, name="faulty")
        try:
            result = workers.manage(env, "fetch_sources", str(article.pk))
            assert result.returncode == 0, result.stderr
            workers.wait_for(
                lambda: (
                    FetchJob.objects.count() == 3
                    and not FetchJob.objects.exclude(status__in=FetchJob.FINAL_STATUSES).exists()
                ),
                timeout=40,
                what="every job to finish\n" + worker_log(log),
            )
        finally:
            workers.stop(worker)
    hang = FetchJob.objects.get(claim=claims["Hangtown"])
    assert hang.status == FetchJob.Status.FAILED
    assert hang.attempts == 3 and hang.error_transient is True
    assert "did not answer within 1 s" in hang.last_error
    garbage = FetchJob.objects.get(claim=claims["Garbleford"])
    assert garbage.status == FetchJob.Status.FAILED
    assert garbage.attempts == 1 and garbage.error_transient is False
    assert "not JSON" in garbage.last_error and "502 TEST gateway" in garbage.last_error
    throttled = FetchJob.objects.get(claim=claims["Throttleby"])
    assert throttled.status == FetchJob.Status.SUCCEEDED
    assert throttled.attempts == 3 and throttled.hits == 1
    assert wiki.throttled >= 3
    evidence = Evidence.objects.filter(claim=claims["Throttleby"])
    assert evidence.count() == 1
    assert not Evidence.objects.exclude(claim=claims["Throttleby"]).exists()


# --- the database goes away for a few seconds (PostgreSQL only) -----------------------------
# On SQLite the database is a file inside the worker's own process: there is no connection
# to lose, so this test is only defined (and collected) when the tests run on PostgreSQL.


def _through_proxy(env: dict[str, str], port: int) -> dict[str, str]:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return {**env, "DATABASE_URL": f"postgres://{auth}@127.0.0.1:{port}/{db['NAME']}"}


if connection.vendor == "postgresql":

    def test_jobs_finish_and_nothing_is_duplicated_when_the_database_drops_for_seconds(
        redis_url, tmp_path
    ):
        from tests.integration.test_gathering import (
            all_final,
            assert_no_duplicate_evidence,
            env_for,
            make_article,
        )
        from tests.sources.fakesite import FakeSite

        article, claims = make_article()
        log = tmp_path / "worker.log"
        db = connection.settings_dict
        upstream = (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
        with FakeSite(latency=0.05, slow={"-": 1.0}) as site, workers.TcpProxy(upstream) as proxy:
            env = env_for(site, redis_url, SOURCES_JOB_LEASE_SECONDS="5", SOURCES_SWEEP_SECONDS="1")
            worker_env = _through_proxy(env, proxy.port)
            worker = workers.start_worker(worker_env, log, name="dbcut", beat=True)
            try:
                result = workers.manage(env, "fetch_sources", str(article.pk))
                assert result.returncode == 0, result.stderr
                workers.wait_for(
                    lambda: FetchJob.objects.filter(
                        kind=FetchJob.Kind.FETCH_PAGE, status=FetchJob.Status.RUNNING
                    ).exists(),
                    timeout=30,
                    what="page fetches to run\n" + worker_log(log),
                )
                proxy.cut()
                time.sleep(3)
                proxy.restore()
                workers.wait_for(
                    all_final, timeout=40, what="every job to finish\n" + worker_log(log)
                )
                alive = worker.poll() is None
            finally:
                workers.stop(worker)
        assert proxy.refused > 0  # the worker really tried while the database was away
        assert alive, worker_log(log)
        assert not FetchJob.objects.exclude(status=FetchJob.Status.SUCCEEDED).exists(), list(
            FetchJob.objects.values_list("status", "attempts", "last_error")
        )
        assert FetchJob.objects.filter(kind=FetchJob.Kind.FETCH_PAGE).count() == 5
        for claim in claims:
            passages = Evidence.objects.filter(claim=claim, provider="beta", passage_end__gt=0)
            assert passages.count() == 2
        assert_no_duplicate_evidence()
        pairs = Counter(Evidence.objects.values_list("claim_id", "source_id"))
        assert max(pairs.values()) == 1
