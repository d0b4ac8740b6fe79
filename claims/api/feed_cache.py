"""Per-process caches that let a hot page of the public feed skip the database.

Two layers, both local to the worker process (no network round trip on a hit):

* ``fingerprints``: the feed's fingerprint (see ``selectors.verdicts_fingerprint``) per
  audience and filter, kept for at most ``max_staleness()`` seconds (setting
  ``API_FEED_MAX_STALENESS``, default 1 s). This is the public feed's documented maximum
  staleness: a verdict published, changed or withdrawn appears in the feed (and changes its
  ETag) at most that long after it was committed. The age is counted from before the
  fingerprint query ran, so the bound holds however slow that query is. Only anonymous and
  no-role clients' feeds use it; reviewers (who see drafts, which can be deleted) always get a
  fresh fingerprint.
* ``pages``: the rendered JSON bytes of a page, keyed by a digest of the URL, the audience
  and the fingerprint, so an entry can never be served for data other than the data it was
  built from (or newer: the page is built after the fingerprint is read).

A stale answer is always a consistent earlier snapshot with its own cursors: a client that
follows ``next``/``resume`` never misses or repeats an item because of it, it only learns of a
change up to ``max_staleness()`` later. Writes made through this process's API call
``clear()`` so the writer sees its own change at once.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_STALENESS = 1.0  # seconds
MAX_FINGERPRINTS = 1000
PAGE_SECONDS = 60

# Replaced in tests to move time forward.
clock = time.monotonic


def max_staleness() -> float:
    return float(getattr(settings, "API_FEED_MAX_STALENESS", DEFAULT_MAX_STALENESS))


class FingerprintCache:
    """A small dict of (taken_at, fingerprint), thread-safe, bounded by MAX_FINGERPRINTS."""

    def __init__(self):
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        """The fingerprint for ``key`` if younger than the staleness bound, else None."""
        entry = self._entries.get(key)
        if entry is None or clock() - entry[0] >= max_staleness():
            return None
        return entry[1]

    def put(self, key, taken_at: float, fingerprint) -> None:
        if max_staleness() <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_FINGERPRINTS:
                self._entries.clear()  # unknown filter combinations cannot grow it unbounded
            self._entries[key] = (taken_at, fingerprint)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


fingerprints = FingerprintCache()
pages = LocMemCache(
    "workbench-api-feed-pages", {"TIMEOUT": PAGE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 1000}}
)


def clear() -> None:
    """Forget every cached fingerprint and page of this process."""
    fingerprints.clear()
    pages.clear()
