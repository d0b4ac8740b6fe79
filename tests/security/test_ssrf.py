"""No server-side request to a private address, through any place that accepts a URL.

``SOURCES_ALLOW_PRIVATE_NETWORKS`` is off (the default) in every test here. A local HTTP server
(pytest-httpserver) stands for "an allowed site": it is reached only through ``fetch``'s
test-only ``allowed_endpoints``; every request it receives is recorded, so a test can show
that nothing private was contacted.
"""

from __future__ import annotations

import json
import logging
import socket

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from claims.errors import IngestError, InvalidInput
from claims.models import Article
from claims.services import article_process_submission, article_submit
from sources import services as source_services
from sources.fetching import BlockedURLError, fetch
from sources.models import FetchJob, Source
from sources.providers.base import Hit
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# Literal addresses no fetch may reach (IPv4, IPv6, embedded-IPv4 forms, metadata services).
PRIVATE_URLS = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://0.0.0.0/",
    "http://10.0.0.5/admin",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://100.64.0.1/",
    "http://localhost/",
    "http://2130706433/",  # 127.0.0.1 as one number
    "http://0x7f.0.0.1/",
    "http://017700000001/",
]
BAD_SCHEMES = [
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://ftp.example.invalid/x",
    "dict://127.0.0.1:11211/stat",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]
# A public-looking name that resolves to a private address (DNS rebinding, internal names).
REBOUND_HOST = "rebound.example.invalid"


@pytest.fixture(autouse=True)
def _private_networks_off(settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = False
    settings.SOURCES_HTTP_TIMEOUT = 5
    settings.API_ANONYMOUS_READ = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute"},
    }


