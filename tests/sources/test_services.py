"""Source gathering services against the database, with fake providers (TEST DATA)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.errors import InvalidInput, InvalidState, NotAllowed
from sources import services
from sources.models import Evidence, FactCheck, FactCheckMatch, FetchJob, Source
from sources.providers.base import Hit, ProviderError, TransientProviderError
from sources.robots import clear_robots_cache
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory
from tests.sources.fakes import FakeProvider
from tests.sources.jobfixtures import html_page

pytestmark = pytest.mark.django_db

WIDGET_TEXT = (
    "TEST DATA. Budget records of the test ministry list many purchases. "
    "The test ministry bought 400 test widgets in 2022, the records show. "
    "Other items were bought later."
)


def wiki_hit(n=1, text=WIDGET_TEXT):
    return Hit(
        url=f"https://test-wiki.invalid/wiki/Widgets_{n}",
        title=f"TEST widgets article {n}",
        text=text,
        language="en",
    )


def run_all(max_rounds=5):
    """Run every runnable job in the database, as workers would (no broker)."""
    for _ in range(max_rounds):
        ids = list(
            FetchJob.objects.filter(
                status__in=[FetchJob.Status.QUEUED, FetchJob.Status.RETRYING]
            ).values_list("pk", flat=True)
        )
        if not ids:
            return
        for job_id in ids:
            services.fetch_job_run(job_id=job_id)


# --- Gathering ---------------------------------------------------------------------------


def test_gathering_creates_one_search_job_per_claim_and_enabled_provider(
    fake_providers, sent, django_capture_on_commit_callbacks
):
    claims = [ClaimFactory(), ClaimFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.sources_gather(claims=claims)
    assert len(jobs) == 4
    assert {job.key for job in jobs} == {
        f"search:{p}:claim:{c.pk}" for p in ("alpha", "beta") for c in claims
    }
    assert sorted(job_id for job_id, _ in sent) == sorted(job.pk for job in jobs)
    assert all(job.query for job in jobs)
    assert FetchJob.objects.filter(enqueued_at__isnull=False).count() == 4


def test_messages_are_only_sent_once_the_transaction_commits(fake_providers, sent):
    services.sources_gather(claims=[ClaimFactory()])
    # No commit happened (the test transaction is still open): nothing was sent.
    assert sent == []


def test_gathering_again_reuses_unfinished_jobs(
    fake_providers, sent, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sources_gather(claims=[claim])
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sources_gather(claims=[claim])
    assert [j.pk for j in first] == [j.pk for j in second]
    assert FetchJob.objects.count() == 2
    assert len(sent) == 2


def test_a_provider_that_is_not_configured_is_skipped(fake_providers, settings):
    settings.SOURCES_PROVIDERS = ["alpha", "unconfigured", "missing"]
    jobs = services.sources_gather(claims=[ClaimFactory()])
    assert [job.provider for job in jobs] == ["alpha"]


def test_asking_for_an_unknown_provider_is_refused(fake_providers):
    with pytest.raises(InvalidInput, match="nosuch"):
        services.sources_gather(claims=[ClaimFactory()], providers=["nosuch"])


def test_a_broker_that_is_down_leaves_the_job_queued_for_the_sweep(
    fake_providers, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from sources.tasks import run_fetch_job

    def broken(*args, **kwargs):
        raise ConnectionError("TEST broker down")

    monkeypatch.setattr(run_fetch_job, "apply_async", broken)
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    job = FetchJob.objects.get(pk=jobs[0].pk)
    assert job.status == FetchJob.Status.QUEUED
    assert job.enqueued_at is None
    assert "sweep" in caplog.text


# --- Running search jobs -----------------------------------------------------------------


def test_a_search_stores_sources_snapshots_and_scored_evidence(fake_providers, sent):
    fake_providers["alpha"] = [wiki_hit()]
    claim = ClaimFactory()
    services.sources_gather(claims=[claim], providers=["alpha"])
    run_all()
    job = FetchJob.objects.get(provider="alpha")
    assert job.status == FetchJob.Status.SUCCEEDED
    assert job.hits == 1
    assert job.attempts == 1
    source = Source.objects.get()
    assert source.text == WIDGET_TEXT
    assert len(source.text_hash) == 64
    assert source.fetched_at is not None
    evidence = Evidence.objects.get()
    assert evidence.claim == claim
    assert source.text[evidence.passage_start : evidence.passage_end] == evidence.passage
    assert "400 test widgets" in evidence.passage
    assert 0 < evidence.score <= 1
    assert evidence.provider == "alpha"
    assert evidence.query == job.query


def test_running_a_search_twice_changes_nothing(
    fake_providers, sent, django_capture_on_commit_callbacks
):
    fake_providers["alpha"] = [wiki_hit(1), wiki_hit(2, WIDGET_TEXT + " TEST second copy.")]
    claim = ClaimFactory()
    services.sources_gather(claims=[claim], providers=["alpha"])
    run_all()
    before = list(Evidence.objects.order_by("pk").values())
    sources_before = list(Source.objects.order_by("pk").values("pk", "text", "text_hash"))
    services.sources_gather(claims=[claim], providers=["alpha"])  # finished: runs again
    assert FetchJob.objects.get(provider="alpha").status == FetchJob.Status.QUEUED
    run_all()
    assert list(Evidence.objects.order_by("pk").values()) == before
    assert list(Source.objects.order_by("pk").values("pk", "text", "text_hash")) == sources_before


def test_a_rerun_never_overwrites_a_reviewers_stance(fake_providers, sent, reviewer):
    fake_providers["alpha"] = [wiki_hit()]
    claim = ClaimFactory()
    services.sources_gather(claims=[claim], providers=["alpha"])
    run_all()
    evidence = Evidence.objects.get()
    services.evidence_label(evidence=evidence, user=reviewer, stance="supports")
    # The provider now finds a better passage in a changed text: the labelled row stays.
    services.sources_gather(claims=[claim], providers=["alpha"])
    run_all()
    evidence.refresh_from_db()
    assert evidence.stance == "supports"
    assert evidence.stance_by == reviewer
    assert Evidence.objects.count() == 1


def test_one_best_passage_is_kept_per_claim_and_source():
    claim = ClaimFactory()
    source = SourceFactory(text=WIDGET_TEXT)
    common = {"claim": claim, "source": source, "provider": "alpha", "query": "q"}
    services.evidence_upsert(
        passage_start=0, passage_end=10, passage="TEST DATA.", score=0.2, **common
    )
    services.evidence_upsert(
        passage_start=11, passage_end=68, passage=WIDGET_TEXT[11:68], score=0.7, **common
    )
    services.evidence_upsert(
        passage_start=0, passage_end=10, passage="TEST DATA.", score=0.3, **common
    )
    evidence = Evidence.objects.get()
    assert (evidence.passage_start, evidence.passage_end, evidence.score) == (11, 68, 0.7)


def test_near_duplicate_sources_are_collapsed_to_the_best_one(fake_providers, sent):
    copy = WIDGET_TEXT + " TEST syndicated by another site."
    fake_providers["alpha"] = [
        Hit(url="https://test-a.invalid/story", title="TEST widgets story", text=WIDGET_TEXT),
        Hit(url="https://test-b.invalid/story", title="TEST widgets story", text=copy),
        Hit(url="https://test-c.invalid/same", title="TEST same text", text=WIDGET_TEXT),
    ]
    claim = ClaimFactory()
    services.sources_gather(claims=[claim], providers=["alpha"])
    run_all()
    assert Source.objects.count() == 3
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_factcheck_hits_become_earlier_factchecks_matched_to_the_claim(fake_providers, sent):
    fake_providers["alpha"] = [
        Hit(
            url="https://test-factchecker.invalid/widgets?utm_source=x",
            title="TEST: did the ministry buy 400 widgets?",
            is_factcheck=True,
            claim_text="The test ministry bought 400 test widgets in 2022.",
            rating="False",
            publisher="TEST Fact-Checker",
        )
    ]
    claim = ClaimFactory()
    for _ in range(2):
        services.sources_gather(claims=[claim], providers=["alpha"])
        run_all()
    factcheck = FactCheck.objects.get()
    assert factcheck.url == "https://test-factchecker.invalid/widgets"
    assert factcheck.rating == "False"
    match = FactCheckMatch.objects.get()
    assert match.claim == claim
    assert match.score > 0.5
    assert Evidence.objects.count() == 0


# --- Failures, retries and leases --------------------------------------------------------


def test_a_transient_error_is_retried_later_with_backoff(fake_providers, sent):
    fake_providers["alpha"] = TransientProviderError("TEST timeout")
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    before = timezone.now()
    assert services.fetch_job_run(job_id=job.pk) == FetchJob.Status.RETRYING
    job.refresh_from_db()
    assert job.status == FetchJob.Status.RETRYING
    assert job.attempts == 1
    assert job.error_transient is True
    assert "TEST timeout" in job.last_error
    assert job.next_attempt_at > before
    assert job.lease_owner == ""
    assert sent and sent[-1][0] == job.pk and sent[-1][1] > 0
    # Not due yet: a message arriving early is a no-op.
    assert services.fetch_job_run(job_id=job.pk) is None


def test_a_rate_limit_is_retried_no_sooner_than_the_service_asked(fake_providers, sent):
    fake_providers["alpha"] = TransientProviderError("TEST 429", retry_after=120)
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    services.fetch_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.next_attempt_at >= timezone.now() + timedelta(seconds=110)


def test_a_permanent_error_fails_the_job_without_retrying(fake_providers, sent):
    fake_providers["alpha"] = ProviderError("TEST 400 bad request")
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    assert services.fetch_job_run(job_id=job.pk) == FetchJob.Status.FAILED
    job.refresh_from_db()
    assert job.status == FetchJob.Status.FAILED
    assert job.error_transient is False
    assert job.attempts == 1
    assert job.finished_at is not None
    assert sent == []


def test_a_job_fails_for_good_after_its_last_attempt(fake_providers, sent, settings):
    settings.SOURCES_JOB_MAX_ATTEMPTS = 3
    fake_providers["alpha"] = TransientProviderError("TEST 503")
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    for _ in range(3):
        FetchJob.objects.filter(pk=job.pk).update(next_attempt_at=None)
        services.fetch_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == FetchJob.Status.FAILED
    assert job.attempts == 3
    assert job.error_transient is True


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.SOURCES_JOB_RETRY_BASE_SECONDS = 2
    delays = [services.retry_delay(attempt) for attempt in (1, 2, 3, 4, 5)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = 2 * 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(services.retry_delay(3), 6) for _ in range(20)}) > 1


def test_only_one_of_two_workers_claims_the_same_job():
    job = FetchJob.objects.create(key="test:claim-race", kind="search", provider="alpha")
    assert services.fetch_job_claim(job_id=job.pk, owner="worker-1") is True
    assert services.fetch_job_claim(job_id=job.pk, owner="worker-2") is False
    job.refresh_from_db()
    assert job.lease_owner == "worker-1"
    assert job.status == FetchJob.Status.RUNNING
    assert job.lease_expires_at > timezone.now()


def test_a_job_whose_lease_expired_can_be_taken_by_another_worker():
    job = FetchJob.objects.create(
        key="test:expired",
        kind="search",
        provider="alpha",
        status=FetchJob.Status.RUNNING,
        attempts=1,
        lease_owner="dead-worker",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.fetch_job_claim(job_id=job.pk, owner="worker-2") is True
    job.refresh_from_db()
    assert job.lease_owner == "worker-2"
    assert job.attempts == 2


def test_a_worker_that_lost_its_lease_cannot_record_the_outcome(fake_providers, sent):
    fake_providers["alpha"] = [wiki_hit()]
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    assert services.fetch_job_claim(job_id=job.pk, owner="slow-worker")
    FetchJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(1))
    assert services.fetch_job_run(job_id=job.pk, owner="second-worker") == "succeeded"
    assert services._finish(job.pk, "slow-worker", status=FetchJob.Status.FAILED) is False
    job.refresh_from_db()
    assert job.status == FetchJob.Status.SUCCEEDED


def test_a_finished_job_is_not_run_again_by_a_duplicate_message(fake_providers, sent):
    fake_providers["alpha"] = [wiki_hit()]
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    assert services.fetch_job_run(job_id=job.pk) == FetchJob.Status.SUCCEEDED
    calls = len(FakeProvider.calls)
    assert services.fetch_job_run(job_id=job.pk) is None
    assert len(FakeProvider.calls) == calls


# --- The sweep ---------------------------------------------------------------------------


def test_the_sweep_reenqueues_lost_and_expired_jobs_only(sent, settings):
    settings.SOURCES_JOB_LEASE_SECONDS = 60
    now = timezone.now()
    old = now - timedelta(minutes=5)
    lost = FetchJob.objects.create(key="t:lost", kind="search", provider="a", enqueued_at=old)
    never_sent = FetchJob.objects.create(key="t:never", kind="search", provider="a")
    fresh = FetchJob.objects.create(key="t:fresh", kind="search", provider="a", enqueued_at=now)
    not_due = FetchJob.objects.create(
        key="t:notdue",
        kind="search",
        provider="a",
        status=FetchJob.Status.RETRYING,
        enqueued_at=old,
        next_attempt_at=now + timedelta(minutes=5),
    )
    expired = FetchJob.objects.create(
        key="t:expired",
        kind="search",
        provider="a",
        status=FetchJob.Status.RUNNING,
        attempts=1,
        enqueued_at=old,
        lease_owner="killed",
        lease_expires_at=now - timedelta(seconds=5),
    )
    running = FetchJob.objects.create(
        key="t:running",
        kind="search",
        provider="a",
        status=FetchJob.Status.RUNNING,
        attempts=1,
        enqueued_at=old,
        lease_owner="alive",
        lease_expires_at=now + timedelta(minutes=1),
    )
    done = FetchJob.objects.create(
        key="t:done", kind="search", provider="a", status=FetchJob.Status.SUCCEEDED
    )
    result = services.fetch_jobs_sweep()
    assert {job_id for job_id, _ in sent} == {lost.pk, never_sent.pk, expired.pk}
    assert result == {"lost": 2, "expired": 1, "failed": 0}
    assert fresh.pk and not_due.pk and running.pk and done.pk
    # Sent just now: the next sweep leaves them alone.
    sent.clear()
    services.fetch_jobs_sweep()
    assert sent == []


def test_the_sweep_fails_a_job_whose_workers_keep_dying(sent):
    job = FetchJob.objects.create(
        key="t:poison",
        kind="search",
        provider="a",
        status=FetchJob.Status.RUNNING,
        attempts=5,
        max_attempts=5,
        lease_owner="killed",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.fetch_jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == FetchJob.Status.FAILED
    assert "stopped before finishing" in job.last_error
    assert sent == []


# --- Page fetches ------------------------------------------------------------------------

PAGE_BODY = (
    "TEST DATA page. The weather was fine.\n\n"
    "The test ministry bought 400 test widgets in 2022, according to the audit. "
    "The audit was published later.\n\n"
    "Unrelated closing words about something else entirely."
)


def _page_hit(url, snippet="TEST snippet about the ministry widgets"):
    return Hit(url=url, title="TEST audit page", snippet=snippet)


def test_one_page_fetch_is_shared_by_every_claim_that_needs_it(fake_providers, sent, local_pages):
    url = local_pages.url_for("/audit")
    local_pages.expect_request("/audit").respond_with_data(
        html_page("TEST audit", PAGE_BODY), content_type="text/html; charset=utf-8"
    )
    fake_providers["alpha"] = [_page_hit(url)]
    fake_providers["beta"] = [_page_hit(url + "#section")]
    article = ArticleFactory()
    claims = [ClaimFactory(article=article), ClaimFactory(article=article, start=0, end=10)]
    services.sources_gather(claims=claims)
    for job in FetchJob.objects.filter(kind="search"):
        services.fetch_job_run(job_id=job.pk)
    page_jobs = FetchJob.objects.filter(kind=FetchJob.Kind.FETCH_PAGE)
    assert page_jobs.count() == 1
    page_job = page_jobs.get()
    assert set(page_job.waiting_claims.all()) == set(claims)
    assert services.fetch_job_run(job_id=page_job.pk) == FetchJob.Status.SUCCEEDED
    source = Source.objects.get()
    assert source.fetch_status == Source.FetchStatus.FETCHED
    assert "400 test widgets" in source.text
    evidence = Evidence.objects.get(claim=claims[0])
    assert source.text[evidence.passage_start : evidence.passage_end] == evidence.passage
    assert "400 test widgets" in evidence.passage
    requests_for_page = [r for r, _ in local_pages.log if r.path == "/audit"]
    assert len(requests_for_page) == 1


def test_a_claim_asking_for_a_page_already_fetched_is_scored_without_fetching_again(
    fake_providers, sent, local_pages
):
    url = local_pages.url_for("/audit")
    local_pages.expect_request("/audit").respond_with_data(
        html_page("TEST audit", PAGE_BODY), content_type="text/html"
    )
    fake_providers["alpha"] = [_page_hit(url)]
    first, second = ClaimFactory(), ClaimFactory()
    services.sources_gather(claims=[first], providers=["alpha"])
    run_all()
    services.sources_gather(claims=[second], providers=["alpha"])
    run_all()
    assert Evidence.objects.filter(claim=second, passage_end__gt=0).count() == 1
    assert len([r for r, _ in local_pages.log if r.path == "/audit"]) == 1


def test_a_missing_page_fails_without_retry_and_keeps_the_snippet(
    fake_providers, sent, local_pages
):
    url = local_pages.url_for("/gone")
    local_pages.expect_request("/gone").respond_with_data("TEST gone", status=404)
    fake_providers["alpha"] = [_page_hit(url)]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    run_all()
    page_job = FetchJob.objects.get(kind="fetch_page")
    assert page_job.status == FetchJob.Status.FAILED
    assert page_job.error_transient is False
    assert "404" in page_job.last_error
    source = Source.objects.get()
    assert source.fetch_status == Source.FetchStatus.SNIPPET
    evidence = Evidence.objects.get()
    assert (evidence.passage_start, evidence.passage_end) == (0, 0)
    assert evidence.passage == source.snippet


def test_a_server_error_on_a_page_is_retried(fake_providers, sent, local_pages):
    url = local_pages.url_for("/busy")
    local_pages.expect_request("/busy").respond_with_data("TEST busy", status=503)
    fake_providers["alpha"] = [_page_hit(url)]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    for job in FetchJob.objects.filter(kind="search"):
        services.fetch_job_run(job_id=job.pk)
    page_job = FetchJob.objects.get(kind="fetch_page")
    assert services.fetch_job_run(job_id=page_job.pk) == FetchJob.Status.RETRYING
    page_job.refresh_from_db()
    assert page_job.error_transient is True


def test_a_page_disallowed_by_robots_txt_is_not_fetched(fake_providers, sent, local_pages):
    url = local_pages.url_for("/private/report")
    fake_providers["alpha"] = [_page_hit(url)]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    run_all()
    page_job = FetchJob.objects.get(kind="fetch_page")
    assert page_job.status == FetchJob.Status.FAILED
    assert "robots.txt" in page_job.last_error
    assert not [r for r, _ in local_pages.log if r.path == "/private/report"]


def test_a_page_of_an_unsupported_type_fails_permanently(fake_providers, sent, local_pages):
    url = local_pages.url_for("/image")
    local_pages.expect_request("/image").respond_with_data(b"\x89PNG", content_type="image/png")
    fake_providers["alpha"] = [_page_hit(url)]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    run_all()
    page_job = FetchJob.objects.get(kind="fetch_page")
    assert page_job.status == FetchJob.Status.FAILED
    assert page_job.attempts == 1


def test_private_addresses_are_never_fetched_for_a_provider_hit(fake_providers, sent, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = False
    clear_robots_cache()
    fake_providers["alpha"] = [_page_hit("http://127.0.0.1:9/admin")]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    run_all()
    page_job = FetchJob.objects.get(kind="fetch_page")
    assert page_job.status == FetchJob.Status.FAILED
    assert "non-public address" in page_job.last_error


# --- Reviewer URLs, uploads, retries -----------------------------------------------------


def test_a_reviewer_url_to_a_private_address_is_refused_at_once(reviewer):
    with pytest.raises(InvalidInput, match="non-public"):
        services.source_add_url(claim=ClaimFactory(), url="http://127.0.0.1/", user=reviewer)
    with pytest.raises(InvalidInput, match="http and https"):
        services.source_add_url(claim=ClaimFactory(), url="file:///etc/passwd", user=reviewer)
    assert FetchJob.objects.count() == 0


def test_only_reviewers_add_urls_and_uploads(outsider):
    with pytest.raises(NotAllowed):
        services.source_add_url(claim=ClaimFactory(), url="https://test.invalid/", user=outsider)
    with pytest.raises(NotAllowed):
        services.source_upload(claim=ClaimFactory(), user=outsider, data=b"x", filename="a.txt")


def test_a_reviewer_url_is_fetched_and_scored_in_the_background(reviewer, sent, local_pages):
    url = local_pages.url_for("/reviewer-page")
    local_pages.expect_request("/reviewer-page").respond_with_data(
        html_page("TEST reviewer page", PAGE_BODY), content_type="text/html"
    )
    claim = ClaimFactory()
    job = services.source_add_url(claim=claim, url=url, user=reviewer)
    assert job.kind == FetchJob.Kind.FETCH_PAGE
    assert job.source.origin == Source.Origin.REVIEWER_URL
    assert services.fetch_job_run(job_id=job.pk) == FetchJob.Status.SUCCEEDED
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.provider == "reviewer"
    assert "400 test widgets" in evidence.passage


def test_an_uploaded_document_becomes_scored_evidence(reviewer):
    claim = ClaimFactory()
    evidence = services.source_upload(
        claim=claim, user=reviewer, data=PAGE_BODY.encode(), filename="audit.txt"
    )
    assert evidence.source.origin == Source.Origin.UPLOAD
    assert evidence.source.url is None
    assert evidence.source.filename == "audit.txt"
    assert "400 test widgets" in evidence.passage
    assert evidence.source.text[evidence.passage_start : evidence.passage_end] == evidence.passage
    again = services.source_upload(
        claim=claim, user=reviewer, data=PAGE_BODY.encode(), filename="audit-copy.txt"
    )
    assert again.pk == evidence.pk
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "empty.txt", "empty"),
        (b"\x00\x01binary", "x.bin", "not supported"),
        (b"\x00\x01binary", "x.txt", "binary"),
        (b"%PDF-1.4 junk", "x.pdf", "PDF"),
    ],
)
def test_an_unreadable_upload_is_refused_with_a_clear_message(reviewer, data, filename, message):
    with pytest.raises(InvalidInput, match=message):
        services.source_upload(claim=ClaimFactory(), user=reviewer, data=data, filename=filename)
    assert Source.objects.count() == 0


def test_a_failed_job_can_be_retried_by_a_reviewer(fake_providers, sent, reviewer, outsider):
    fake_providers["alpha"] = ProviderError("TEST 400")
    [job] = services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    services.fetch_job_run(job_id=job.pk)
    job.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.fetch_job_retry(job=job, user=outsider)
    job = services.fetch_job_retry(job=job, user=reviewer)
    assert job.status == FetchJob.Status.QUEUED
    assert job.attempts == 0
    with pytest.raises(InvalidState):
        services.fetch_job_retry(job=job, user=reviewer)


def test_evidence_labels_are_kept_when_the_upsert_sees_the_pair_again(reviewer):
    evidence = EvidenceFactory(stance="refutes", stance_by=reviewer)
    result = services.evidence_upsert(
        claim=evidence.claim,
        source=evidence.source,
        passage_start=0,
        passage_end=4,
        passage="TEST",
        score=0.99,
        provider="alpha",
        query="q",
    )
    assert result.pk == evidence.pk
    evidence.refresh_from_db()
    assert evidence.stance == "refutes"
    assert evidence.score == 0.5


def test_a_weaker_duplicate_cited_by_a_verdict_is_never_removed(reviewer):
    from tests.factories import VerdictFactory

    claim = ClaimFactory()
    weak = EvidenceFactory(claim=claim, source=SourceFactory(text=WIDGET_TEXT), score=0.1)
    weak.source.text_hash = "same-hash"
    weak.source.save()
    verdict = VerdictFactory(claim=claim)
    verdict.cited_evidence.add(weak)
    twin = SourceFactory(text=WIDGET_TEXT, text_hash="same-hash")
    result = services.evidence_upsert(
        claim=claim,
        source=twin,
        passage_start=0,
        passage_end=10,
        passage=WIDGET_TEXT[:10],
        score=0.9,
        provider="alpha",
        query="q",
    )
    assert result is None
    assert Evidence.objects.filter(pk=weak.pk).exists()


def test_evidence_for_a_claim_is_listed_best_first_with_its_source(django_assert_num_queries):
    from sources.selectors import evidence_for_claim

    claim = ClaimFactory()
    low = EvidenceFactory(claim=claim, score=0.2)
    high = EvidenceFactory(claim=claim, score=0.9)
    EvidenceFactory(score=0.95)  # another claim's
    with django_assert_num_queries(1):
        rows = list(evidence_for_claim(claim=claim))
        assert [row.pk for row in rows] == [high.pk, low.pk]
        assert all(row.source.url for row in rows)


def test_fetching_a_page_again_keeps_the_snapshot_and_changes_nothing(
    fake_providers, sent, local_pages, reviewer
):
    from werkzeug import Response

    url = local_pages.url_for("/audit")
    bodies = [PAGE_BODY, "TEST DATA. The page changed since: nothing about widgets."]

    def audit(request):
        return Response(html_page("TEST audit", bodies.pop(0)), content_type="text/html")

    local_pages.expect_request("/audit").respond_with_handler(audit)
    fake_providers["alpha"] = [_page_hit(url)]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    run_all()
    before = list(Evidence.objects.values())
    source_before = Source.objects.values("text", "text_hash", "fetched_at").get()
    page_job = FetchJob.objects.get(kind="fetch_page")
    services.fetch_job_retry(job=page_job, user=reviewer)
    assert services.fetch_job_run(job_id=page_job.pk) == FetchJob.Status.SUCCEEDED
    assert len([r for r, _ in local_pages.log if r.path == "/audit"]) == 2
    assert Source.objects.values("text", "text_hash", "fetched_at").get() == source_before
    assert list(Evidence.objects.values()) == before


def test_adding_the_same_url_twice_reuses_one_page_job(reviewer, sent, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    claim = ClaimFactory()
    first = services.source_add_url(claim=claim, url="http://127.0.0.1:9/a#top", user=reviewer)
    second = services.source_add_url(claim=claim, url="HTTP://127.0.0.1:9/a", user=reviewer)
    assert first.pk == second.pk
    assert FetchJob.objects.count() == 1
    assert Source.objects.get().url == "http://127.0.0.1:9/a"


def test_a_page_that_is_rate_limited_is_retried_after_what_it_asked(
    fake_providers, sent, local_pages
):
    url = local_pages.url_for("/limited")
    local_pages.expect_request("/limited").respond_with_data(
        "TEST slow down", status=429, headers={"Retry-After": "90"}
    )
    fake_providers["alpha"] = [_page_hit(url)]
    services.sources_gather(claims=[ClaimFactory()], providers=["alpha"])
    for job in FetchJob.objects.filter(kind="search"):
        services.fetch_job_run(job_id=job.pk)
    page_job = FetchJob.objects.get(kind="fetch_page")
    assert services.fetch_job_run(job_id=page_job.pk) == FetchJob.Status.RETRYING
    page_job.refresh_from_db()
    assert page_job.next_attempt_at >= timezone.now() + timedelta(seconds=80)
