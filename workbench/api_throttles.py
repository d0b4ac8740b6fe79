"""Per-client API throttles: anonymous clients by IP, authenticated ones by user.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``API_THROTTLE_ANON``,
``API_THROTTLE_USER``) and are read at request time, so tests can override them.

Counting is a fixed window per client (``120/minute``: at most 120 requests in each calendar
minute, so at most twice the rate across a window boundary), shared by every process through
the cache. With Redis that is one round trip per request (INCR and EXPIRE in one pipeline)
instead of DRF's read-modify-write of a list of timestamps (two round trips, a pickled list up
to the rate long, and racy between processes). Other cache backends use add + incr."""

from __future__ import annotations

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _count(key: str, seconds: int) -> int:
    """Add one to the shared counter ``key`` (created with a ``seconds`` expiry); its value."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)  # noqa: SLF001
        pipe = client.pipeline(transaction=False)
        pipe.incr(full_key)
        pipe.expire(full_key, seconds + 1)  # the key names its window: no reuse
        value, _expiry = pipe.execute()
        return int(value)
    if backend.add(key, 1, seconds + 1):
        return 1
    try:
        return backend.incr(key)
    except ValueError:  # expired between add and incr
        backend.add(key, 1, seconds + 1)
        return 1


class _FixedWindow:
    timer = time.time

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        duration = int(self.duration)
        now = self.timer()
        self.window_end = (int(now) // duration + 1) * duration
        self.now = now
        used = _count(f"{self.key}:{self.window_end}", duration)
        return used <= self.num_requests

    def wait(self):
        return max(1, int(self.window_end - self.now + 0.999))


class ApiAnonThrottle(_FixedWindow, AnonRateThrottle):
    scope = "anon"


class ApiUserThrottle(_FixedWindow, UserRateThrottle):
    """Authenticated clients only (anonymous ones are the anon throttle's)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
