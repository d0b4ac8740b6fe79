"""Views over services other helpers build (ingestion, source jobs).

Until those are merged, the services are replaced by fakes that record their arguments and
return or raise exactly what INTERFACES.md says; the lead runs these views against the real
services after merging."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.errors import IngestError, InvalidInput, NotAllowed
from claims.models import Article
from sources.models import FetchJob
from tests.factories import ArticleFactory, EvidenceFactory, FetchJobFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


class Recorder:
    """A stand-in service: records keyword arguments, then returns or raises."""

    def __init__(self, result=None, error=None):
        self.calls = []
        self.result = result
        self.error = error

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error
        return self.result(**kwargs) if callable(self.result) else self.result


# --- new article ---------------------------------------------------------------------------
def test_pasted_text_is_submitted_and_the_article_opens(signed_in, reviewer, monkeypatch):
    article = ArticleFactory()
    fake = Recorder(result=article)
    monkeypatch.setattr("claims.services.article_submit", fake, raising=False)
    response = signed_in.post(
        reverse("claims:article_new"),
        {"text": "TEST article text.", "title": "TEST", "language": "en"},
    )
    assert response["Location"] == reverse("claims:article", args=[article.pk])
    assert fake.calls == [
        {
            "user": reviewer,
            "text": "TEST article text.",
            "data": None,
            "filename": "",
            "url": "",
            "title": "TEST",
            "language": "en",
        }
    ]


def test_an_uploaded_file_is_passed_as_bytes_with_its_name(signed_in, monkeypatch):
    fake = Recorder(result=ArticleFactory())
    monkeypatch.setattr("claims.services.article_submit", fake, raising=False)
    upload = SimpleUploadedFile("test.html", b"<p>TEST</p>", content_type="text/html")
    signed_in.post(reverse("claims:article_new"), {"document": upload})
    assert fake.calls[0]["data"] == b"<p>TEST</p>"
    assert fake.calls[0]["filename"] == "test.html"
    assert fake.calls[0]["text"] == ""


def test_a_url_starts_background_processing_and_the_page_polls(signed_in, monkeypatch):
    pending = ArticleFactory(status=Article.Status.PENDING, url="https://test.invalid/a")
    fake = Recorder(result=pending)
    monkeypatch.setattr("claims.services.article_submit", fake, raising=False)
    response = signed_in.post(
        reverse("claims:article_new"), {"url": "https://test.invalid/a"}, follow=True
    )
    assert fake.calls[0]["url"] == "https://test.invalid/a"
    assert b"The article is being processed." in response.content
    assert b'hx-trigger="every 2s"' in response.content


@pytest.mark.parametrize(
    "error",
    [
        IngestError("TEST: the text is empty after extraction."),
        InvalidInput("TEST: that address is not allowed."),
        NotAllowed("TEST: only reviewers can add articles."),
    ],
)
def test_a_refused_article_shows_the_reason_and_keeps_the_input(signed_in, monkeypatch, error):
    monkeypatch.setattr("claims.services.article_submit", Recorder(error=error), raising=False)
    response = signed_in.post(
        reverse("claims:article_new"), {"text": "TEST <b>kept</b> text", "title": "TEST title"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert error.message in content
    assert "TEST &lt;b&gt;kept&lt;/b&gt; text</textarea>" in content
    assert 'value="TEST title"' in content


def test_a_new_article_needs_exactly_one_input(signed_in, monkeypatch):
    fake = Recorder(result=ArticleFactory())
    monkeypatch.setattr("claims.services.article_submit", fake, raising=False)
    empty = signed_in.post(reverse("claims:article_new"), {"text": "   "})
    assert empty.status_code == 400
    assert b"Paste a text, upload a file or give a URL." in empty.content
    both = signed_in.post(
        reverse("claims:article_new"), {"text": "TEST", "url": "https://test.invalid/"}
    )
    assert both.status_code == 400
    assert b"Give only one of" in both.content
    bad_url = signed_in.post(reverse("claims:article_new"), {"url": "not a url"})
    assert bad_url.status_code == 400
    assert fake.calls == []


# --- sources for a claim -------------------------------------------------------------------
def test_adding_a_source_by_url_starts_a_job_and_shows_the_live_job_list(
    signed_in, reviewer, claim, monkeypatch
):
    def add(*, claim, url, user):
        return FetchJobFactory(claim=claim, url=url, kind=FetchJob.Kind.FETCH_PAGE)

    fake = Recorder(result=add)
    monkeypatch.setattr("sources.services.source_add_url", fake, raising=False)
    response = signed_in.post(
        reverse("sources:add_url", args=[claim.pk]),
        {"url": "https://test-source.invalid/page"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert fake.calls == [
        {"claim": claim, "url": "https://test-source.invalid/page", "user": reviewer}
    ]
    content = response.content.decode()
    assert content.startswith('<div id="add-sources"')
    assert "https://test-source.invalid/page" in content
    jobs_url = reverse("sources:claim_jobs", args=[claim.pk])
    assert f'hx-get="{jobs_url}" hx-trigger="every 2s"' in content


def test_adding_a_source_without_javascript_redirects_to_the_jobs(signed_in, claim, monkeypatch):
    monkeypatch.setattr(
        "sources.services.source_add_url",
        Recorder(result=FetchJobFactory(claim=claim)),
        raising=False,
    )
    response = signed_in.post(
        reverse("sources:add_url", args=[claim.pk]), {"url": "https://test.invalid/"}
    )
    assert response["Location"] == reverse("claims:claim", args=[claim.pk]) + "#jobs"


@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_url_shows_the_reason_and_keeps_the_url(signed_in, claim, monkeypatch, htmx):
    error = InvalidInput("TEST: private addresses are not fetched.")
    monkeypatch.setattr("sources.services.source_add_url", Recorder(error=error), raising=False)
    response = signed_in.post(
        reverse("sources:add_url", args=[claim.pk]),
        {"url": "http://127.0.0.1/admin"},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 400
    assert error.message.encode() in response.content
    assert b'value="http://127.0.0.1/admin"' in response.content


def test_uploading_a_document_adds_it_and_opens_its_evidence(
    signed_in, reviewer, claim, monkeypatch
):
    evidence = EvidenceFactory(claim=claim)
    fake = Recorder(result=evidence)
    monkeypatch.setattr("sources.services.source_upload", fake, raising=False)
    upload = SimpleUploadedFile("test.pdf", b"%PDF-1.4 TEST", content_type="application/pdf")
    response = signed_in.post(reverse("sources:upload", args=[claim.pk]), {"document": upload})
    assert response["Location"] == (reverse("claims:claim", args=[claim.pk]) + f"#ev-{evidence.pk}")
    assert fake.calls == [
        {
            "claim": claim,
            "user": reviewer,
            "data": b"%PDF-1.4 TEST",
            "filename": "test.pdf",
            "content_type": "application/pdf",
        }
    ]


def test_a_refused_upload_shows_the_reason(signed_in, claim, monkeypatch):
    error = IngestError("TEST: this file is not text, HTML or PDF.")
    monkeypatch.setattr("sources.services.source_upload", Recorder(error=error), raising=False)
    upload = SimpleUploadedFile("test.bin", b"\x00\x01", content_type="application/octet-stream")
    response = signed_in.post(reverse("sources:upload", args=[claim.pk]), {"document": upload})
    assert response.status_code == 400
    assert error.message.encode() in response.content


def test_a_failed_job_shows_its_reason_and_a_retry_button(signed_in, claim):
    job = FetchJobFactory(
        claim=claim, status=FetchJob.Status.FAILED, last_error="TEST: 404 Not Found"
    )
    content = signed_in.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "TEST: 404 Not Found" in content
    assert reverse("sources:job_retry", args=[job.pk]) in content
    assert "every 2s" not in content  # nothing left to wait for


def test_retrying_a_job_refreshes_the_job_list(signed_in, reviewer, claim, monkeypatch):
    job = FetchJobFactory(claim=claim, status=FetchJob.Status.FAILED)

    def retry(*, job, user):
        job.status = FetchJob.Status.QUEUED
        job.save()
        return job

    fake = Recorder(result=retry)
    monkeypatch.setattr("sources.services.fetch_job_retry", fake, raising=False)
    response = signed_in.post(reverse("sources:job_retry", args=[job.pk]), headers=HTMX)
    assert fake.calls == [{"job": job, "user": reviewer}]
    assert response.content.startswith(b'<div id="jobs"')
    assert b'hx-trigger="every 2s"' in response.content


def test_a_refused_retry_is_explained(signed_in, claim, monkeypatch):
    job = FetchJobFactory(claim=claim, status=FetchJob.Status.SUCCEEDED)
    error = InvalidInput("TEST: only failed jobs can be retried.")
    monkeypatch.setattr("sources.services.fetch_job_retry", Recorder(error=error), raising=False)
    response = signed_in.post(reverse("sources:job_retry", args=[job.pk]), headers=HTMX)
    assert response.status_code == 400
    assert error.message.encode() in response.content
    page = signed_in.post(reverse("sources:job_retry", args=[job.pk]), follow=True)
    assert error.message.encode() in page.content


def test_the_job_list_stops_polling_when_every_job_is_final(signed_in, claim):
    job = FetchJobFactory(claim=claim, status=FetchJob.Status.RUNNING)
    url = reverse("sources:claim_jobs", args=[claim.pk])
    assert b"every 2s" in signed_in.get(url, headers=HTMX).content
    job.status = FetchJob.Status.SUCCEEDED
    job.save()
    fragment = signed_in.get(url, headers=HTMX)
    assert b"every 2s" not in fragment.content
    assert b"Reload to see the new sources" in fragment.content
    assert signed_in.get(url)["Location"] == reverse("claims:claim", args=[claim.pk]) + "#jobs"


def test_gathering_sources_for_a_claim_starts_jobs(signed_in, reviewer, claim, monkeypatch):
    fake = Recorder(result=[FetchJobFactory(claim=claim), FetchJobFactory(claim=claim)])
    monkeypatch.setattr("sources.services.sources_gather", fake, raising=False)
    monkeypatch.setattr("workbench.broker.broker_available", lambda: True)
    response = signed_in.post(reverse("claims:claim_gather", args=[claim.pk]), follow=True)
    assert fake.calls == [{"claims": [claim], "requested_by": reviewer}]
    assert b"2 jobs started" in response.content
