"""A quick answer to "is the broker up?", so a request never waits on a dead Redis.

Celery's publish retries a failed connection with back-off (seconds per message). When the
database is the source of truth that wait buys nothing: jobs stay queued and the periodic
sweep sends them once the broker is back. So senders probe first (one ping, no retries, a
short timeout) and skip sending while the broker is down; a failure is remembered briefly.
"""

import logging
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)
_DOWN_FOR = 5.0  # seconds a failed probe is remembered
_state = {"down_until": 0.0}
_lock = threading.Lock()


def redis_client(url: str | None = None, *, timeout: float = 1.0) -> redis.Redis:
    url = (url or settings.CELERY_BROKER_URL).replace("redis+socket://", "unix://")
    return redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=None
    )


def broker_available() -> bool:
    now = time.monotonic()
    with _lock:
        if now < _state["down_until"]:
            return False
    client = redis_client()
    try:
        client.ping()
        return True
    except redis.RedisError as exc:
        logger.warning("The broker is unreachable (%s); jobs wait for the sweep.", exc)
        with _lock:
            _state["down_until"] = now + _DOWN_FOR
        return False
    finally:
        client.close()


def forget_failures() -> None:
    with _lock:
        _state["down_until"] = 0.0
