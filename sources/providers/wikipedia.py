"""Wikipedia through the MediaWiki Action API, in every configured language edition.

Per edition: ``list=search`` finds pages (with HTML snippets), then ``prop=extracts``
(``explaintext``; full text, so ``exintro`` is *omitted*: MediaWiki booleans are true whenever
present, ``exintro=0`` included) fetches their text. Full extracts come one page per request,
so ``continue`` is followed until every page has its text.

Both answer shapes are understood: ``formatversion=1`` (``pages`` an object keyed by page id,
``"missing": ""``, ``"batchcomplete": ""``) and ``formatversion=2`` (``pages`` a list,
``"missing": true``). ``{"error": {"code", "info"}}`` objects are errors: ``maxlag``,
``ratelimited``, ``readonly`` and ``internal_api_error_*`` are transient, others permanent.
``warnings`` are logged. CirrusSearch wants every word of a query, so when the query finds
nothing in an edition, the key terms (``Query.terms``) are tried once more joined by OR.
"""

from __future__ import annotations

import html
import logging
import re
from typing import ClassVar
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from django.conf import settings

from sources.providers.base import Hit, ProviderError, Query, TransientProviderError
from sources.providers.http import (
    ProviderConfigurationError,
    api_get,
    make_client,
    parse_json,
    parse_retry_after,
    require_http_url,
)

logger = logging.getLogger(__name__)

SERVICE = "Wikipedia"
RESULTS_PER_EDITION = 5
MAX_QUERY_CHARS = 300
# A page's text is cut here (a long article is several hundred thousand characters).
MAX_TEXT_CHARS = 200_000
TRANSIENT_ERROR_CODES = {"maxlag", "ratelimited", "readonly"}
# Bot etiquette: ask the API to refuse (with "maxlag") when its replicas lag.
MAXLAG_SECONDS = 5


def strip_snippet(snippet: str) -> str:
    """The search API's snippet HTML (``<span class="searchmatch">``) as plain text."""
    text = re.sub(r"<[^>]*>", "", snippet or "")
    return " ".join(html.unescape(text).split())


def fallback_query(terms: list[str], limit: int = 4) -> str:
    """The key terms joined by OR (names quoted), for when the full query finds nothing."""
    parts = []
    for term in terms:
        term = " ".join(term.replace('"', " ").split())
        if term and term.lower() not in {p.strip('"').lower() for p in parts}:
            parts.append(f'"{term}"' if " " in term else term)
        if len(parts) >= limit:
            break
    return " OR ".join(parts)


def _pages(query_part: dict) -> list[dict]:
    """``pages`` of either formatversion as a list of page objects."""
    pages = query_part.get("pages") or []
    if isinstance(pages, dict):  # formatversion=1: keyed by page id (negative if missing)
        pages = list(pages.values())
    if not isinstance(pages, list):
        raise ProviderError(f'{SERVICE}: "pages" is neither an object nor a list.')
    return [p for p in pages if isinstance(p, dict)]


def _is_missing(page: dict) -> bool:
    # formatversion=1: "missing": "" (present = true); formatversion=2: "missing": true.
    return ("missing" in page and page["missing"] is not False) or "invalid" in page


