from datetime import UTC, datetime

import pytest

from sources.providers.base import ProviderError, Query, TransientProviderError
from sources.providers.gdelt import GdeltProvider, build_query, repair_json_escapes

from .conftest import fixture_text

PATH = "/api/v2/doc/doc"


def provider(server_url):
    return GdeltProvider(api_url=server_url + PATH)


def serve(httpserver, body, *, status=200, content_type="application/json", headers=None):
    httpserver.expect_request(PATH).respond_with_data(
        body, status=status, content_type=content_type, headers=headers
    )


def test_artlist_articles_become_hits_with_iso_languages_and_dates(httpserver, server_url):
    serve(httpserver, fixture_text("gdelt_artlist.json"))

    hits = provider(server_url).search(Query(text="x", terms=["test widgets", "ministry"]))

    # The javascript: URL is dropped; the three web articles remain, in GDELT's order.
    assert [h.url for h in hits] == [
        "https://news-one.test.invalid/2024/04/09/test-widgets",
        "https://news-two.test.invalid/ar/article/123",
        "https://news-three.test.invalid/x",
    ]
    first, second, third = hits
    assert first.title == "TEST: Ministry buys 400 test widgets"
    assert first.language == "en"
    assert second.language == "ar"
    assert third.language == ""
    assert third.extra["language_name"] == "Klingon"
    assert first.published_at == datetime(2024, 4, 9, 12, 30, tzinfo=UTC)
    assert third.published_at is None
    assert first.domain == "news-one.test.invalid"
    assert first.extra["sourcecountry"] == "United Kingdom"
    assert first.extra["url_mobile"].startswith("https://m.news-one")
    assert {h.provider for h in hits} == {"gdelt"}


def test_the_request_asks_for_a_json_article_list_sorted_by_relevance(httpserver, server_url):
    serve(httpserver, "{}")

    provider(server_url).search(Query(text="x", terms=["Test Ministry of Widgets", "Gaza"]))

    ((request, _response),) = httpserver.log
    assert request.args["mode"] == "artlist"
    assert request.args["format"] == "json"
    assert request.args["sort"] == "hybridrel"
    assert int(request.args["maxrecords"]) > 0
    # "of" is too short for GDELT: the name's long words go in loose.
    assert request.args["query"] == "Test Ministry Widgets Gaza"


def test_an_empty_object_means_no_articles(httpserver, server_url):
    serve(httpserver, "{}")

    assert provider(server_url).search(Query(text="x", terms=["nothing matches"])) == []


def test_invalid_escapes_are_repaired_instead_of_failing(httpserver, server_url):
    serve(httpserver, fixture_text("gdelt_bad_escapes.txt"))

    (hit,) = provider(server_url).search(Query(text="x", terms=["widget"]))

    assert hit.title == 'TEST: Minister\'s "widget" plan \\ C:\\path'


@pytest.mark.parametrize(
    "message",
    [
        "Your search contained a phrase that was too short.",
        "The specified phrase is too short.",
        "Invalid query: unmatched parenthesis.",
    ],
)
def test_a_text_error_with_status_200_is_a_permanent_error(httpserver, server_url, message):
    serve(httpserver, message, content_type="text/html; charset=utf-8")

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="x", terms=["widget"]))

    assert not caught.value.transient
    assert message in str(caught.value)
    assert "GDELT" in str(caught.value)


def test_an_html_error_page_is_reported_as_text(httpserver, server_url):
    serve(
        httpserver,
        "<html><head><style>b{}</style></head><body><b>The specified phrase is too short."
        "</b></body></html>",
        content_type="text/html",
    )

    with pytest.raises(ProviderError, match=r"GDELT refused the query: The specified phrase"):
        provider(server_url).search(Query(text="x", terms=["widget"]))


def test_the_rate_limit_message_is_transient(httpserver, server_url):
    serve(
        httpserver,
        "Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com.",
        content_type="text/plain",
    )

    with pytest.raises(TransientProviderError) as caught:
        provider(server_url).search(Query(text="x", terms=["widget"]))

    assert caught.value.retry_after == 5


def test_http_429_is_transient_with_retry_after(httpserver, server_url):
    serve(
        httpserver,
        "Please limit requests to one every 5 seconds.",
        status=429,
        content_type="text/plain",
        headers={"Retry-After": "12"},
    )

    with pytest.raises(TransientProviderError) as caught:
        provider(server_url).search(Query(text="x", terms=["widget"]))

    assert caught.value.retry_after == 12
    assert "429" in str(caught.value)


def test_http_5xx_is_transient_and_4xx_permanent(httpserver, server_url):
    serve(httpserver, "TEST bad gateway", status=502, content_type="text/plain")
    with pytest.raises(TransientProviderError, match="HTTP 502"):
        provider(server_url).search(Query(text="x", terms=["widget"]))

    httpserver.clear()
    serve(httpserver, "TEST bad request", status=400, content_type="text/plain")
    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="x", terms=["widget"]))
    assert not caught.value.transient


def test_json_beyond_repair_is_a_permanent_error(httpserver, server_url):
    serve(httpserver, '{"articles": [ {"url": "https://a.test.invalid", ')

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="x", terms=["widget"]))

    assert not caught.value.transient
    assert "not valid JSON" in str(caught.value)


def test_an_empty_body_is_transient(httpserver, server_url):
    serve(httpserver, "")

    with pytest.raises(TransientProviderError, match="empty answer"):
        provider(server_url).search(Query(text="x", terms=["widget"]))


def test_a_query_with_no_usable_words_asks_nothing(httpserver, server_url):
    assert provider(server_url).search(Query(text="a b c", terms=["UN", "EU"])) == []
    assert httpserver.log == []


def test_query_quotes_names_drops_short_words_and_is_capped():
    query = build_query(
        Query(
            text="ignored",
            terms=[
                "World Health Organization",
                "UN",
                "Gaza",
                "Gaza",
                "x" * 300,
                "Rafah",
                "Khan Younis",
                "more",
            ],
        )
    )

    assert query == '"World Health Organization" Gaza Rafah "Khan Younis"'
    assert "UN" not in query.split()
    assert query.count("Gaza") == 1
    assert len(query) <= 200
    assert "more" not in query  # at most four terms


def test_query_falls_back_to_the_longest_words_of_the_text():
    query = build_query(Query(text="Officials (TEST) said: 400 widgets were purchased!"))

    assert query == "Officials purchased widgets TEST"
    assert "(" not in query and ":" not in query and "!" not in query


def test_query_keeps_arabic_words():
    assert build_query(Query(text="", terms=["وزارة الصحة"])) == '"وزارة الصحة"'


def test_escape_repair_leaves_valid_escapes_alone():
    import json

    valid = r'{"t": "a\"b\\c\/d\u0041\n"}'

    assert json.loads(repair_json_escapes(valid)) == json.loads(valid)


def test_from_settings_refuses_a_non_http_url(settings):
    settings.SOURCES_GDELT_API = "gopher://api.gdeltproject.org/api/v2/doc/doc"

    with pytest.raises(ProviderError, match="SOURCES_GDELT_API must be an http or https URL"):
        GdeltProvider.from_settings()
