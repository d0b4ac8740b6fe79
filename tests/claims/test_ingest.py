"""Ingestion services: decoding, storing, idempotency, URL submissions and re-extraction."""

import pytest
from django.db import transaction

from claims import ingestion, services
from claims.errors import IngestError, NotAllowed
from claims.models import Article, Claim
from claims.tasks import process_article
from sources.models import Evidence, Source
from tests.factories import EvidenceFactory, VerdictFactory

TEXT = (
    "TEST DATA. The test ministry bought 400 test widgets in 2022, officials said.\n"
    "Officials think this is wonderful!\n"
    "- The test agency shipped 12 test crates to Testland on Monday.\n"
    "وقال الوزير إن الحكومة اشترت ٣٠٠ طائرة اختبار في عام ٢٠٢١.\n"
)
LONG_TEXT = TEXT + (
    "The test council approved 3 test budgets on Friday.\n"
    "The test army received 40 test tanks in 2020, the test report said.\n"
    "The test bank raised its test rate to 4.5 percent in March.\n"
)
HTML = b"""<!DOCTYPE html>
<html><head><title>TEST DATA: widget purchase</title>
<script>var secret = "SCRIPT-CONTENT-MUST-NOT-APPEAR"; document.write(secret);</script>
<style>body { color: red; }</style></head>
<body><nav>Home | About</nav>
<article><h1>TEST DATA: widget purchase</h1>
<p>The test ministry bought 400 test widgets in 2022, officials said on Tuesday in a statement.</p>
<p>The test agency shipped 12 test crates to Testland on Monday, according to the records.</p>
<p>Officials of the test ministry confirmed that the widgets were delivered in March.</p>
</article>
<script>alert("SCRIPT-CONTENT-MUST-NOT-APPEAR")</script></body></html>"""


def live_claims(article):
    return Claim.objects.filter(article=article).exclude(state=Claim.State.SUPERSEDED)


# --- decode_document ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"%PDF-1.7 binary", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"some text\x00with a NUL byte", "binary"),
        (b"caf\xe9 au lait is not UTF-8", "not valid UTF-8"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_message(data, message):
    with pytest.raises(IngestError, match=message) as info:
        ingestion.decode_document(data)
    assert "\n" not in str(info.value)


def test_a_document_over_the_size_limit_is_refused(settings):
    settings.INGEST_MAX_BYTES = 100
    with pytest.raises(IngestError, match="too large"):
        ingestion.decode_document(b"x " * 60)


def test_plain_text_is_kept_exactly_except_for_newlines():
    data = "Line one, with  two spaces.\r\nLine two\rLine three\n\u200fمرحبا".encode()
    document = ingestion.decode_document(data, filename="article.txt")
    assert document.text == "Line one, with  two spaces.\nLine two\nLine three\n\u200fمرحبا"


def test_a_utf8_byte_order_mark_is_not_part_of_the_text():
    assert ingestion.decode_document("\ufeffHello world".encode()).text == "Hello world"


def test_html_main_text_is_extracted_and_scripts_are_gone():
    document = ingestion.decode_document(HTML, filename="page.html")
    assert "bought 400 test widgets in 2022" in document.text
    assert "shipped 12 test crates" in document.text
    assert "SCRIPT-CONTENT-MUST-NOT-APPEAR" not in document.text
    assert "color: red" not in document.text
    assert document.title == "TEST DATA: widget purchase"


def test_html_is_recognised_by_its_content_without_a_file_name():
    document = ingestion.decode_document(HTML)
    assert "<p>" not in document.text and "bought 400 test widgets" in document.text


# --- article_ingest -----------------------------------------------------------------------
@pytest.mark.django_db
def test_ingesting_text_stores_it_exactly_and_extracts_scored_claims():
    result = services.article_ingest(text=TEXT.replace("\n", "\r\n"), title="TEST")
    article = result.article
    assert result.created
    assert article.text == TEXT
    assert article.status == Article.Status.READY
    assert article.language == "en"
    claims = list(live_claims(article))
    assert len(claims) == result.claims_created >= 4
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
        assert 0 <= claim.checkworthiness <= 1
    widgets = next(c for c in claims if "400 test widgets" in c.text)
    assert widgets.checkworthiness > 0.7
    assert {r["code"] for r in widgets.reasons} >= {"quantity", "date", "action"}
    worst = min(claims, key=lambda c: c.checkworthiness)
    assert worst.text == "Officials think this is wonderful!"


@pytest.mark.django_db
def test_the_same_text_twice_gives_the_same_article_and_no_duplicate_claims():
    first = services.article_ingest(text=TEXT)
    count = live_claims(first.article).count()
    second = services.article_ingest(text=TEXT.replace("\n", "\r\n"), title="other title")
    assert second.article.pk == first.article.pk
    assert not second.created and second.claims_created == 0
    assert Article.objects.count() == 1
    assert live_claims(first.article).count() == count


@pytest.mark.django_db
def test_the_language_given_wins_over_detection():
    article = services.article_ingest(text=TEXT, language="ar").article
    assert article.language == "ar"
    assert set(live_claims(article).values_list("language", flat=True)) == {"ar"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": ""}, "empty"),
        ({"text": " \n\r\n "}, "empty"),
        ({"text": "binary\x00data here"}, "binary"),
        ({"text": "bad \ud800 surrogate"}, "invalid characters"),
        ({"text": TEXT, "language": "english!"}, "language code"),
        ({"text": TEXT, "url": "ftp://test.invalid/a"}, "http"),
        ({"text": TEXT, "title": "T" * 600}, "title is too long"),
    ],
)
def test_bad_input_to_article_ingest_is_refused_and_nothing_is_written(kwargs, message):
    with pytest.raises(IngestError, match=message):
        services.article_ingest(**kwargs)
    assert Article.objects.count() == 0
    assert Claim.objects.count() == 0


