"""robots.txt, per RFC 9309, fetched through the guarded fetcher and cached per origin.

- 2xx: the rules are parsed (protego: longest match wins, ``*`` and ``$`` understood);
- 4xx (404, 403, 401...): there are no rules, everything is allowed (RFC 9309 2.3.1.3);
- 5xx, timeouts, connection errors, a robots.txt redirecting to a refused address: the site is
  treated as fully disallowed for now (RFC 9309 2.3.1.4). The decision says it is
  ``transient`` so a job can try again later instead of giving up on the page;
- redirects are followed (up to five hops; more means "unavailable", i.e. allow all, RFC 9309
  2.3.1.2); a robots.txt over 512 KiB is read up to that size (2.5).

Decisions are cached in-process per origin (scheme, host, port): successes and 4xx for
``ROBOTS_CACHE_SECONDS``, failures for the shorter ``ROBOTS_ERROR_CACHE_SECONDS``. The cache is
bounded (least recently used origin evicted first) and thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from protego import Protego

from sources.fetching import (
    BlockedURLError,
    FetchError,
    TooManyRedirects,
    check_url,
    fetch,
    resolve_checked,
)

ROBOTS_CACHE_SECONDS = 3600.0
ROBOTS_ERROR_CACHE_SECONDS = 300.0
ROBOTS_CACHE_SIZE = 512
# RFC 9309 2.5: parsers must handle at least 500 KiB; we read that much and no more.
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class RobotsDecision:
    allowed: bool
    # Why, in one line a reviewer can read ("disallowed by robots.txt", "robots.txt
    # unreachable: ...").
    reason: str
    # True when the answer may change on a later try (robots.txt unreachable or 5xx).
    transient: bool = False


@dataclass
class _Entry:
    expires: float
    parser: Protego | None  # None: no rules apply (allow all) or failure (see allow_all)
    allow_all: bool
    error: str = ""


# The clock the cache uses (tests move it forward).
_clock = time.monotonic
_cache: OrderedDict[tuple[str, str, int], _Entry] = OrderedDict()
_lock = threading.Lock()


def clear_robots_cache() -> None:
    with _lock:
        _cache.clear()


def _origin(url: str) -> tuple[str, str, int]:
    scheme, host, port = check_url(url)
    return scheme, host.lower(), port


def _robots_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc, "/robots.txt", "", ""))


def _product_token(user_agent: str) -> str:
    """``ClaimWorkbench/0.1 (+https://...)`` -> ``ClaimWorkbench`` (RFC 9309 2.2.1)."""
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or "*"


def _load(url: str, fetch_options: dict) -> _Entry:
    now = _clock()
    try:
        page = fetch(
            _robots_url(url),
            max_bytes=ROBOTS_MAX_BYTES,
            max_redirects=ROBOTS_MAX_REDIRECTS,
            truncate=True,
            **fetch_options,
        )
    except BlockedURLError as exc:
        # The page's own origin was checked before we got here, so this is robots.txt
        # redirecting somewhere we refuse to go: treat it as unreachable.
        return _Entry(now + ROBOTS_ERROR_CACHE_SECONDS, None, False, f"robots.txt refused: {exc}")
    except TooManyRedirects:
        # RFC 9309 2.3.1.2: after five redirects robots.txt may be taken as unavailable,
        # which (like a 4xx) means no rules.
        return _Entry(now + ROBOTS_CACHE_SECONDS, None, True)
    except FetchError as exc:
        if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
            return _Entry(now + ROBOTS_CACHE_SECONDS, None, True)
        # 5xx, 429, timeouts, connection errors.
        return _Entry(now + ROBOTS_ERROR_CACHE_SECONDS, None, False, str(exc))
    parser = Protego.parse(page.text())
    return _Entry(now + ROBOTS_CACHE_SECONDS, parser, False)


def robots_decision(url: str, user_agent: str | None = None, **fetch_options) -> RobotsDecision:
    """Whether ``user_agent`` may fetch ``url``, with the reason.

    Raises BlockedURLError if ``url`` itself is not fetchable (scheme, private address).
    ``fetch_options`` are passed to ``fetch`` (tests pass ``allowed_endpoints``).
    """
    user_agent = user_agent or settings.SOURCES_USER_AGENT
    key = _origin(url)
    # The page's own host must pass the address check before robots.txt is even asked for.
    resolve_checked(
        key[1],
        key[2],
        allow_private=fetch_options.get("allow_private"),
        allowed_endpoints=fetch_options.get("allowed_endpoints", ()),
    )
    now = _clock()
    with _lock:
        entry = _cache.get(key)
        if entry is not None and entry.expires > now:
            _cache.move_to_end(key)
        else:
            entry = None
    if entry is None:
        entry = _load(url, fetch_options)
        with _lock:
            _cache[key] = entry
            _cache.move_to_end(key)
            while len(_cache) > ROBOTS_CACHE_SIZE:
                _cache.popitem(last=False)

    if entry.error:
        return RobotsDecision(
            False, f"robots.txt could not be read ({entry.error}); not fetching for now.", True
        )
    if entry.allow_all or entry.parser is None:
        return RobotsDecision(True, "no robots.txt rules apply")
    if entry.parser.can_fetch(url, _product_token(user_agent)):
        return RobotsDecision(True, "allowed by robots.txt")
    return RobotsDecision(False, "disallowed by the site's robots.txt")


def robots_allowed(url: str, user_agent: str | None = None, **fetch_options) -> bool:
    """True if robots.txt lets ``user_agent`` (default SOURCES_USER_AGENT) fetch ``url``.

    False when robots.txt disallows it, and also while robots.txt is unreachable or answers
    5xx (use ``robots_decision`` to tell the two apart).
    """
    return robots_decision(url, user_agent, **fetch_options).allowed
