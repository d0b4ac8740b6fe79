"""Turn what a user hands in (a file, standard input, a URL) into article text.

No database access here: ``decode_document`` and ``fetch_document`` return a ``Document``;
``claims.services.article_ingest`` stores it. Every refusal is an ``IngestError`` with a
one-line message a person can act on.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from claims.errors import IngestError

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
ACCEPTED_TYPES = (*HTML_TYPES, *TEXT_TYPES)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Magic numbers of common binary formats, to name them in the error message.
BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
HTML_SNIFF = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)
# C0 control characters other than tab, line feed, form feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NEWLINES = re.compile(r"\r\n?")


@dataclass
class Document:
    text: str
    title: str = ""
    published_at: datetime | None = None
    publisher: str = ""
    url: str = ""


def normalize_newlines(text: str) -> str:
    """The only change ever made to an article's text: \\r\\n and \\r become \\n."""
    return NEWLINES.sub("\n", text)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_text(text: str) -> str:
    """Validate article text given as a string; return it with newlines normalised."""
    text = normalize_newlines(text)
    if not text.strip():
        raise IngestError(_("The article is empty."), code="empty")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > settings.INGEST_MAX_BYTES:
        raise IngestError(
            _("The article is too large (%(size)s bytes; the limit is %(limit)s).")
            % {"size": f"{size:,}", "limit": f"{settings.INGEST_MAX_BYTES:,}"},
            code="too_large",
        )
    if "\x00" in text or len(CONTROL.findall(text)) > max(3, len(text) // 1000):
        raise IngestError(
            _("The article contains binary data (control characters), not text."),
            code="binary",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise IngestError(
            _("The article contains invalid characters (unpaired surrogates)."), code="encoding"
        ) from None
    return text


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _sep, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


def _decode_bytes(data: bytes, charset: str | None) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data, charset = data[len(codecs.BOM_UTF8) :], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        charset = "utf-16"
    for magic, name in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise IngestError(
                _("This is %(kind)s, not a text or HTML document.") % {"kind": name},
                code="binary",
            )
    if b"\x00" in data and charset != "utf-16":
        raise IngestError(_("This is binary data, not a text or HTML document."), code="binary")
    encoding = charset or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            _("The document is not valid %(encoding)s (invalid byte at position %(pos)s).")
            % {"encoding": encoding.upper(), "pos": exc.start},
            code="encoding",
        ) from None


def _looks_like_html(data: bytes, filename: str, media_type: str) -> bool:
    if media_type in HTML_TYPES:
        return True
    if media_type in TEXT_TYPES:
        return False
    if filename.lower().endswith(HTML_SUFFIXES):
        return True
    head = data[:4096]
    # A byte-order mark comes before the markup (UTF-16 spreads it over two bytes a char).
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return bool(HTML_SNIFF.match(head))


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None
    return day.replace(tzinfo=UTC)


def _from_html(html: str, url: str = "") -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
    )
    text = (getattr(extracted, "text", None) or "") if extracted is not None else ""
    if not text.strip():
        # Very short pages fall below trafilatura's thresholds: take the cleaned page text.
        text = trafilatura.html2txt(html) or ""
    if not text.strip():
        raise IngestError(_("No article text was found in this HTML page."), code="empty")
    meta = extracted if extracted is not None else None
    return Document(
        text=text,
        title=(getattr(meta, "title", None) or "")[:500],
        published_at=_parse_date(getattr(meta, "date", None)),
        publisher=(getattr(meta, "sitename", None) or "")[:300],
        url=url,
    )


def decode_document(data: bytes, *, filename: str = "", content_type: str = "") -> Document:
    """Plain text or HTML bytes -> ``Document``. Raises IngestError (empty, binary, invalid
    UTF-8, too large, no text found)."""
    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(
            _("The document is too large (%(size)s bytes; the limit is %(limit)s).")
            % {"size": f"{len(data):,}", "limit": f"{settings.INGEST_MAX_BYTES:,}"},
            code="too_large",
        )
    if not data.strip():
        raise IngestError(_("The document is empty."), code="empty")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in ACCEPTED_TYPES:
        raise IngestError(
            _("Documents of type %(type)s are not accepted; give plain text or HTML.")
            % {"type": media_type},
            code="unsupported",
        )
    is_html = _looks_like_html(data, filename, media_type)
    charset = _charset(content_type)
    if charset is None and is_html:
        declared = META_CHARSET.search(data[:4096])
        charset = declared.group(1).decode("ascii").lower() if declared else None
    text = _decode_bytes(data, charset)
    if is_html:
        document = _from_html(text)
    else:
        document = Document(text=text)
    document.text = check_text(document.text)
    return document


def fetch_document(url: str) -> Document:
    """Fetch ``url`` through the guarded client and extract its main text."""
    from sources.fetching import BlockedURLError, FetchError, fetch

    try:
        page = fetch(url, max_bytes=settings.INGEST_MAX_BYTES, accept_types=ACCEPTED_TYPES)
    except BlockedURLError as exc:
        raise IngestError(str(exc), code="blocked") from None
    except FetchError as exc:
        code = "fetch_transient" if exc.transient else "fetch_failed"
        raise IngestError(
            _("Could not fetch the article: %(reason)s") % {"reason": exc}, code=code
        ) from None
    content_type = page.content_type + (f"; charset={page.charset}" if page.charset else "")
    document = decode_document(page.content, content_type=content_type)
    document.url = page.url  # after redirects
    return document
