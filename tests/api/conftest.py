import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from claims.api import feed_cache
from claims.models import Claim, Verdict
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, VerdictFactory
from workbench import api_throttles


@pytest.fixture(autouse=True)
def _fresh_cache_and_rates(settings):
    """Throttle counters and cached feed pages live in the cache: start every test clean,
    with rates high enough that only the throttling tests meet them."""
    cache.clear()
    feed_cache.clear()
    api_throttles._local.clear()
    # Test users' passwords need no slow hashing (the factories hash one per user).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute"},
    }
    settings.PUBLISHER_NAME = "TEST Publisher"
    settings.PUBLISHER_URL = "https://factcheck.example.invalid/"
    settings.API_ANONYMOUS_READ = True
    # Fresh fingerprints, so a test sees its own writes at once; the staleness bound itself
    # is tested in test_feed_cache.py.
    settings.API_FEED_MAX_STALENESS = 0
    yield
    cache.clear()
    feed_cache.clear()
    api_throttles._local.clear()


def token_client(user, name="test client") -> APIClient:
    _token, key = ApiToken.issue(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def reviewer_api(reviewer):
    return token_client(reviewer)


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def admin_api(admin_user):
    return token_client(admin_user)


@pytest.fixture
def outsider_api(outsider):
    """An API client: a token of a user who holds no role."""
    return token_client(outsider)


def make_verdict(
    status=Verdict.Status.PUBLISHED,
    *,
    label=Verdict.Label.REFUTED,
    article=None,
    language="en",
    cite=True,
    **kwargs,
) -> Verdict:
    """A verdict in ``status`` on a fresh TEST claim, with one cited evidence item."""
    article = article or ArticleFactory(
        url="https://news.example.invalid/test-article",
        publisher="TEST News",
        published_at=timezone.now(),
    )
    claim = ClaimFactory(
        article=article,
        wording="TEST: the ministry bought 400 widgets.",
        state=Claim.State.PUBLISHED if status == "published" else Claim.State.REVIEWED,
    )
    now = timezone.now()
    verdict = VerdictFactory(
        claim=claim,
        status=status,
        label=label,
        language=language,
        summary="TEST summary of the verdict.",
        rationale="TEST rationale.",
        published_at=now if status in ("published", "withdrawn") else None,
        withdrawn_at=now if status == "withdrawn" else None,
        **kwargs,
    )
    if cite:
        verdict.cited_evidence.add(EvidenceFactory(claim=claim, stance="refutes"))
    return verdict


@pytest.fixture
def verdict_in():
    return make_verdict
