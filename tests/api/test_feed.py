"""The published feeds (verdicts/ and claimreviews/): sync with cursors, filters, 304s."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from claims.models import Verdict
from tests.api.conftest import make_verdict
from tests.factories import ArticleFactory

FEEDS = ["/api/v1/claimreviews/", "/api/v1/verdicts/"]


def sync(client, url):
    """Follow `next` to the end; return the items seen and the resume link."""
    seen = []
    while True:
        body = client.get(url).json()
        seen.extend(body["results"])
        if body["next"] is None:
            return seen, body["resume"]
        url = body["next"]


def _touch(verdict, **changes):
    for name, value in changes.items():
        setattr(verdict, name, value)
    verdict.save()  # auto_now moves updated_at past every cursor handed out so far
    return verdict


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_a_client_syncing_page_by_page_never_misses_or_repeats_an_item(anon, feed):
    verdicts = [make_verdict() for _ in range(7)]
    first = anon.get(f"{feed}?page_size=3").json()
    assert [i["id"] for i in first["results"]] == [v.pk for v in verdicts[:3]]

    # Between two page fetches: one already-seen item changes, one not yet seen changes,
    # one is withdrawn, a new one is published.
    _touch(verdicts[0], summary="TEST summary changed after it was synced")
    _touch(verdicts[4], summary="TEST summary changed before it was synced")
    _touch(verdicts[5], status="withdrawn", withdrawn_at=timezone.now())
    newcomer = make_verdict()

    rest, resume = sync(anon, first["next"])
    ids = [i["id"] for i in rest]
    assert len(ids) == len(set(ids)), "an item came twice in one pass"
    assert ids == [
        v.pk for v in (verdicts[3], verdicts[6], verdicts[0], verdicts[4], verdicts[5], newcomer)
    ]
    by_id = {i["id"]: i for i in rest}
    assert by_id[verdicts[5].pk]["status"] == "withdrawn"

    # Nothing changed since: resuming gives nothing; a change later gives exactly it.
    assert anon.get(resume).json()["results"] == []
    _touch(verdicts[1], summary="TEST changed much later")
    later, _ = sync(anon, resume)
    assert [i["id"] for i in later] == [verdicts[1].pk]


@pytest.mark.django_db
def test_a_withdrawn_verdict_is_a_tombstone_with_its_date_and_no_content(anon):
    verdict = make_verdict(status=Verdict.Status.WITHDRAWN)
    (item,) = anon.get("/api/v1/claimreviews/").json()["results"]
    assert item == {
        "id": verdict.pk,
        "uuid": str(verdict.uuid),
        "status": "withdrawn",
        "updated_at": item["updated_at"],
        "withdrawn_at": item["withdrawn_at"],
        "claimreview": None,
    }
    assert item["withdrawn_at"] is not None
    (public,) = anon.get("/api/v1/verdicts/").json()["results"]
    assert public["withdrawn_at"] is not None
    for field in ("label", "summary", "rationale", "claim", "article", "cited_evidence"):
        assert public[field] is None


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_the_feed_filters_by_updated_since_language_label_and_article(anon, feed):
    old = make_verdict(language="ar", label="refuted")
    Verdict.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    english = make_verdict(language="en", label="supported")
    article = ArticleFactory()
    mine = make_verdict(language="en", label="refuted", article=article)

    def ids(query):
        response = anon.get(f"{feed}?{query}")
        assert response.status_code == 200, response.json()
        return [i["id"] for i in response.json()["results"]]

    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert ids(f"updated_since={since}") == [english.pk, mine.pk]
    assert ids("language=ar") == [old.pk]
    assert ids("label=refuted") == [old.pk, mine.pk]
    assert ids(f"article={article.pk}") == [mine.pk]
    assert ids(f"label=refuted&language=en&article={article.pk}") == [mine.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2025-13-01T00:00:00Z", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B23:00", "updated_since"),
        ("updated_since=", "updated_since"),
        ("label=pants-on-fire", "label"),
        ("article=abc", "article"),
        ("article=99999999999999999999999", "article"),
        ("page_size=0", "page_size"),
        ("page_size=1000", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=MjAyNS0wMS0wMVQwMDowMDowMHxhYmM", "cursor"),
    ],
)
def test_a_bad_filter_cursor_or_page_size_is_a_400_naming_it(anon, feed, query, field):
    response = anon.get(f"{feed}?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert error["message"].startswith(field)


@pytest.mark.django_db
def test_an_updated_since_with_an_unusual_offset_is_compared_in_utc(anon):
    verdict = make_verdict()
    stamp = verdict.updated_at.astimezone(timezone.get_fixed_timezone(-(22 * 60 + 10)))
    query = stamp.isoformat().replace("+", "%2B")
    assert [
        i["id"] for i in anon.get(f"/api/v1/claimreviews/?updated_since={query}").json()["results"]
    ] == [verdict.pk]


@pytest.mark.django_db
def test_a_bad_updated_since_explains_the_expected_format(anon):
    response = anon.get("/api/v1/claimreviews/?updated_since=last-week")
    assert "ISO 8601" in response.json()["error"]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_an_unchanged_page_answers_304_to_its_etag_and_a_changed_one_does_not(anon, feed):
    verdict = make_verdict()
    first = anon.get(feed)
    assert first.status_code == 200
    etag = first["ETag"]
    assert anon.get(feed, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert anon.get(feed, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    _touch(verdict, summary="TEST changed")
    changed = anon.get(feed, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["id"] == verdict.pk


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_if_modified_since_gives_304_until_something_changes(anon, feed):
    verdict = make_verdict()
    first = anon.get(feed)
    last_modified = first["Last-Modified"]
    assert anon.get(feed, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date((verdict.updated_at - timedelta(seconds=5)).timestamp())
    assert anon.get(feed, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


@pytest.mark.django_db
def test_a_cached_page_is_never_served_after_a_claim_wording_changes(anon):
    verdict = make_verdict()
    anon.get("/api/v1/claimreviews/")
    claim = verdict.claim
    claim.wording = "TEST a corrected wording"
    claim.save()
    (item,) = anon.get("/api/v1/claimreviews/").json()["results"]
    assert item["claimreview"]["claimReviewed"] == "TEST a corrected wording"


@pytest.mark.django_db
def test_reviewers_and_the_public_never_share_a_cached_page(anon, reviewer_api):
    make_verdict(status=Verdict.Status.DRAFT)
    assert len(reviewer_api.get("/api/v1/verdicts/").json()["results"]) == 1
    assert anon.get("/api/v1/verdicts/").json()["results"] == []


@pytest.mark.django_db
def test_feed_pages_vary_on_credentials(anon):
    make_verdict()
    response = anon.get("/api/v1/claimreviews/")
    assert "Authorization" in response["Vary"]
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_a_deleted_draft_leaves_the_reviewers_list_at_once(reviewer, reviewer_api):
    draft = make_verdict(status=Verdict.Status.DRAFT, author=reviewer)
    keep = make_verdict(status=Verdict.Status.DRAFT)
    assert len(reviewer_api.get("/api/v1/verdicts/").json()["results"]) == 2
    assert reviewer_api.delete(f"/api/v1/verdicts/{draft.pk}/").status_code == 204
    assert [i["id"] for i in reviewer_api.get("/api/v1/verdicts/").json()["results"]] == [keep.pk]