class WikipediaProvider:
    name: ClassVar[str] = "wikipedia"

    def __init__(
        self,
        *,
        langs: list[str],
        api_template: str,
        results_per_edition: int = RESULTS_PER_EDITION,
        client: httpx.Client | None = None,
    ):
        self.langs = [lang.strip().lower() for lang in langs if lang.strip()]
        if not self.langs:
            raise ProviderConfigurationError(f"{SERVICE}: no language edition configured.")
        for lang in self.langs:
            if not re.fullmatch(r"[a-z][a-z0-9-]{1,20}", lang):
                raise ProviderConfigurationError(
                    f"{SERVICE}: {lang!r} is not a Wikipedia language code."
                )
        if "{lang}" not in api_template:
            raise ProviderConfigurationError(
                f"{SERVICE}: SOURCES_WIKIPEDIA_API must contain {{lang}}."
            )
        require_http_url(SERVICE, api_template.replace("{lang}", "xx"), "SOURCES_WIKIPEDIA_API")
        self.api_template = api_template
        self.results_per_edition = results_per_edition
        self.client = client

    @classmethod
    def from_settings(cls) -> WikipediaProvider:
        return cls(
            langs=list(settings.SOURCES_WIKIPEDIA_LANGS),
            api_template=settings.SOURCES_WIKIPEDIA_API,
        )

    # ------------------------------------------------------------------ URLs

    def api_url(self, lang: str) -> str:
        return self.api_template.replace("{lang}", lang)

    def page_url(self, lang: str, title: str) -> str:
        """``https://ar.wikipedia.org/wiki/Title_with_underscores`` for the real service.

        Derived from the API URL actually used: ``.../w/api.php`` becomes ``.../wiki/``, so a
        mirror or test server yields URLs on itself."""
        parts = urlsplit(self.api_url(lang))
        path = parts.path
        if path.endswith("/w/api.php"):
            base = path[: -len("w/api.php")] + "wiki/"
        elif path.endswith("/api.php"):
            base = path[: -len("api.php")] + "wiki/"
        else:
            base = "/wiki/"
        # The characters MediaWiki itself leaves unescaped in page URLs (wfUrlencode).
        encoded = quote(title.replace(" ", "_"), safe="/:@!$*(),;~")
        return urlunsplit((parts.scheme, parts.netloc, base + encoded, "", ""))

    # ------------------------------------------------------------------ API

    def _call(self, client: httpx.Client, lang: str, params: dict) -> dict:
        params = {
            "format": "json",
            "formatversion": "2",
            "maxlag": MAXLAG_SECONDS,
            **params,
        }
        service = f"{SERVICE} ({lang})"
        response = api_get(service, self.api_url(lang), params, client=client)
        data = parse_json(service, response)
        if not isinstance(data, dict):
            raise ProviderError(f"{service}: expected a JSON object, got {type(data).__name__}.")
        error = data.get("error")
        if isinstance(error, dict):
            code = str(error.get("code") or "unknown")
            info = str(error.get("info") or error.get("*") or "").strip()
            message = f"{service}: API error {code}" + (f": {info}" if info else ".")
            if code in TRANSIENT_ERROR_CODES or code.startswith("internal_api_error"):
                raise TransientProviderError(
                    message, retry_after=parse_retry_after(response.headers.get("retry-after"))
                )
            raise ProviderError(message)
        warnings = data.get("warnings")
        if warnings:
            logger.warning("%s: API warnings: %s", service, warnings)
        return data

    def _search_titles(self, client: httpx.Client, lang: str, text: str) -> list[dict]:
        data = self._call(
            client,
            lang,
            {
                "action": "query",
                "list": "search",
                "srsearch": text,
                "srlimit": self.results_per_edition,
                "srprop": "snippet|timestamp",
            },
        )
        query_part = data.get("query") or {}
        results = query_part.get("search") if isinstance(query_part, dict) else None
        if results is None:
            if "query" not in data:
                raise ProviderError(f'{SERVICE} ({lang}): the answer has no "query" part.')
            results = []
        if not isinstance(results, list):
            raise ProviderError(f'{SERVICE} ({lang}): "search" is not a list.')
        return [r for r in results if isinstance(r, dict) and r.get("title")]

    def _search_edition(
        self, client: httpx.Client, lang: str, text: str, fallback: str = ""
    ) -> list[Hit]:
        used = text
        found = self._search_titles(client, lang, text)
        if not found and fallback and fallback != text:
            # Every word of a long query must match: try the key terms, any of them.
            used = fallback
            found = self._search_titles(client, lang, fallback)
        if not found:
            return []
        texts = self._extracts(client, lang, [r["pageid"] for r in found if r.get("pageid")])
        hits = []
        for rank, result in enumerate(found):
            pageid = result.get("pageid")
            if pageid and pageid in texts and texts[pageid] is None:
                # The page vanished between search and extract (deleted): leave it out.
                continue
            title = str(result["title"])
            hits.append(
                Hit(
                    url=self.page_url(lang, title),
                    title=title,
                    snippet=strip_snippet(str(result.get("snippet") or "")),
                    text=(texts.get(pageid) or "")[:MAX_TEXT_CHARS],
                    language=lang,
                    publisher="Wikipedia",
                    domain=urlsplit(self.page_url(lang, title)).hostname or "",
                    score=1.0 / (1 + rank),
                    provider=self.name,
                    extra={
                        "pageid": pageid,
                        "last_edited": result.get("timestamp") or "",
                        "search": used,
                    },
                )
            )
        return hits

    def _extracts(self, client: httpx.Client, lang: str, pageids: list[int]) -> dict:
        """pageid -> plain text ('' if none came back, None if the page is missing)."""
        texts: dict = {}
        if not pageids:
            return texts
        params = {
            "action": "query",
            "prop": "extracts",
            "explaintext": "1",
            "exlimit": "max",
            "pageids": "|".join(str(p) for p in pageids),
        }
        cont: dict = {}
        # Full extracts come one page per request: at most one round per page, plus one.
        for _round in range(len(pageids) + 1):
            data = self._call(client, lang, {**params, **cont})
            query_part = data.get("query") or {}
            for page in _pages(query_part if isinstance(query_part, dict) else {}):
                pageid = page.get("pageid")
                if pageid is None:
                    continue
                if _is_missing(page):
                    texts[pageid] = None
                elif isinstance(page.get("extract"), str) and page["extract"].strip():
                    texts[pageid] = page["extract"].strip()
            cont = data.get("continue") or {}
            if not isinstance(cont, dict) or not cont or all(p in texts for p in pageids):
                break
        return texts

    def search(self, query: Query) -> list[Hit]:
        text = " ".join((query.text or query.claim_text).split())[:MAX_QUERY_CHARS]
        if not text:
            return []
        langs = list(self.langs)
        hint = (query.language or "").lower()
        if hint in langs:
            langs.remove(hint)
            langs.insert(0, hint)
        fallback = fallback_query(query.terms)
        client = self.client or make_client()
        hits: list[Hit] = []
        try:
            for lang in langs:
                hits.extend(self._search_edition(client, lang, text, fallback))
        finally:
            if self.client is None:
                client.close()
        return hits
