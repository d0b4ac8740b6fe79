"""Per-client API throttles: anonymous clients by IP, authenticated ones by user.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``API_THROTTLE_ANON``,
``API_THROTTLE_USER``) and are read at request time, so tests can override them.

Counting is a fixed window per client (``120/minute``: at most 120 requests in each calendar
minute, so at most twice the rate across a window boundary), shared by every process through
the cache. With Redis that is one round trip per request (INCR and EXPIRE in one pipeline)
instead of DRF's read-modify-write of a list of timestamps (two round trips, a pickled list up
to the rate long, and racy between processes). Other cache backends use add + incr.

At high rates each process also counts locally and tells the shared counter only every
``rate / LOCAL_SHARE`` requests (one INCRBY), judging in between on the last shared count plus
its own unreported requests. So a process admits at most ``rate / LOCAL_SHARE`` requests the
others have not heard of: the limit can be exceeded by at most that much per worker process
(1 % of the rate each with logger = logging.getLogger(__name__)
LOCAL_SHARE = 100). At rates below LOCAL_SHARE per period (the
default ``120/minute``: 1 per request) every request goes to the shared counter."""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)
LOCAL_SHARE = 100
MAX_LOCAL_KEYS = 10_000
_local: dict[str, list[int]] = {}  # key -> [last shared count, unreported requests]
_local_lock = threading.Lock()


def _count(key: str, seconds: int, amount: int = 1) -> int:
    """Add ``amount`` to the shared counter ``key`` (with a ``seconds`` expiry); its value."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        client = getattr(backend, "_throttle_client", None)
        if client is None:  # one client per backend (Django makes a new one per call)
            client = backend._cache.get_client(full_key, write=True)  # noqa: SLF001
            backend._throttle_client = client  # noqa: SLF001
        pipe = client.pipeline(transaction=False)
        pipe.incr(full_key, amount)
        pipe.expire(full_key, seconds + 1)  # the key names its window: no reuse
        value, _expiry = pipe.execute()
        return int(value)
    if backend.add(key, amount, seconds + 1):
        return amount
    try:
        return backend.incr(key, amount)
    except ValueError:  # expired between add and incr
        backend.add(key, amount, seconds + 1)
        return amount


def _count_batched(key: str, seconds: int, batch: int) -> int:
    """One more request on ``key``: the shared count as this process knows it, telling the
    shared counter every ``batch`` requests."""
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            if len(_local) >= MAX_LOCAL_KEYS:
                _local.clear()  # old windows and departed clients
            entry = _local[key] = [0, 0]
        entry[1] += 1
        if entry[1] < batch:
            return entry[0] + entry[1]
        pending, entry[1] = entry[1], 0
    shared = _count(key, seconds, pending)
    with _local_lock:
        entry[0] = max(entry[0], shared)
        return entry[0] + entry[1]


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
        batch = self.num_requests // LOCAL_SHARE
        key = f"{self.key}:{self.window_end}"
        try:
            if batch > 1:
                used = _count_batched(key, duration, batch)
            else:
                used = _count(key, duration)
        except Exception as exc:  # noqa: BLE001 - redis/cache backends raise many types
            # The counters live in the cache (Redis). When it is unreachable the API keeps
            # answering, unthrottled, rather than failing every request with a 500.
            logger.warning("API throttling skipped: the cache is unavailable (%s).", exc)
            return True
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
