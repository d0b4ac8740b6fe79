"""Queries per page do not grow with the page size."""

import pytest
from django.core.cache import cache

from claims.api import feed_cache
from claims.models import Verdict
from tests.api.conftest import make_verdict
from tests.factories import ClaimFactory, EvidenceFactory

# Fingerprint (ETag), page, prefetch of cited evidence; with a token, + the token with its
# user and + the user's roles; reviewers' fingerprint adds a count (drafts can be deleted):
# a fixed number whatever the page holds.
FEED_QUERIES = {"anon": 3, "outsider_api": 5, "reviewer_api": 6}


@pytest.fixture
def many_verdicts(db):
    verdicts = [make_verdict() for _ in range(50)]
    for verdict in verdicts[:25]:
        verdict.cited_evidence.add(EvidenceFactory(claim=verdict.claim))
    make_verdict(status=Verdict.Status.WITHDRAWN)
    make_verdict(status=Verdict.Status.DRAFT)
    return verdicts


@pytest.mark.parametrize("who", ["anon", "outsider_api", "reviewer_api"])
@pytest.mark.parametrize("path", ["/api/v1/verdicts/", "/api/v1/claimreviews/"])
@pytest.mark.parametrize("page_size", [5, 50])
def test_a_feed_page_costs_the_same_queries_at_any_size(
    request, who, path, page_size, many_verdicts, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    client.get(path)  # the token's last-used write happens once, not here
    cache.clear()
    feed_cache.clear()
    with django_assert_max_num_queries(FEED_QUERIES[who]):
        response = client.get(f"{path}?page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 50])
def test_a_cached_feed_page_costs_only_its_fingerprint_for_anonymous_clients(
    anon, page_size, many_verdicts, django_assert_max_num_queries
):
    anon.get(f"/api/v1/claimreviews/?page_size={page_size}")
    with django_assert_max_num_queries(1):
        response = anon.get(f"/api/v1/claimreviews/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 50])
def test_claim_and_article_lists_cost_the_same_queries_at_any_size(
    reviewer_api, page_size, django_assert_max_num_queries
):
    claims = [ClaimFactory() for _ in range(50)]
    for claim in claims:
        EvidenceFactory(claim=claim)
    reviewer_api.get("/api/v1/claims/")
    for path in ("/api/v1/claims/", "/api/v1/articles/"):
        with django_assert_max_num_queries(5):
            response = reviewer_api.get(f"{path}?page_size={page_size}")
        assert len(response.json()["results"]) == page_size


def test_a_claims_sources_cost_the_same_queries_however_many(
    reviewer_api, django_assert_max_num_queries
):
    few, lots = ClaimFactory(), ClaimFactory()
    EvidenceFactory(claim=few)
    for _ in range(30):
        EvidenceFactory(claim=lots)
    reviewer_api.get(f"/api/v1/claims/{few.pk}/sources/")
    for claim, count in ((few, 1), (lots, 30)):
        with django_assert_max_num_queries(5):
            response = reviewer_api.get(f"/api/v1/claims/{claim.pk}/sources/")
        assert len(response.json()) == count
