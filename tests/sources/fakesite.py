"""A local web site standing in for search providers and news pages (TEST DATA only).

Served by pytest-httpserver (threaded) so that real worker processes can reach it:
- ``/search/<provider>?q=...`` answers ``{"hits": [...]}`` for ``HttpFakeProvider``:
  ``alpha`` gives full text (like Wikipedia extracts: no page fetch), ``beta`` gives two
  snippet-only news pages per query, ``gamma`` an earlier fact-check and one page shared by
  every claim;
- ``/page/<id>`` serves the HTML of a page a search returned; ``/robots.txt`` allows all.
Every request waits ``latency`` seconds first; ``slow`` adds more to pages whose id
contains a given word. The log records (path, start, end) of every request.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


class FakeSite:
    def __init__(self, *, latency: float = 0.0, slow: dict[str, float] | None = None):
        self.latency = latency
        self.slow = slow or {}
        self.pages: dict[str, str] = {}
        self.log: list[tuple[str, float, float]] = []
        self._lock = threading.Lock()
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)

    def __enter__(self) -> FakeSite:
        self.server.expect_request(re.compile(".*")).respond_with_handler(self.handle)
        self.server.start()
        return self

    def __exit__(self, *exc):
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def requests_for(self, prefix: str) -> list[tuple[str, float, float]]:
        with self._lock:
            return [entry for entry in self.log if entry[0].startswith(prefix)]

    def handle(self, request: Request) -> Response:
        start = time.monotonic()
        if self.latency:
            time.sleep(self.latency)
        try:
            return self._route(request)
        finally:
            with self._lock:
                self.log.append((request.path, start, time.monotonic()))

    def _route(self, request: Request) -> Response:
        path = request.path
        if path == "/robots.txt":
            return Response("User-agent: *\nAllow: /\n", content_type="text/plain")
        if path.startswith("/search/"):
            provider = path.rsplit("/", 1)[-1]
            query = request.args.get("q", "")
            return Response(
                json.dumps({"hits": self._hits(provider, query)}),
                content_type="application/json",
            )
        if path.startswith("/page/"):
            page_id = path.rsplit("/", 1)[-1]
            for word, seconds in self.slow.items():
                if word in page_id:
                    time.sleep(seconds)
            with self._lock:
                text = self.pages.get(page_id)
            if text is None:
                return Response("TEST not found", status=404)
            body = "".join(f"<p>{p}</p>" for p in text.split("\n"))
            html = (
                f"<html><head><title>TEST page {page_id}</title></head><body>"
                f"<article><h1>TEST page {page_id}</h1>{body}</article></body></html>"
            )
            return Response(html, content_type="text/html; charset=utf-8")
        return Response("TEST not found", status=404)

    def _page(self, page_id: str, query: str) -> str:
        text = (
            f"TEST DATA page {page_id}. Background paragraph about other matters.\n"
            f"The report says: {query}. Officials confirmed it in a TEST statement.\n"
            "A closing paragraph with unrelated words."
        )
        with self._lock:
            self.pages[page_id] = text
        return f"{self.base_url}/page/{page_id}"

    def _hits(self, provider: str, query: str) -> list[dict]:
        key = hashlib.sha1(query.encode()).hexdigest()[:10]
        if provider == "alpha":
            return [
                {
                    "url": f"{self.base_url}/wiki/{key}",
                    "title": f"TEST encyclopaedia {key}",
                    "text": f"TEST DATA encyclopaedia article. {query}. More background.",
                    "language": "en",
                }
            ]
        if provider == "beta":
            return [
                {
                    "url": self._page(f"{key}-{i}", query),
                    "title": f"TEST news {key}-{i}",
                    "snippet": f"TEST snippet: {query}",
                }
                for i in range(2)
            ]
        if provider == "gamma":
            return [
                {
                    "url": f"{self.base_url}/factcheck/{key}",
                    "title": f"TEST fact-check {key}",
                    "is_factcheck": True,
                    "claim_text": query,
                    "rating": "TEST rating",
                },
                {
                    "url": self._page("shared", "shared background " + query),
                    "title": "TEST shared page",
                    "snippet": f"TEST shared snippet {query}",
                },
            ]
        return []
