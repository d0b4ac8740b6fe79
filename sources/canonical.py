"""Canonical URLs, so one page found twice (tracking parameters, #fragment...) is one Source.

Only changes that cannot alter what the server returns: scheme and host lower-cased (and an
internationalised host name in its ASCII form), default
port dropped, fragment dropped, an empty path becomes ``/``, and click-tracking parameters
(``utm_*``, ``fbclid``, ``gclid``...) removed. Path case, the order of the remaining query
parameters and their exact encoding are kept.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid"})
TRACKING_PREFIXES = ("utm_",)


def _is_tracking(param: str) -> bool:
    name = param.split("=", 1)[0].lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of ``url``. Raises ValueError for a URL without scheme or host."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname  # already lower-cased by urlsplit
    if not scheme or not host:
        raise ValueError(f"Not an absolute URL: {url!r}")
    port = parts.port  # ValueError for a bad port
    if not host.isascii():
        # One spelling for internationalised names: the ASCII (punycode) form.
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    if ":" in host:
        host = f"[{host}]"
    netloc = host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username
        if parts.password is not None:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or ("/" if scheme in DEFAULT_PORTS else "")
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, path, query, ""))