@pytest.mark.django_db
def test_text_over_the_size_limit_is_refused(settings):
    settings.INGEST_MAX_BYTES = 50
    with pytest.raises(IngestError, match="too large"):
        services.article_ingest(text=TEXT)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_during_extraction_leaves_nothing_half_written(monkeypatch):
    def broken(text, language):
        raise RuntimeError("TEST: extraction broke")

    monkeypatch.setattr(services, "extract", broken)
    with pytest.raises(RuntimeError):
        services.article_ingest(text=TEXT)
    assert Article.objects.count() == 0


# --- re-extraction keeps reviewers' work --------------------------------------------------
@pytest.mark.django_db
def test_re_extraction_keeps_everything_reviewers_did(reviewer):
    article = services.article_ingest(text=LONG_TEXT).article
    claims = list(live_claims(article).order_by("start"))
    assert len(claims) >= 6
    worded, assigned, with_verdict, with_label, to_split, untouched = claims[:6]
    services.claim_update_wording(claim=worded, user=reviewer, wording="TEST reworded claim")
    services.claim_assign(claim=assigned, user=reviewer, assignee=reviewer)
    VerdictFactory(claim=with_verdict, author=reviewer)
    evidence = EvidenceFactory(claim=with_label)
    evidence.stance = Evidence.Stance.SUPPORTS
    evidence.save()
    middle = to_split.start + (to_split.end - to_split.start) // 2
    parts = services.claim_split(claim=to_split, user=reviewer, at=[middle])
    # Reviewer-touched claims get a score nobody would compute, to see they are left alone.
    protected = [worded, assigned, with_verdict, with_label, *parts]
    Claim.objects.filter(pk__in=[c.pk for c in protected]).update(checkworthiness=0.0123)
    # An untouched claim whose score drifted, and one whose span no longer comes out.
    Claim.objects.filter(pk=untouched.pk).update(checkworthiness=0.0)
    gone = Claim.objects.create(
        article=article, start=0, end=4, text=article.text[0:4], checkworthiness=0.5
    )
    before = {c.pk for c in live_claims(article)}

    result = services.article_extract_claims(article=article)

    after = {c.pk: c for c in live_claims(article)}
    for claim in protected:
        assert claim.pk in after
        assert after[claim.pk].checkworthiness == pytest.approx(0.0123)
    assert after[worded.pk].wording == "TEST reworded claim"
    assert after[assigned.pk].assignee == reviewer
    assert after[untouched.pk].checkworthiness > 0
    assert gone.pk not in after
    assert result.removed == 1
    assert result.updated == 1
    assert result.created == 0  # the split claim's span overlaps its parts: not re-added
    assert set(after) == before - {gone.pk}
    spans = sorted((c.start, c.end) for c in after.values())
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.django_db
def test_re_extraction_adds_spans_that_are_missing():
    article = services.article_ingest(text=TEXT).article
    removed = live_claims(article).order_by("start").first()
    removed.delete()
    result = services.article_extract_claims(article=article)
    assert result.created == 1
    assert live_claims(article).filter(start=removed.start, end=removed.end).exists()


