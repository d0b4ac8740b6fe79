from datetime import UTC, datetime

import pytest

from sources.claimreview_parsing import (
    ClaimReviewFormatError,
    parse_factcheck_document,
    parse_when,
)
from tests.sources.providers.conftest import fixture_json


def test_a_single_claimreview_object_gives_one_full_record():
    result = parse_factcheck_document(fixture_json("claimreview_single.json"))

    (record,) = result.records
    assert record["claim_text"] == "TEST CLAIM: The test ministry bought 400 test widgets in 2022."
    assert record["url"] == "https://checkers.test.invalid/checks/widgets-400?utm_source=feed#top"
    assert record["title"] == "TEST: Did the ministry buy 400 widgets?"
    assert record["rating"] == "False"
    assert record["rating_value"] == 1.0
    assert record["best_rating"] == 5.0
    assert record["worst_rating"] == 1.0
    assert record["publisher_name"] == "Test Checkers"
    assert record["publisher_site"] == "checkers.test.invalid"
    assert record["claimant"] == "Test Minister"
    assert record["claim_date"] == datetime(2024, 3, 30, 5, 0, tzinfo=UTC)
    assert record["review_date"] == datetime(2024, 4, 2, tzinfo=UTC)
    assert record["language"] == "en"
    assert record["origin"] == "import"
    assert record["raw"]["@type"] == "ClaimReview"


def test_a_list_keeps_only_usable_claimreviews_and_says_why_others_were_left_out():
    result = parse_factcheck_document(fixture_json("claimreview_list.json"))

    (record,) = result.records
    assert record["url"] == "https://ar-checkers.test.invalid/fact/123"
    assert record["language"] == "ar"
    assert record["rating"] == "خاطئ"
    assert record["publisher_name"] == "مدققو الاختبار"
    assert len(result.skipped) == 1
    assert "no http(s) URL" in result.skipped[0]


def test_a_graph_with_prefixed_and_nested_reviews_is_read():
    result = parse_factcheck_document(fixture_json("claimreview_graph.json"))

    by_url = {r["url"]: r for r in result.records}
    assert set(by_url) == {
        "https://checkers.test.invalid/checks/nested",
        "https://checkers.test.invalid/checks/graph-1",
    }
    nested = by_url["https://checkers.test.invalid/checks/nested"]
    assert nested["claim_text"] == "TEST CLAIM nested in an article"
    assert nested["rating"] == "Half true"
    graph = by_url["https://checkers.test.invalid/checks/graph-1"]
    assert graph["rating"] == "3"  # no label: the number stands in
    assert graph["rating_value"] == 3.0
    assert graph["review_date"] is None  # "not a date"
    assert graph["publisher_name"] == "Test Checkers"


def test_a_claims_search_response_gives_one_record_per_review():
    result = parse_factcheck_document(fixture_json("factcheck_claims_search.json"))

    assert [r["url"] for r in result.records] == [
        "https://checkers.test.invalid/checks/widgets-400",
        "https://ar-checkers.test.invalid/fact/123",
        "https://sparse.test.invalid/review",
    ]
    assert {r["origin"] for r in result.records} == {"import"}
    assert len(result.skipped) == 2  # the review without URL, the claim without review


def test_a_list_of_claims_search_pages_is_read_whole():
    page = fixture_json("factcheck_claims_search.json")

    result = parse_factcheck_document([page, {"claims": []}, {}])

    assert len(result.records) == 3


def test_an_empty_claims_search_answer_holds_nothing():
    assert parse_factcheck_document({}).records == []


@pytest.mark.parametrize(
    "data",
    [{"@type": "NewsArticle", "headline": "TEST"}, [1, 2], "text", 42, [{"claims": "x"}]],
)
def test_other_shapes_are_refused(data):
    with pytest.raises(ClaimReviewFormatError):
        parse_factcheck_document(data)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-02", datetime(2024, 4, 2, tzinfo=UTC)),
        ("2024-04-02T10:00:00Z", datetime(2024, 4, 2, 10, tzinfo=UTC)),
        ("2024-04-02T10:00:00+02:00", datetime(2024, 4, 2, 8, tzinfo=UTC)),
        ("2024-04-02T10:00:00", datetime(2024, 4, 2, 10, tzinfo=UTC)),
        ("2024-13-40", None),
        ("yesterday", None),
        (None, None),
        (20240402, None),
    ],
)
def test_dates(value, expected):
    assert parse_when(value) == expected
