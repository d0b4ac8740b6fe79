from datetime import UTC, datetime

import pytest

from sources.providers.base import ProviderError, Query, TransientProviderError
from sources.providers.factcheck import FactCheckProvider

from .conftest import fixture_json

PATH = "/v1alpha1/claims:search"
KEY = "TEST-SECRET-KEY-123"


def provider(server_url):
    return FactCheckProvider(api_key=KEY, api_url=server_url + PATH)


def test_each_claim_review_becomes_a_factcheck_hit(httpserver, server_url):
    httpserver.expect_request(PATH).respond_with_json(fixture_json("factcheck_claims_search.json"))

    hits = provider(server_url).search(Query(text="test ministry widgets", language="en"))

    assert [h.url for h in hits] == [
        "https://checkers.test.invalid/checks/widgets-400",
        "https://ar-checkers.test.invalid/fact/123",
        "https://sparse.test.invalid/review",
    ]
    first, arabic, sparse = hits
    assert all(h.is_factcheck for h in hits)
    assert {h.provider for h in hits} == {"factcheck"}
    assert first.rating == "False"
    assert first.claim_text == "TEST CLAIM: The test ministry bought 400 test widgets in 2022."
    assert first.claimant == "Test Minister"
    assert first.publisher == "Test Checkers"
    assert first.title == "TEST: Did the ministry buy 400 widgets?"
    assert first.language == "en"
    assert first.published_at == datetime(2024, 4, 2, 11, 20, tzinfo=UTC)
    assert arabic.rating == "خاطئ"
    assert arabic.language == "ar"
    # Sparse item: no claim text, rating, publisher or date, yet usable.
    assert sparse.rating == ""
    assert sparse.publisher == ""
    assert sparse.published_at is None
    assert sparse.claim_text == "TEST sparse review with nothing but a URL and title"
    assert sparse.domain == "sparse.test.invalid"


def test_the_request_carries_query_language_page_size_and_the_key_in_a_header(
    httpserver, server_url
):
    httpserver.expect_request(PATH).respond_with_json({})

    provider(server_url).search(Query(text="  test   claim ", language="ar"))

    ((request, _response),) = httpserver.log
    assert request.args["query"] == "test claim"
    assert request.headers["X-Goog-Api-Key"] == KEY
    # Not in the URL: httpx logs request URLs at INFO level.
    assert "key" not in request.args
    assert KEY not in request.url
    assert request.args["languageCode"] == "ar"
    assert int(request.args["pageSize"]) > 0


def test_an_empty_object_means_no_earlier_factchecks(httpserver, server_url):
    httpserver.expect_request(PATH).respond_with_json({})

    assert provider(server_url).search(Query(text="nothing")) == []


def test_a_bad_key_is_a_permanent_error_that_never_shows_the_key(httpserver, server_url):
    httpserver.expect_request(PATH).respond_with_json(
        {
            "error": {
                "code": 400,
                "message": "API key not valid. Please pass a valid API key.",
                "status": "INVALID_ARGUMENT",
            }
        },
        status=400,
    )

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert not caught.value.transient
    assert "API key not valid" in str(caught.value)
    assert "Google Fact Check Tools" in str(caught.value)
    assert KEY not in str(caught.value)


def test_quota_exhaustion_is_transient_with_retry_after(httpserver, server_url):
    httpserver.expect_request(PATH).respond_with_json(
        {"error": {"code": 429, "message": "Quota exceeded.", "status": "RESOURCE_EXHAUSTED"}},
        status=429,
        headers={"Retry-After": "30"},
    )

    with pytest.raises(TransientProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert caught.value.retry_after == 30
    assert "Quota exceeded" in str(caught.value)


def test_server_errors_are_transient(httpserver, server_url):
    httpserver.expect_request(PATH).respond_with_data("TEST backend error", status=503)

    with pytest.raises(TransientProviderError, match="HTTP 503"):
        provider(server_url).search(Query(text="test"))


def test_connection_errors_never_show_the_key():
    broken = FactCheckProvider(api_key=KEY, api_url="http://127.0.0.1:9" + PATH)

    with pytest.raises(TransientProviderError) as caught:
        broken.search(Query(text="test"))

    assert KEY not in str(caught.value)


def test_a_redirect_is_not_followed_and_does_not_leak_the_key(httpserver, server_url):
    httpserver.expect_request(PATH).respond_with_data(
        "", status=302, headers={"Location": f"https://elsewhere.test.invalid/?key={KEY}"}
    )

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert "redirected" in str(caught.value)
    assert KEY not in str(caught.value)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("body", ['["not", "an", "object"]', '{"claims": "nope"}', "<html>"])
def test_an_unexpected_body_is_a_permanent_error(httpserver, server_url, body):
    httpserver.expect_request(PATH).respond_with_data(body, content_type="application/json")

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert not caught.value.transient


def test_without_an_api_key_the_provider_is_disabled(settings):
    settings.GOOGLE_FACTCHECK_API_KEY = ""

    assert FactCheckProvider.from_settings() is None


def test_with_an_api_key_the_provider_is_built_from_settings(settings):
    settings.GOOGLE_FACTCHECK_API_KEY = KEY
    settings.SOURCES_FACTCHECK_API = "https://factchecktools.googleapis.com/v1alpha1/claims:search"

    built = FactCheckProvider.from_settings()

    assert built.name == "factcheck"
    assert built.api_key == KEY


def test_a_non_http_api_url_is_refused(settings):
    settings.GOOGLE_FACTCHECK_API_KEY = KEY
    settings.SOURCES_FACTCHECK_API = "file:///etc/passwd"

    with pytest.raises(ProviderError, match="SOURCES_FACTCHECK_API"):
        FactCheckProvider.from_settings()


def test_scrub_hides_key_parameters_and_secret_values():
    from sources.providers.http import scrub

    text = f"GET https://x.test.invalid/s?query=a&key={KEY}&b=1 failed ({KEY})"

    assert scrub(text, [KEY]) == "GET https://x.test.invalid/s?query=a&key=***&b=1 failed (***)"


def test_the_key_never_reaches_the_logs(httpserver, server_url, caplog):
    import logging

    httpserver.expect_request(PATH).respond_with_json(fixture_json("factcheck_claims_search.json"))

    with caplog.at_level(logging.DEBUG):
        provider(server_url).search(Query(text="test"))

    assert "HTTP Request" in caplog.text  # httpx did log the request...
    assert KEY not in caplog.text  # ...without the key


def test_the_hit_carries_a_json_safe_record_for_storing(httpserver, server_url):
    import json

    httpserver.expect_request(PATH).respond_with_json(fixture_json("factcheck_claims_search.json"))

    hit = provider(server_url).search(Query(text="test"))[0]
    record = hit.extra["factcheck"]

    assert json.loads(json.dumps(record)) == record
    assert record["review_date"] == "2024-04-02T11:20:00+00:00"
    assert record["origin"] == "factcheck"
    assert record["url"] == hit.url