@pytest.mark.django_db
def test_re_extraction_keeps_claims_with_sources_a_reviewer_added(reviewer):
    article = services.article_ingest(text=TEXT).article
    claim = live_claims(article).first()
    source = Source.objects.create(
        url="https://test-source.invalid/reviewer", origin=Source.Origin.REVIEWER_URL
    )
    Evidence.objects.create(claim=claim, source=source, provider="url")
    Claim.objects.filter(pk=claim.pk).update(start=claim.start + 1, text=claim.text[1:])
    services.article_extract_claims(article=article)
    assert Claim.objects.filter(pk=claim.pk, start=claim.start + 1).exists()


# --- article_submit and the background task ----------------------------------------------
@pytest.mark.django_db
def test_only_reviewers_can_submit_articles(outsider):
    with pytest.raises(NotAllowed):
        services.article_submit(user=outsider, text=TEXT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Give the article text"),
        ({"text": TEXT, "url": "https://test.invalid/a"}, "only one"),
        ({"data": b"\x00\x01\x02 binary"}, "binary"),
        ({"data": b""}, "empty"),
        ({"url": "file:///etc/passwd"}, "http"),
        ({"url": "http://127.0.0.1:8000/admin"}, "Refused"),
        ({"url": "http://[::1]/"}, "Refused"),
        ({"url": "http://localhost/"}, "Refused"),
    ],
)
def test_bad_submissions_are_refused_at_once(reviewer, kwargs, message):
    with pytest.raises(IngestError, match=message):
        services.article_submit(user=reviewer, **kwargs)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_submitting_text_or_a_file_ingests_at_once(reviewer):
    article = services.article_submit(user=reviewer, text=TEXT, title="TEST")
    assert article.status == Article.Status.READY and article.created_by == reviewer
    uploaded = services.article_submit(user=reviewer, data=HTML, filename="page.html")
    assert uploaded.title == "TEST DATA: widget purchase"
    assert live_claims(uploaded).exists()


@pytest.mark.django_db(transaction=True)
def test_submitting_a_url_creates_a_pending_article_and_enqueues_it_on_commit(
    reviewer, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        process_article, "apply_async", lambda args, **kwargs: queued.append(tuple(args))
    )
    monkeypatch.setattr("workbench.broker.broker_available", lambda: True)
    with transaction.atomic():
        article = services.article_submit(user=reviewer, url="https://test.invalid/news/1")
        assert queued == []  # not before the commit
    assert queued == [(article.pk,)]
    assert article.status == Article.Status.PENDING
    assert article.content_hash is None and article.text == ""
    again = services.article_submit(user=reviewer, url="https://test.invalid/news/1")
    assert again.pk == article.pk and len(queued) == 1


