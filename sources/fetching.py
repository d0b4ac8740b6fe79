"""The guarded HTTP client every outbound page request goes through.

- only http and https;
- the host is resolved once and every address checked: private, loopback, link-local,
  reserved and multicast addresses are refused unless SOURCES_ALLOW_PRIVATE_NETWORKS is on
  (tests turn it on to reach their loopback servers);
- IPv6 forms that embed an IPv4 address (IPv4-mapped, IPv4-compatible, 6to4, NAT64) are
  judged by the IPv4 address they carry; Teredo is refused outright;
- the connection goes to the address that was checked (no second DNS lookup an attacker
  could answer differently), with the Host header and TLS server name (httpcore's
  ``sni_hostname`` request extension) of the original host; every hop opens its own
  connection, so a pooled TLS session for one name is never reused for another;
- redirects are followed by hand, each hop checked the same way (303, and 301/302 after a
  POST, become GET);
- the body is streamed and cut at a size limit, counted after decompression and decompressed
  with a bound (only gzip and deflate are asked for), so a small compressed bomb cannot
  expand in memory; the whole exchange, redirects included, has one deadline.

``allowed_endpoints`` lets a caller name exact (address, port) pairs that may be contacted
even though they are private. Nothing in production passes it; tests use it to reach one
loopback server while every other private address stays refused.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A page could not be fetched. ``transient`` says whether trying again later could help."""

    transient = False

    def __init__(self, message: str, *, transient: bool | None = None, status: int | None = None):
        super().__init__(message)
        if transient is not None:
            self.transient = transient
        self.status = status


class BlockedURLError(FetchError):
    """The URL is not allowed (scheme, private address...). Never worth retrying."""

    transient = False


class TooManyRedirects(FetchError):
    """More redirects than allowed (a loop, usually). Not worth retrying soon."""

    transient = False


@dataclass
class FetchedPage:
    url: str  # final URL, after redirects
    status: int
    content: bytes
    content_type: str = ""
    charset: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)
    # True when ``fetch(..., truncate=True)`` cut the body at ``max_bytes``.
    truncated: bool = False

    def text(self) -> str:
        return self.content.decode(self.charset or "utf-8", errors="replace")


_NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if any(address in prefix for prefix in _NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` may be contacted without SOURCES_ALLOW_PRIVATE_NETWORKS."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo or address in _IPV4_COMPATIBLE:
            # Teredo tunnels and the deprecated IPv4-compatible form: nothing legitimate.
            return False
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            address = embedded
    return address.is_global and not address.is_multicast


# Kept for callers of the earlier name.
_is_allowed_address = is_public_address


def check_url(url: str) -> tuple[str, str, int]:
    """Validate the shape of ``url``; return (scheme, host, port). Raises BlockedURLError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"Not a valid URL: {url!r} ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(
            f"Only http and https URLs can be fetched, not {scheme or 'a URL without scheme'}:"
            f" {url!r}."
        )
    host = parts.hostname
    if not host:
        raise BlockedURLError(f"The URL has no host: {url!r}.")
    if parts.username or parts.password:
        raise BlockedURLError("URLs with embedded credentials are not fetched.")
    return scheme, host, port or (443 if scheme == "https" else 80)


def resolve_checked_all(
    host: str,
    port: int,
    *,
    allow_private: bool | None = None,
    allowed_endpoints: Collection[tuple[str, int]] = (),
) -> list[str]:
    """Resolve ``host``; return every address (in resolver order, no repeats) if all of them
    are allowed to be contacted, else raise BlockedURLError.

    Every address the name resolves to must be public: a name that resolves to one public and
    one private address is refused, since the attacker controls which one gets used.
    ``allowed_endpoints``: exact (address, port) pairs allowed even though private (tests).
    """
    if allow_private is None:
        allow_private = settings.SOURCES_ALLOW_PRIVATE_NETWORKS
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Could not resolve host {host!r}: {exc}.", transient=True) from None
    addresses: list[str] = []
    for info in infos:
        raw = info[4][0].split("%", 1)[0]
        address = ipaddress.ip_address(raw)
        exempt = (str(address), port) in allowed_endpoints
        if not allow_private and not exempt and not is_public_address(address):
            raise BlockedURLError(
                f"Refused to connect to {host!r}: it resolves to the non-public address {address}."
            )
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise FetchError(f"Host {host!r} has no address.", transient=True)
    return addresses


def resolve_checked(
    host: str,
    port: int,
    *,
    allow_private: bool | None = None,
    allowed_endpoints: Collection[tuple[str, int]] = (),
) -> str:
    """Resolve ``host`` and return the first address, if every address is allowed
    (see ``resolve_checked_all``)."""
    return resolve_checked_all(
        host, port, allow_private=allow_private, allowed_endpoints=allowed_endpoints
    )[0]


def _pinned_request_url(url: str, address: str) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip("\"' ").lower()
    return media.strip().lower(), charset


def fetch(
    url: str,
    *,
    max_bytes: int | None = None,
    timeout: float | None = None,
    accept_types: tuple[str, ...] | None = None,
    allow_private: bool | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    transport: httpx.BaseTransport | None = None,
    allowed_endpoints: Collection[tuple[str, int]] = (),
    max_redirects: int | None = None,
    truncate: bool = False,
) -> FetchedPage:
    """Fetch ``url`` under every guard. Raises FetchError (with ``transient``) or subclasses.

    ``accept_types``: allowed media types (e.g. ``("text/html", "text/plain")``); a response
    of another type is refused before its body is read. ``timeout`` bounds the whole
    exchange, redirects included. ``allowed_endpoints``: see the module docstring.
    ``truncate``: keep the first ``max_bytes`` of a larger body (``FetchedPage.truncated``)
    instead of refusing it.
    """
    max_bytes = max_bytes or settings.SOURCES_MAX_PAGE_BYTES
    timeout = timeout or settings.SOURCES_HTTP_TIMEOUT
    if max_redirects is None:
        max_redirects = settings.SOURCES_MAX_REDIRECTS
    deadline = time.monotonic() + timeout
    request_headers = {
        "User-Agent": settings.SOURCES_USER_AGENT,
        "Accept": "*/*",
        # Only what _BoundedDecoder can inflate under the size limit.
        "Accept-Encoding": "gzip, deflate",
    }
    request_headers.update(headers or {})
    redirects: list[str] = []
    current = url.strip()
    method = method.upper()

    for _hop in range(max_redirects + 1):
        scheme, host, port = check_url(current)
        addresses = resolve_checked_all(
            host, port, allow_private=allow_private, allowed_endpoints=allowed_endpoints
        )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"Timed out fetching {current}.", transient=True)
        hop_headers = dict(request_headers, Host=_host_header(current))
        extensions = {"sni_hostname": host} if scheme == "https" else {}
        # One client per hop: its connection is pinned to this hop's checked address and
        # TLS name, and is closed before the next hop. trust_env=False: no proxy from the
        # environment (it would do its own connecting) and no .netrc credentials.
        with httpx.Client(
            timeout=httpx.Timeout(remaining),
            follow_redirects=False,
            transport=transport,
            trust_env=False,
        ) as client:
            response = _send_to_first_reachable(
                client, method, current, host, addresses, hop_headers, extensions
            )
            try:
                if response.status_code in REDIRECT_STATUSES:
                    location = response.headers.get("location", "").strip()
                    if not location:
                        raise FetchError(
                            f"{current} redirected without a Location header.", transient=False
                        )
                    redirects.append(current)
                    current = urljoin(current, location)
                    if response.status_code == 303 and method != "HEAD":
                        method = "GET"
                    elif response.status_code in (301, 302) and method == "POST":
                        method = "GET"
                    continue
                return _read_response(
                    response, current, max_bytes, deadline, accept_types, redirects, truncate
                )
            finally:
                response.close()
    raise TooManyRedirects(f"Too many redirects (more than {max_redirects}) from {url}.")


def _send_to_first_reachable(client, method, url, host, addresses, headers, extensions):
    """Send to each checked address in turn until one accepts the connection (a name with
    an IPv6 and an IPv4 address on a machine without IPv6, say)."""
    for index, address in enumerate(addresses):
        request = client.build_request(
            method, _pinned_request_url(url, address), headers=headers, extensions=extensions
        )
        try:
            return client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError(f"Timed out fetching {url}.", transient=True) from None
        except httpx.HTTPError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                raise FetchError(
                    f"The TLS certificate of {host} could not be verified: {exc}.",
                    transient=False,
                ) from None
            if isinstance(exc, httpx.ConnectError) and index + 1 < len(addresses):
                continue
            raise FetchError(
                f"Could not connect to {host}: {exc or type(exc).__name__}.", transient=True
            ) from None
    raise AssertionError("unreachable: resolve_checked_all never returns an empty list")


def _read_response(
    response, url, max_bytes, deadline, accept_types, redirects, truncate=False
) -> FetchedPage:
    status = response.status_code
    if status == 429 or status >= 500:
        retry_after = response.headers.get("retry-after", "")
        suffix = f" (Retry-After: {retry_after})" if retry_after else ""
        raise FetchError(f"{url} answered HTTP {status}{suffix}.", transient=True, status=status)
    if status >= 400:
        raise FetchError(f"{url} answered HTTP {status}.", transient=False, status=status)
    media_type, charset = _parse_content_type(response.headers.get("content-type", ""))
    if accept_types and media_type not in accept_types:
        raise FetchError(
            f"{url} is {media_type or 'of unknown type'}, not one of {', '.join(accept_types)}.",
            transient=False,
            status=status,
        )
    declared = response.headers.get("content-length")
    if not truncate and declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url} is {int(declared):,} bytes, over the limit of {max_bytes:,}.",
            transient=False,
            status=status,
        )
    decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), url, status)
    chunks = []
    size = 0
    truncated = False
    try:
        for raw in response.iter_raw():
            chunk = decoder.feed(raw, max_bytes - size)
            size += len(chunk)
            if size > max_bytes and truncate:
                chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                size, truncated = max_bytes, True
                break
            if size > max_bytes:
                raise FetchError(
                    f"{url} is larger than the limit of {max_bytes:,} bytes.",
                    transient=False,
                    status=status,
                )
            if time.monotonic() > deadline:
                raise FetchError(f"Timed out reading {url}.", transient=True, status=status)
            chunks.append(chunk)
        tail = b"" if truncated else decoder.flush(max_bytes - size)
        if truncate and size + len(tail) > max_bytes:
            tail, truncated = tail[: max_bytes - size], True
        if size + len(tail) > max_bytes:
            raise FetchError(
                f"{url} is larger than the limit of {max_bytes:,} bytes.",
                transient=False,
                status=status,
            )
        chunks.append(tail)
    except httpx.TimeoutException:
        raise FetchError(f"Timed out reading {url}.", transient=True) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"Connection broken while reading {url}: {exc}.", transient=True) from None
    return FetchedPage(
        url=url,
        status=status,
        content=b"".join(chunks),
        content_type=media_type,
        charset=charset,
        headers=dict(response.headers),
        redirects=redirects,
        truncated=truncated,
    )


class _BoundedDecoder:
    """Content-Encoding decoding that never produces more than it is allowed to.

    ``feed(data, room)`` returns at most ``room + 1`` bytes (one more than allowed, so the
    caller sees the limit crossed) whatever the compression ratio."""

    def __init__(self, content_encoding: str, url: str, status: int):
        self.url = url
        self.status = status
        codings = [
            c.strip().lower()
            for c in content_encoding.split(",")
            if c.strip().lower() not in ("", "identity")
        ]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(
                f"{url} uses a content encoding that is not supported: {content_encoding}.",
                transient=False,
                status=status,
            )
        self.coding = codings[0] if codings else ""
        self.inflater = None

    def _error(self, exc: Exception) -> FetchError:
        return FetchError(
            f"{self.url} sent a corrupt {self.coding} body ({exc}).",
            transient=False,
            status=self.status,
        )

    def feed(self, data: bytes, room: int) -> bytes:
        if not self.coding or not data:
            return data
        if self.inflater is None:
            if self.coding == "deflate" and (data[0] & 0x0F) != 8:
                wbits = -zlib.MAX_WBITS  # raw deflate, as some servers send it
            else:
                wbits = zlib.MAX_WBITS | 32  # gzip or zlib header, detected
            self.inflater = zlib.decompressobj(wbits)
        try:
            return self.inflater.decompress(data, max(room, 0) + 1)
        except zlib.error as exc:
            raise self._error(exc) from None

    def flush(self, room: int) -> bytes:
        if self.inflater is None:
            return b""
        try:
            # Anything left unconsumed is output beyond the room already granted.
            if self.inflater.unconsumed_tail:
                return self.inflater.decompress(self.inflater.unconsumed_tail, max(room, 0) + 1)
            return self.inflater.flush()
        except zlib.error as exc:
            raise self._error(exc) from None
