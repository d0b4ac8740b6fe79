"""Throttling through the shared Redis counter (one round trip per request), as deployed."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from rest_framework.test import APIClient

from workbench import api_throttles

MID_MINUTE = 1_700_000_010.0  # 30 s into a calendar minute: the window cannot roll over


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"These tests need Redis at {url}: {exc}")
    prefix = f"test-apiperf-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        client.delete(key)
    client.close()


@pytest.fixture
def frozen_window(monkeypatch):
    monkeypatch.setattr(api_throttles._FixedWindow, "timer", staticmethod(lambda: MID_MINUTE))


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_through_redis_with_retry_after(
    redis_cache, frozen_window, anon, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    codes = [anon.get("/api/v1/claimreviews/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = anon.get("/api/v1/claimreviews/")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) == 30  # the rest of the calendar minute
    assert APIClient(REMOTE_ADDR="192.0.2.10").get("/api/v1/claimreviews/").status_code == 200


@pytest.mark.django_db
def test_a_redis_counter_expires_with_its_window(redis_cache, frozen_window):
    backend = caches["default"]
    assert api_throttles._count("test-window", 60) == 1
    assert api_throttles._count("test-window", 60) == 2
    full_key = backend.make_and_validate_key("test-window")
    assert 0 < redis_cache.ttl(full_key) <= 61


def test_the_local_fallback_counts_too(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [api_throttles._count("test-local", 60) for _ in range(3)] == [1, 2, 3]


@pytest.mark.django_db
def test_at_high_rates_a_process_tells_redis_once_per_batch_and_still_stops_at_the_limit(
    redis_cache, frozen_window, anon, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "500/minute", "user": "100/minute"},
    }
    batch = 500 // api_throttles.LOCAL_SHARE
    codes = [anon.get("/api/v1/claimreviews/").status_code for _ in range(501)]
    assert codes == [200] * 500 + [429]
    shared = [
        int(redis_cache.get(key))
        for key in redis_cache.scan_iter(match="*throttle_anon*", count=500)
    ]
    assert shared and max(shared) % batch == 0  # told in whole batches
    assert 500 - batch < max(shared) <= 501


@pytest.mark.django_db
def test_a_batched_count_sees_other_processes_requests(redis_cache, frozen_window):
    for _ in range(4):
        api_throttles._count_batched("test-batched", 60, 5)
    api_throttles._count("test-batched", 60, 100)  # another process told Redis of 100
    assert api_throttles._count_batched("test-batched", 60, 5) == 105
    assert api_throttles._count_batched("test-batched", 60, 5) == 106
