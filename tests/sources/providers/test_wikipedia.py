import json
from datetime import datetime

import pytest
from werkzeug import Response

from sources.providers.base import ProviderError, Query, TransientProviderError
from sources.providers.wikipedia import WikipediaProvider, strip_snippet

from .conftest import fixture_json

PATH = "/{lang}/w/api.php"


def json_response(data, status=200, headers=None):
    return Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


def serve_edition(httpserver, lang, search, extracts):
    """Answer list=search with ``search`` and prop=extracts with ``extracts`` (a list:
    successive answers, each following the previous one's ``continue``)."""
    seen = []

    def handler(request):
        seen.append(request.args.to_dict())
        if request.args.get("list") == "search":
            return json_response(search)
        if request.args.get("prop") == "extracts":
            index = 1 if request.args.get("excontinue") else 0
            return json_response(extracts[index])
        return json_response({"error": {"code": "badvalue", "info": "TEST unexpected"}})

    httpserver.expect_request(PATH.format(lang=lang)).respond_with_handler(handler)
    return seen


def provider(server_url, langs=("en",)):
    return WikipediaProvider(langs=list(langs), api_template=server_url + PATH)


def test_formatversion_2_search_gives_hits_with_full_extracts_following_continue(
    httpserver, server_url
):
    seen = serve_edition(
        httpserver,
        "en",
        fixture_json("wikipedia_search_fv2.json"),
        [
            fixture_json("wikipedia_extracts_fv2_first.json"),
            fixture_json("wikipedia_extracts_fv2_second.json"),
        ],
    )

    hits = provider(server_url).search(Query(text="test widgets"))

    assert [h.title for h in hits] == ["Test widget ministry", "TEST Widget (2022)"]
    assert hits[0].text.startswith("TEST DATA. The test widget ministry")
    assert hits[1].text == "TEST DATA. A widget is a made-up test object."
    assert hits[0].url == f"{server_url}/en/wiki/Test_widget_ministry"
    assert hits[1].url == f"{server_url}/en/wiki/TEST_Widget_(2022)"
    assert hits[0].snippet == 'The test ministry bought "widgets" & gadgets'
    assert {h.language for h in hits} == {"en"}
    assert {h.publisher for h in hits} == {"Wikipedia"}
    assert {h.provider for h in hits} == {"wikipedia"}
    assert hits[0].score > hits[1].score
    search_args = seen[0]
    assert search_args["srsearch"] == "test widgets"
    assert search_args["format"] == "json"
    extract_args = seen[1]
    assert extract_args["pageids"] == "101|102"
    assert extract_args["explaintext"] == "1"
    # MediaWiki booleans are true when present, whatever the value: exintro must be absent.
    assert "exintro" not in extract_args
    assert seen[2]["excontinue"] == "1"


def test_formatversion_1_shape_is_understood_and_missing_pages_are_left_out(httpserver, server_url):
    serve_edition(
        httpserver,
        "ar",
        fixture_json("wikipedia_search_fv1.json"),
        [fixture_json("wikipedia_extracts_fv1.json")],
    )

    hits = provider(server_url, langs=["ar"]).search(Query(text="وزارة الاختبار"))

    assert [h.title for h in hits] == ["وزارة الاختبار", "أداة اختبار"]
    assert hits[0].text == "بيانات اختبار. وزارة الاختبار هيئة مختلقة للاختبار."
    assert hits[0].snippet == "وزارة الاختبار (بيانات اختبار)"
    assert hits[0].language == "ar"
    assert hits[0].url == (
        f"{server_url}/ar/wiki/%D9%88%D8%B2%D8%A7%D8%B1%D8%A9_"
        "%D8%A7%D9%84%D8%A7%D8%AE%D8%AA%D8%A8%D8%A7%D8%B1"
    )


def test_formatversion_2_missing_true_is_left_out(httpserver, server_url):
    search = {
        "batchcomplete": True,
        "query": {"search": [{"ns": 0, "title": "TEST gone", "pageid": 7, "snippet": "x"}]},
    }
    extracts = {"batchcomplete": True, "query": {"pages": [{"pageid": 7, "missing": True}]}}
    serve_edition(httpserver, "en", search, [extracts])

    assert provider(server_url).search(Query(text="TEST gone")) == []