@pytest.fixture
def rebinding_dns(monkeypatch):
    """REBOUND_HOST resolves to 10.0.0.7 and 169.254.169.254; other names as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == REBOUND_HOST:
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port or 80)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port or 80)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def guarded_server(httpserver):
    """A local server that must receive no request at all (checked at teardown)."""
    yield httpserver
    assert httpserver.log == [], [str(req) for req, _resp in httpserver.log]


# --- the guarded client itself --------------------------------------------------------------
@pytest.mark.parametrize("url", PRIVATE_URLS + BAD_SCHEMES)
def test_fetch_refuses_private_addresses_and_other_schemes(url):
    with pytest.raises(BlockedURLError) as error:
        fetch(url)
    assert str(error.value)  # a clear message, not an empty one


def test_fetch_refuses_a_name_that_resolves_to_a_private_address(rebinding_dns):
    with pytest.raises(BlockedURLError, match="non-public address"):
        fetch(f"http://{REBOUND_HOST}/page")


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",  # the allowed server's own address, another path
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/secret",
        "http://localhost:9/secret",
        "file:///etc/passwd",
        f"http://{REBOUND_HOST}/secret",
    ],
)
def test_a_redirect_from_an_allowed_site_to_a_private_address_is_refused(
    httpserver, rebinding_dns, target
):
    """The allowed endpoint is exactly (127.0.0.1, port) for the first hop; the redirect
    target is checked again, and a private one is refused."""
    port = httpserver.port
    location = target.format(port=port)
    httpserver.expect_request("/start").respond_with_data(
        "", status=302, headers={"Location": location}
    )
    httpserver.expect_request("/secret").respond_with_data("SECRET TEST DATA")
    # Only the first hop's endpoint is allowed; "127.0.0.1:{port}/secret" is the same
    # endpoint, so for that case allow a different one and reach the first hop by name.
    with pytest.raises(BlockedURLError):
        fetch(
            f"http://127.0.0.1:{port}/start",
            allowed_endpoints=[("127.0.0.1", port)] if "127.0.0.1" not in location else [],
        )
    assert not any(req.path == "/secret" for req, _resp in httpserver.log)


def test_the_allowed_endpoint_mechanism_reaches_the_test_server(httpserver):
    """Control for the test above: the same server is reachable when it is the endpoint."""
    httpserver.expect_request("/ok").respond_with_data("TEST page", content_type="text/plain")
    page = fetch(
        f"http://127.0.0.1:{httpserver.port}/ok",
        allowed_endpoints=[("127.0.0.1", httpserver.port)],
    )
    assert page.content == b"TEST page"


# --- manage.py ingest URL ------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "http://169.254.169.254/latest/", f"http://{REBOUND_HOST}/"]
)
def test_manage_ingest_refuses_private_urls(url, rebinding_dns):
    with pytest.raises(CommandError) as error:
        call_command("ingest", url)
    assert "non-public" in str(error.value) or "Refused" in str(error.value)
    assert not Article.objects.exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO"])
def test_manage_ingest_treats_other_schemes_as_missing_files(url):
    with pytest.raises(CommandError, match="No such file"):
        call_command("ingest", url)
    assert not Article.objects.exists()


# --- article_submit (service, UI form, API) ------------------------------------------------
@pytest.mark.parametrize("url", PRIVATE_URLS + BAD_SCHEMES)
def test_article_submit_refuses_literal_private_urls_and_other_schemes(reviewer, url):
    with pytest.raises(IngestError) as error:
        article_submit(user=reviewer, url=url)
    assert str(error.value.message)
    assert not Article.objects.exists()


def test_an_article_url_whose_name_resolves_privately_fails_with_the_reason(
    reviewer, rebinding_dns, guarded_server
):
    """A name cannot be judged before it is resolved: the submission is accepted, and the
    background processing refuses it and records why on the article."""
    article = article_submit(user=reviewer, url=f"http://{REBOUND_HOST}/news")
    assert article.status == Article.Status.PENDING
    try:
        article_process_submission(article=article)
    except IngestError:
        pass
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "non-public address" in article.status_error
    assert article.text == ""


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/", "http://169.254.169.254/", "http://[::1]/", "http://localhost/"],
)
def test_the_new_article_form_refuses_private_urls(reviewer, url):
    client = Client()
    client.force_login(reviewer)
    response = client.post("/articles/new/", {"url": url})
    assert response.status_code in (200, 400)
    assert not Article.objects.exists()
    assert b"not a public address" in response.content or b"non-public" in response.content


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://169.254.169.254/", "http://[::1]/"])
def test_the_api_refuses_private_article_urls(reviewer, url):
    _token, key = ApiToken.issue(user=reviewer, name="ssrf test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post("/api/v1/articles/", {"url": url}, format="json")
    assert response.status_code == 400, response.content
    assert "public" in json.dumps(response.json())
    assert not Article.objects.exists()


# --- add a source by URL (service and UI form) -----------------------------------------------
@pytest.mark.parametrize("url", PRIVATE_URLS + BAD_SCHEMES + [f"http://{REBOUND_HOST}/"])
def test_source_add_url_refuses_private_urls(reviewer, rebinding_dns, url):
    claim = ClaimFactory()
    with pytest.raises(InvalidInput) as error:
        source_services.source_add_url(claim=claim, url=url, user=reviewer)
    assert str(error.value.message)
    assert not FetchJob.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/", "http://169.254.169.254/"])
def test_the_add_source_form_refuses_private_urls(reviewer, url):
    claim = ClaimFactory()
    client = Client()
    client.force_login(reviewer)
    response = client.post(f"/sources/claims/{claim.pk}/add-url/", {"url": url})
    assert response.status_code in (200, 400)
    assert b"non-public address" in response.content
    assert not FetchJob.objects.exists()


# --- providers' result URLs -----------------------------------------------------------------
def test_provider_hits_with_private_urls_are_never_fetched(
    reviewer, rebinding_dns, guarded_server, caplog
):
    """A (fake) provider returns hits pointing inside the network: URLs of other schemes are
    dropped with a logged reason; http(s) ones may become page jobs, which fail with the
    refusal recorded on the job, and nothing private is contacted."""
    port = guarded_server.port
    claim = ClaimFactory()
    search = FetchJob.objects.create(
        key=f"search:test:claim:{claim.pk}",
        kind=FetchJob.Kind.SEARCH,
        provider="test",
        claim=claim,
        query="TEST",
    )
    http_urls = [
        f"http://127.0.0.1:{port}/inside",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.1.2.3/",
        f"http://{REBOUND_HOST}/",
    ]
    other = ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "javascript:alert(1)"]
    hits = [
        Hit(url=url, title=f"TEST hit {n}", snippet="TEST snippet")
        for n, url in enumerate(http_urls + other)
    ]
    with caplog.at_level(logging.INFO, logger="sources"):
        source_services.search_results_store(job=search, hits=hits, claim=claim)
    assert not Source.objects.filter(url__startswith="file:").exists()
    assert not Source.objects.filter(url__startswith="gopher:").exists()
    assert not Source.objects.filter(url__startswith="javascript:").exists()
    for url in other:
        assert any(url in record.getMessage() for record in caplog.records), url
    page_jobs = list(FetchJob.objects.filter(kind=FetchJob.Kind.FETCH_PAGE))
    assert page_jobs  # the http(s) hits were kept and queued: their refusal is checked below
    for job in page_jobs:
        for _attempt in range(3):
            if source_services.fetch_job_run(job_id=job.pk) in (None, FetchJob.Status.FAILED):
                break
        job.refresh_from_db()
        assert job.status == FetchJob.Status.FAILED, (job.url, job.status, job.last_error)
        assert "non-public" in job.last_error or "Refused" in job.last_error, job.last_error
