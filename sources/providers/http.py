"""What the API providers share: one HTTP GET with errors mapped to provider errors.

The API hosts are fixed by settings (not chosen by users or pages), so providers call them
with a plain httpx client rather than the guarded page fetcher; only http and https URLs are
accepted. Error mapping:

- timeouts, connection errors, 429 (with Retry-After), 5xx -> TransientProviderError;
- other 4xx, and redirects (never followed) -> ProviderError;
- bodies that cannot be parsed -> ProviderError (raised by the providers).

Secrets (``secrets``: API keys) never appear in messages: they, and any ``key=`` query
parameter, are replaced by ``***``. Prefer sending keys in headers: httpx logs request URLs.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sources.providers.base import ProviderError, TransientProviderError

# How much of an error body is quoted in a message.
ERROR_EXCERPT_CHARS = 300


class ProviderConfigurationError(ProviderError, ImproperlyConfigured):
    """A provider's settings are unusable (e.g. an API URL that is not http/https)."""


def require_http_url(service: str, url: str, setting: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL; raise ProviderConfigurationError."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ProviderConfigurationError(
            f"{service}: {setting} must be an http or https URL, not {url!r}."
        )
    return url


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"(?i)([?&]key=)[^&\s'\"]*", r"\1***", text)


def excerpt(text: str, limit: int = ERROR_EXCERPT_CHARS) -> str:
    """A short single-line plain-text excerpt of an error body (HTML tags removed)."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_client() -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(settings.SOURCES_HTTP_TIMEOUT),
        headers={"User-Agent": settings.SOURCES_USER_AGENT, "Accept": "application/json"},
        # Never followed: the key would travel with it, and the host is no longer the
        # configured one. A redirect is reported as a configuration error instead.
        follow_redirects=False,
    )


def api_get(
    service: str,
    url: str,
    params: dict,
    *,
    client: httpx.Client | None = None,
    headers: dict[str, str] | None = None,
    secrets: list[str] | None = None,
    error_message=None,
) -> httpx.Response:
    """GET ``url`` with ``params``; return the response if its status is 2xx.

    ``error_message(response) -> str``: extracts the service's own error text from an error
    body (e.g. Google's ``{"error": {"message": ...}}``). ``secrets``: values to hide.
    """
    secrets = secrets or []
    own_client = client is None
    client = client or make_client()
    try:
        try:
            response = client.get(url, params=params, headers=headers)
        except httpx.TimeoutException:
            raise TransientProviderError(
                f"{service}: the API did not answer within {settings.SOURCES_HTTP_TIMEOUT:g} s."
            ) from None
        except httpx.HTTPError as exc:
            detail = scrub(str(exc) or type(exc).__name__, secrets)
            raise TransientProviderError(
                f"{service}: could not reach the API ({detail})."
            ) from None
    finally:
        if own_client:
            client.close()
    status = response.status_code
    if 300 <= status < 400:
        location = scrub(response.headers.get("location", "?"), secrets)
        raise ProviderError(
            f"{service}: the API redirected (HTTP {status}) to {location}; configure that URL"
            " directly."
        )
    if status < 300:
        return response
    detail = ""
    if error_message is not None:
        try:
            detail = error_message(response) or ""
        except Exception:  # noqa: BLE001 - best effort: fall back to the raw body
            detail = ""
    detail = scrub(detail or excerpt(response.text), secrets)
    detail = f": {detail}" if detail else "."
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f" (retry after {retry_after:g} s)" if retry_after is not None else ""
        raise TransientProviderError(
            f"{service}: rate limited by the API (HTTP 429){wait}{detail}",
            retry_after=retry_after,
        )
    if status >= 500:
        raise TransientProviderError(
            f"{service}: the API failed with HTTP {status}{detail}",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    raise ProviderError(f"{service}: the API refused the request with HTTP {status}{detail}")


def parse_json(service: str, response: httpx.Response):
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ProviderError(
            f"{service}: the API answered something that is not JSON: {excerpt(response.text)!r}"
        ) from None