@pytest.fixture
def served_article(httpserver, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/news/widgets").respond_with_data(
        HTML, content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/news/widgets")


@pytest.mark.django_db
def test_the_task_fetches_a_submitted_url_and_extracts_claims(
    reviewer, served_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_submit(user=reviewer, url=served_article)
    process_article(article.pk)  # called synchronously, as the worker would
    article.refresh_from_db()
    assert article.status == Article.Status.READY, article.status_error
    assert "bought 400 test widgets" in article.text
    assert "SCRIPT-CONTENT-MUST-NOT-APPEAR" not in article.text
    assert article.title == "TEST DATA: widget purchase"
    assert article.content_hash == ingestion.content_hash(article.text)
    assert live_claims(article).count() >= 3
    # Running the task again (a redelivered message) changes nothing.
    count = live_claims(article).count()
    process_article(article.pk)
    assert live_claims(article).count() == count


@pytest.mark.django_db
def test_an_unreachable_url_marks_the_article_failed_with_the_reason(
    reviewer, httpserver, settings, django_capture_on_commit_callbacks
):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_submit(user=reviewer, url=httpserver.url_for("/gone"))
    process_article(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "404" in article.status_error


@pytest.mark.django_db
def test_a_url_whose_text_is_already_there_fails_with_a_pointer_to_the_article(
    reviewer, served_article, django_capture_on_commit_callbacks
):
    existing = services.article_ingest(text=ingestion.decode_document(HTML).text).article
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_submit(user=reviewer, url=served_article)
    process_article(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert f"article {existing.pk}" in article.status_error


@pytest.mark.django_db
def test_the_task_ignores_an_article_that_no_longer_exists():
    process_article(987654)
    assert Article.objects.count() == 0


# --- fetch_document ----------------------------------------------------------------------
def test_fetching_a_loopback_url_is_refused_when_private_networks_are_off(httpserver, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = False
    httpserver.expect_request("/news").respond_with_data(HTML, content_type="text/html")
    with pytest.raises(IngestError, match="Refused"):
        ingestion.fetch_document(httpserver.url_for("/news"))
    assert len(httpserver.log) == 0


def test_fetching_a_page_that_is_not_text_is_refused(httpserver, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/img").respond_with_data(b"\x89PNG", content_type="image/png")
    with pytest.raises(IngestError, match="image/png"):
        ingestion.fetch_document(httpserver.url_for("/img"))


def test_fetching_a_page_over_the_size_limit_is_refused(httpserver, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    settings.INGEST_MAX_BYTES = 1000
    httpserver.expect_request("/big").respond_with_data("x " * 5000, content_type="text/plain")
    with pytest.raises(IngestError, match="limit"):
        ingestion.fetch_document(httpserver.url_for("/big"))


def test_fetching_an_unreachable_host_is_a_clear_error(settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    settings.SOURCES_HTTP_TIMEOUT = 2
    with pytest.raises(IngestError, match="Could not fetch"):
        ingestion.fetch_document("http://127.0.0.1:9/nothing-listens-here")


def test_an_html_page_declaring_its_charset_in_a_meta_tag_is_decoded_with_it():
    body = "<p>وقال الوزير إن الحكومة اشترت 400 طائرة اختبار في عام 2022 حسب البيان الرسمي.</p>"
    html = (
        '<html><head><meta charset="windows-1256"><title>TEST</title></head><body><article>'
        + body * 3
        + "</article></body></html>"
    ).encode("windows-1256")
    document = ingestion.decode_document(html, filename="page.html")
    assert "اشترت 400 طائرة اختبار" in document.text


def test_a_declared_content_type_that_is_not_text_is_refused():
    with pytest.raises(IngestError, match="application/pdf"):
        ingestion.decode_document(b"hello world", content_type="application/pdf")


def test_the_task_is_acknowledged_late_and_routed_to_the_cpu_queue():
    from workbench.celery import app

    assert process_article.acks_late is True
    route = app.amqp.router.route({}, process_article.name, args=(1,), kwargs={})
    assert route["queue"].name == "cpu"


@pytest.mark.django_db
def test_a_failed_url_can_be_submitted_again_and_is_queued_again(
    reviewer, httpserver, settings, django_capture_on_commit_callbacks
):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)
    url = httpserver.url_for("/gone")
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_submit(user=reviewer, url=url)
    process_article(article.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.article_submit(user=reviewer, url=url)
    assert again.pk == article.pk
    assert again.status == Article.Status.PENDING and again.status_error == ""
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_transient_fetch_error_puts_the_article_back_to_pending_for_a_retry(
    reviewer, httpserver, settings, django_capture_on_commit_callbacks
):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_submit(user=reviewer, url=httpserver.url_for("/busy"))
    with pytest.raises(IngestError):
        services.article_process_submission(article=article, retry_transient=True)
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    assert "503" in article.status_error
    # The last attempt gives up and says why.
    services.article_process_submission(article=article, retry_transient=False)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED and "503" in article.status_error


@pytest.mark.django_db
def test_the_task_retries_a_transient_fetch_error_then_fails_with_the_reason(
    reviewer, httpserver, settings, django_capture_on_commit_callbacks
):
    from claims.tasks import MAX_FETCH_RETRIES

    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_submit(user=reviewer, url=httpserver.url_for("/busy"))
    # apply() runs the task (and its retries) in this process, through Celery's retry path.
    process_article.apply(args=(article.pk,))
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "503" in article.status_error
    assert len(httpserver.log) == MAX_FETCH_RETRIES + 1


@pytest.mark.django_db
def test_re_extracting_an_untouched_article_changes_nothing():
    article = services.article_ingest(text=LONG_TEXT).article
    before = sorted(live_claims(article).values_list("pk", "start", "end", "version"))
    result = services.article_extract_claims(article=article)
    assert (result.created, result.updated, result.removed) == (0, 0, 0)
    assert result.kept == len(before)
    assert sorted(live_claims(article).values_list("pk", "start", "end", "version")) == before
