"""The public feed's per-process fingerprint cache: bounded staleness, never a wrong page."""

import pytest
from django.utils import timezone

from claims.api import feed_cache
from claims.models import Verdict
from tests.api.conftest import make_verdict

FEEDS = ["/api/v1/claimreviews/", "/api/v1/verdicts/"]
BOUND = 1.0


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(settings, monkeypatch):
    settings.API_FEED_MAX_STALENESS = BOUND
    fake = FakeClock()
    monkeypatch.setattr(feed_cache, "clock", fake)
    return fake


def ids(response):
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_a_hot_feed_page_is_served_without_touching_the_database(
    anon, feed, clock, django_assert_num_queries
):
    make_verdict()
    first = anon.get(feed)
    clock.advance(BOUND / 2)
    with django_assert_num_queries(0):
        again = anon.get(feed)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        assert anon.get(feed, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_a_newly_published_verdict_appears_within_the_staleness_bound(anon, feed, clock):
    old = make_verdict()
    first = anon.get(feed)
    new = make_verdict()
    clock.advance(BOUND * 0.9)
    assert ids(anon.get(feed)) == [old.pk]  # still within the bound: the earlier snapshot
    clock.advance(BOUND * 0.1)
    fresh = anon.get(feed)
    assert ids(fresh) == [old.pk, new.pk]
    assert fresh["ETag"] != first["ETag"]
    assert anon.get(feed, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert anon.get(feed, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_a_withdrawal_appears_as_a_tombstone_within_the_staleness_bound(anon, feed, clock):
    verdict = make_verdict()
    first = anon.get(feed)
    verdict.status = Verdict.Status.WITHDRAWN
    verdict.withdrawn_at = timezone.now()
    verdict.save()
    clock.advance(BOUND)
    response = anon.get(feed)
    (item,) = response.json()["results"]
    assert item["status"] == "withdrawn"
    assert response["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_a_withdrawal_through_the_api_shows_at_once_in_the_same_process(anon, editor_api, clock):
    verdict = make_verdict()
    anon.get("/api/v1/claimreviews/")
    response = editor_api.post(
        f"/api/v1/verdicts/{verdict.pk}/withdraw/",
        {"version": verdict.version, "reason": "TEST: a correction."},
        format="json",
    )
    assert response.status_code == 200, response.content
    (item,) = anon.get("/api/v1/claimreviews/").json()["results"]
    assert item["status"] == "withdrawn"


@pytest.mark.django_db
def test_reviewers_always_get_a_fresh_fingerprint(reviewer_api, clock):
    make_verdict(status=Verdict.Status.DRAFT)
    assert len(reviewer_api.get("/api/v1/verdicts/").json()["results"]) == 1
    make_verdict(status=Verdict.Status.DRAFT)
    assert len(reviewer_api.get("/api/v1/verdicts/").json()["results"]) == 2


@pytest.mark.django_db
def test_filters_have_their_own_fingerprint(anon, clock):
    make_verdict(language="en")
    assert len(ids(anon.get("/api/v1/claimreviews/?language=ar"))) == 0
    make_verdict(language="ar")
    clock.advance(BOUND)
    assert len(ids(anon.get("/api/v1/claimreviews/?language=ar"))) == 1
    assert len(ids(anon.get("/api/v1/claimreviews/?language=en"))) == 1


@pytest.mark.django_db
def test_a_bad_filter_is_still_rejected_when_its_fingerprint_is_cached(anon, clock):
    anon.get("/api/v1/claimreviews/")
    response = anon.get("/api/v1/claimreviews/?updated_since=not-a-date")
    assert response.status_code == 400
    assert anon.get("/api/v1/claimreviews/?updated_since=not-a-date").status_code == 400
    assert anon.get("/api/v1/claimreviews/?page_size=0").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_a_client_syncing_through_stale_pages_never_misses_or_repeats_an_item(anon, feed, clock):
    verdicts = [make_verdict() for _ in range(7)]
    seen: dict[int, int] = {}  # id -> times delivered
    delivered = []

    def fetch(url):
        body = anon.get(url).json()
        for item in body["results"]:
            delivered.append((item["id"], item["updated_at"], item["status"]))
        return body

    body = fetch(f"{feed}?page_size=3")
    # Changes land while the client pages through snapshots up to BOUND old.
    verdicts[0].summary = "TEST changed after it was synced"
    verdicts[0].save()
    verdicts[5].status = Verdict.Status.WITHDRAWN
    verdicts[5].withdrawn_at = timezone.now()
    verdicts[5].save()
    newcomer = make_verdict()
    clock.advance(BOUND / 3)
    while body["next"]:
        body = fetch(body["next"])
        clock.advance(BOUND / 3)
    resume = body["resume"]
    clock.advance(BOUND)
    while True:
        body = fetch(resume)
        resume = body["resume"]
        if not body["results"]:
            break
        clock.advance(BOUND)

    for pk, _stamp, _status in delivered:
        seen[pk] = seen.get(pk, 0) + 1
    assert len(delivered) == len(set(delivered)), "the same version of an item came twice"
    assert set(seen) == {v.pk for v in verdicts} | {newcomer.pk}
    # The client's final state is exactly the server's current state.
    final = {pk: (stamp, status) for pk, stamp, status in delivered}
    everything = anon.get(f"{feed}?page_size=100").json()["results"]
    assert final == {i["id"]: (i["updated_at"], i["status"]) for i in everything}
    assert final[verdicts[5].pk][1] == "withdrawn"


@pytest.mark.django_db
def test_the_fingerprint_cache_is_bounded(clock, monkeypatch):
    monkeypatch.setattr(feed_cache, "MAX_FINGERPRINTS", 3)
    cache = feed_cache.FingerprintCache()
    for n in range(5):
        cache.put(("feed", n), clock(), {"n": n})
    assert len(cache._entries) <= 3
    assert cache.get(("feed", 4)) == {"n": 4}
    clock.advance(BOUND)
    assert cache.get(("feed", 4)) is None


@pytest.mark.django_db
def test_no_fingerprint_is_kept_when_staleness_is_zero(anon, settings, django_assert_num_queries):
    settings.API_FEED_MAX_STALENESS = 0
    make_verdict()
    anon.get("/api/v1/claimreviews/")
    with django_assert_num_queries(1):
        anon.get("/api/v1/claimreviews/")