def test_every_configured_edition_is_searched_with_the_query_language_first(httpserver, server_url):
    serve_edition(
        httpserver,
        "en",
        fixture_json("wikipedia_search_fv2.json"),
        [
            fixture_json("wikipedia_extracts_fv2_first.json"),
            fixture_json("wikipedia_extracts_fv2_second.json"),
        ],
    )
    serve_edition(
        httpserver,
        "ar",
        fixture_json("wikipedia_search_fv1.json"),
        [fixture_json("wikipedia_extracts_fv1.json")],
    )

    hits = provider(server_url, langs=["en", "ar"]).search(Query(text="test", language="ar"))

    assert [h.language for h in hits] == ["ar", "ar", "en", "en"]


def test_no_results_gives_no_hits_and_no_extract_request(httpserver, server_url):
    seen = serve_edition(
        httpserver,
        "en",
        {"batchcomplete": True, "query": {"searchinfo": {"totalhits": 0}, "search": []}},
        [],
    )

    assert provider(server_url).search(Query(text="TEST nothing")) == []
    assert len(seen) == 1


def test_an_empty_query_asks_nothing(httpserver, server_url):
    assert provider(server_url).search(Query(text="   ")) == []
    assert httpserver.log == []


def test_maxlag_error_is_transient_and_honours_retry_after(httpserver, server_url):
    httpserver.expect_request("/en/w/api.php").respond_with_response(
        json_response(fixture_json("wikipedia_error_maxlag.json"), headers={"Retry-After": "5"})
    )

    with pytest.raises(TransientProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert caught.value.retry_after == 5
    assert "maxlag" in str(caught.value)
    assert "Wikipedia (en)" in str(caught.value)


def test_other_api_error_codes_are_permanent(httpserver, server_url):
    httpserver.expect_request("/en/w/api.php").respond_with_json(
        fixture_json("wikipedia_error_badvalue.json")
    )

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert not caught.value.transient
    assert 'badvalue: Unrecognized value for parameter "list"' in str(caught.value)


@pytest.mark.parametrize(
    ("status", "transient"), [(500, True), (503, True), (429, True), (404, False), (403, False)]
)
def test_http_errors_are_mapped_to_transient_or_permanent(
    httpserver, server_url, status, transient
):
    httpserver.expect_request("/en/w/api.php").respond_with_data(
        "<html><body>TEST upstream trouble</body></html>",
        status=status,
        content_type="text/html",
    )

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert caught.value.transient is transient
    assert f"HTTP {status}" in str(caught.value)
    assert "TEST upstream trouble" in str(caught.value)


def test_a_body_that_is_not_json_is_a_permanent_error(httpserver, server_url):
    httpserver.expect_request("/en/w/api.php").respond_with_data(
        "<html>TEST maintenance page</html>", content_type="text/html"
    )

    with pytest.raises(ProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert not caught.value.transient
    assert "not JSON" in str(caught.value)


def test_warnings_are_logged_and_results_still_returned(httpserver, server_url, caplog):
    search = fixture_json("wikipedia_search_fv2.json")
    search["warnings"] = {"main": {"warnings": "TEST Unrecognized parameter: foo."}}
    serve_edition(
        httpserver,
        "en",
        search,
        [
            fixture_json("wikipedia_extracts_fv2_first.json"),
            fixture_json("wikipedia_extracts_fv2_second.json"),
        ],
    )

    hits = provider(server_url).search(Query(text="test"))

    assert len(hits) == 2
    assert "TEST Unrecognized parameter" in caplog.text


def test_an_unreachable_api_is_a_transient_error(settings):
    # Port 9 on loopback: nothing listens there.
    wiki = WikipediaProvider(langs=["en"], api_template="http://127.0.0.1:9/{lang}/w/api.php")

    with pytest.raises(TransientProviderError) as caught:
        wiki.search(Query(text="test"))

    assert "could not reach the API" in str(caught.value)


def test_a_slow_api_times_out_as_a_transient_error(httpserver, server_url, settings):
    import time

    settings.SOURCES_HTTP_TIMEOUT = 0.2

    def slow(request):
        time.sleep(0.6)
        return json_response({})

    httpserver.expect_request("/en/w/api.php").respond_with_handler(slow)

    with pytest.raises(TransientProviderError) as caught:
        provider(server_url).search(Query(text="test"))

    assert "did not answer within" in str(caught.value)


def test_from_settings_uses_the_configured_editions_and_template(settings):
    settings.SOURCES_WIKIPEDIA_LANGS = ["ar", "en"]
    settings.SOURCES_WIKIPEDIA_API = "https://{lang}.wikipedia.org/w/api.php"

    wiki = WikipediaProvider.from_settings()

    assert wiki.langs == ["ar", "en"]
    assert wiki.page_url("en", "Test page") == "https://en.wikipedia.org/wiki/Test_page"
    assert wiki.page_url("ar", "صفحة") == "https://ar.wikipedia.org/wiki/%D8%B5%D9%81%D8%AD%D8%A9"


@pytest.mark.parametrize(
    "template",
    ["ftp://{lang}.wikipedia.org/w/api.php", "file:///etc/{lang}", "https://no-placeholder/"],
)
def test_an_unusable_api_url_is_refused(settings, template):
    settings.SOURCES_WIKIPEDIA_API = template

    with pytest.raises(ProviderError, match="SOURCES_WIKIPEDIA_API"):
        WikipediaProvider.from_settings()


def test_snippet_markup_becomes_plain_text():
    html = 'A <span class="searchmatch">b</span> &amp; &lt;c&gt; &#039;d&#039;'

    assert strip_snippet(html) == "A b & <c> 'd'"


def test_hits_carry_the_search_timestamp_as_last_edit_not_as_publication(httpserver, server_url):
    serve_edition(
        httpserver,
        "ar",
        fixture_json("wikipedia_search_fv1.json"),
        [fixture_json("wikipedia_extracts_fv1.json")],
    )

    hit = provider(server_url, langs=["ar"]).search(Query(text="x"))[0]

    assert hit.published_at is None
    assert datetime.fromisoformat(hit.extra["last_edited"].replace("Z", "+00:00")).year == 2024


def test_when_the_query_finds_nothing_the_key_terms_are_tried_with_or(httpserver, server_url):
    searches = []

    def handler(request):
        if request.args.get("list") == "search":
            searches.append(request.args["srsearch"])
            if " OR " in request.args["srsearch"]:
                return json_response(fixture_json("wikipedia_search_fv2.json"))
            return json_response({"batchcomplete": True, "query": {"search": []}})
        index = 1 if request.args.get("excontinue") else 0
        return json_response(
            [
                fixture_json("wikipedia_extracts_fv2_first.json"),
                fixture_json("wikipedia_extracts_fv2_second.json"),
            ][index]
        )

    httpserver.expect_request("/en/w/api.php").respond_with_handler(handler)

    hits = provider(server_url).search(
        Query(
            text="the test ministry bought 400 test widgets in 2022",
            terms=["test ministry", "widgets", 'say "hi"', "widgets"],
        )
    )

    assert searches == [
        "the test ministry bought 400 test widgets in 2022",
        '"test ministry" OR widgets OR "say hi"',
    ]
    assert len(hits) == 2
    assert hits[0].extra["search"] == '"test ministry" OR widgets OR "say hi"'


def test_without_terms_there_is_no_second_search(httpserver, server_url):
    seen = serve_edition(httpserver, "en", {"batchcomplete": True, "query": {"search": []}}, [])

    assert provider(server_url).search(Query(text="TEST nothing")) == []
    assert len(seen) == 1


@pytest.mark.parametrize("langs", [[], ["en", "../../etc"], ["EN US"]])
def test_unusable_editions_are_a_configuration_error(settings, langs):
    from django.core.exceptions import ImproperlyConfigured

    settings.SOURCES_WIKIPEDIA_LANGS = langs

    with pytest.raises(ImproperlyConfigured):
        WikipediaProvider.from_settings()
