import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from claims.errors import InvalidInput
from sources.models import FactCheck
from sources.services import factchecks_import
from tests.sources.providers.conftest import FIXTURES, fixture_json

pytestmark = pytest.mark.django_db


def run(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_claimreviews", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data, name="data.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_a_claimreview_file_is_imported_with_a_canonical_url():
    out, _ = run(FIXTURES / "claimreview_single.json")

    check = FactCheck.objects.get()
    assert check.url == "https://checkers.test.invalid/checks/widgets-400"
    assert check.claim_text == "TEST CLAIM: The test ministry bought 400 test widgets in 2022."
    assert check.rating == "False"
    assert check.rating_value == 1.0
    assert check.publisher_name == "Test Checkers"
    assert check.review_date == datetime(2024, 4, 2, tzinfo=UTC)
    assert check.origin == FactCheck.Origin.IMPORT
    assert check.raw["claimReviewed"] == check.claim_text
    assert "1 created, 0 updated, 0 left out" in out


def test_importing_again_updates_instead_of_duplicating(tmp_path):
    run(FIXTURES / "claimreview_single.json")
    changed = fixture_json("claimreview_single.json")
    changed["reviewRating"]["alternateName"] = "Mostly false"
    # Same review, URL written differently (fragment and tracking dropped, host case).
    changed["url"] = "https://CHECKERS.test.invalid/checks/widgets-400?utm_medium=x"

    out, _ = run(write(tmp_path, changed))

    assert FactCheck.objects.count() == 1
    assert FactCheck.objects.get().rating == "Mostly false"
    assert "0 created, 1 updated" in out


def test_a_list_file_imports_usable_items_and_reports_the_rest():
    out, err = run(FIXTURES / "claimreview_list.json")

    assert FactCheck.objects.count() == 1
    assert "no http(s) URL" in err
    assert "1 created, 0 updated, 1 left out" in out


def test_a_graph_file_is_imported():
    run(FIXTURES / "claimreview_graph.json")

    assert set(FactCheck.objects.values_list("url", flat=True)) == {
        "https://checkers.test.invalid/checks/nested",
        "https://checkers.test.invalid/checks/graph-1",
    }


def test_a_saved_claims_search_response_is_imported():
    out, _ = run(FIXTURES / "factcheck_claims_search.json")

    assert FactCheck.objects.count() == 3
    arabic = FactCheck.objects.get(url="https://ar-checkers.test.invalid/fact/123")
    assert arabic.rating == "خاطئ"
    assert arabic.language == "ar"
    assert arabic.claimant == "Test Minister"
    assert arabic.publisher_site == "ar-checkers.test.invalid"
    assert "3 created" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("", "the file is empty"),
        ('"just a string"', "Expected a JSON object or list"),
        ('{"@type": "NewsArticle", "headline": "TEST"}', "No ClaimReview found"),
        ("{}", "no usable fact-check"),
        ('{"claims": []}', "no usable fact-check"),
        ('[{"@type": "ClaimReview", "claimReviewed": "TEST no url"}]', "no usable fact-check"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, content))

    assert FactCheck.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"claims": ["\xe9"]}')

    with pytest.raises(CommandError, match="not UTF-8"):
        run(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "absent.json")


def test_standard_input_is_read(monkeypatch):
    import sys

    data = (FIXTURES / "claimreview_single.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    out, _ = run("-")

    assert FactCheck.objects.count() == 1
    assert "from -" in out


def record(**overrides):
    base = {
        "claim_text": "TEST CLAIM",
        "url": "https://checkers.test.invalid/r/1",
        "rating": "False",
        "review_date": "2024-04-02T10:00:00Z",
    }
    base.update(overrides)
    return base


def test_the_service_counts_created_and_updated_rows():
    assert factchecks_import(records=[record(), record(url="https://x.test.invalid/2")]) == (2, 0)
    assert factchecks_import(records=[record(rating="True")]) == (0, 1)
    assert FactCheck.objects.get(url="https://checkers.test.invalid/r/1").rating == "True"
    assert FactCheck.objects.get(url="https://x.test.invalid/2").review_date == datetime(
        2024, 4, 2, 10, tzinfo=UTC
    )


def test_the_same_url_twice_in_one_import_keeps_the_last():
    created, updated = factchecks_import(
        records=[
            record(rating="First"),
            record(url="https://checkers.test.invalid/r/1#x", rating="Last"),
        ]
    )

    assert (created, updated) == (1, 0)
    assert FactCheck.objects.get().rating == "Last"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"url": "javascript:alert(1)"}, "not an http"),
        ({"url": ""}, "not an http"),
        ({"claim_text": "  "}, "no claim text"),
        ({"origin": "elsewhere"}, "unknown origin"),
        ({"rating_value": "high"}, "not a number"),
        ({"claim_date": 12}, "not a date"),
        ({"surprise": 1}, "unknown fields: surprise"),
    ],
)
def test_one_bad_record_refuses_the_whole_import(bad, message):
    with pytest.raises(InvalidInput, match=message):
        factchecks_import(records=[record(url="https://ok.test.invalid/1"), record(**bad)])

    assert FactCheck.objects.count() == 0


def test_overlong_labels_are_cut_to_the_column_and_kept_whole_in_raw():
    long_title = "TEST " + "t" * 2000

    factchecks_import(records=[record(title=long_title, raw={"title": long_title})])

    check = FactCheck.objects.get()
    assert len(check.title) == FactCheck._meta.get_field("title").max_length
    assert check.raw["title"] == long_title


def test_records_from_the_factcheck_provider_can_be_stored(httpserver):
    from sources.providers.base import Query
    from sources.providers.factcheck import FactCheckProvider

    httpserver.expect_request("/claims:search").respond_with_json(
        fixture_json("factcheck_claims_search.json")
    )
    api = FactCheckProvider(
        api_key="TEST-KEY", api_url=f"http://127.0.0.1:{httpserver.port}/claims:search"
    )
    hits = api.search(Query(text="test"))

    created, updated = factchecks_import(records=[h.extra["factcheck"] for h in hits])

    assert (created, updated) == (3, 0)
    stored = FactCheck.objects.get(url="https://checkers.test.invalid/checks/widgets-400")
    assert stored.origin == FactCheck.Origin.FACTCHECK_API
    assert stored.review_date == datetime(2024, 4, 2, 11, 20, tzinfo=UTC)
