"""Main text and metadata of a fetched page or uploaded document (HTML, plain text, PDF)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time

import trafilatura
from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
PDF_TYPES = ("application/pdf",)
ACCEPTED_TYPES = HTML_TYPES + TEXT_TYPES + PDF_TYPES
MAX_PDF_PAGES = 200


class PageError(Exception):
    """The document cannot be read (unsupported type, empty, corrupt). Not worth retrying."""


@dataclass
class PageText:
    text: str
    title: str = ""
    publisher: str = ""
    published_at: datetime | None = None
    language: str = ""
    content_type: str = ""


def guess_content_type(data: bytes, filename: str = "", declared: str = "") -> str:
    """The media type of a document from what was declared, its name and its first bytes."""
    declared = (declared or "").split(";")[0].strip().lower()
    if declared in ACCEPTED_TYPES:
        return declared
    name = filename.lower()
    head = data[:512].lstrip().lower()
    if data.startswith(b"%PDF") or name.endswith(".pdf"):
        return "application/pdf"
    if name.endswith((".html", ".htm", ".xhtml")) or head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if name.endswith((".txt", ".text", ".md")) or not name:
        return "text/plain"
    return declared or "application/octet-stream"


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode bytes as text: the declared charset, else UTF-8 (with BOM), else refuse."""
    if b"\x00" in data[:4096]:
        raise PageError("The document looks binary, not text.")
    for encoding in filter(None, [charset, "utf-8-sig"]):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise PageError("The document is not valid UTF-8 text and declares no other charset.")


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not isinstance(parsed, datetime):
        parsed = datetime.combine(parsed, time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def extract_html(html: str, *, url: str = "") -> PageText:
    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # The main algorithm only: the fallbacks (readability, jusText) triple the CPU time
        # of a page for little gain on news pages, and jobs share one interpreter's GIL.
        fast=True,
    )
    if document is None:
        raise PageError("No main text could be extracted from the page.")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = (data.get("text") or "").strip()
    if not text:
        raise PageError("The page has no readable text.")
    return PageText(
        text=text,
        title=(data.get("title") or "").strip()[:1000],
        publisher=(data.get("sitename") or data.get("hostname") or "").strip()[:300],
        published_at=_parse_date(data.get("date")),
        language=(data.get("language") or "")[:16],
        content_type="text/html",
    )


def extract_pdf(data: bytes) -> PageText:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PageError("The PDF is encrypted.")
        pages = []
        for page in reader.pages[:MAX_PDF_PAGES]:
            pages.append((page.extract_text() or "").strip())
        metadata = reader.metadata or {}
        title = str(metadata.get("/Title") or "").strip()
    except PageError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PageError(f"The PDF cannot be read: {exc}.") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise PageError("The PDF has no extractable text (a scan without OCR?).")
    return PageText(text=text, title=title[:1000], content_type="application/pdf")


def extract_document(
    data: bytes,
    *,
    content_type: str = "",
    charset: str | None = None,
    url: str = "",
    filename: str = "",
) -> PageText:
    """Main text, title, date and publisher of a document. Raises PageError."""
    if not data:
        raise PageError("The document is empty.")
    media = guess_content_type(data, filename, content_type)
    if media in PDF_TYPES:
        return extract_pdf(data)
    if media in HTML_TYPES:
        return extract_html(decode_text(data, charset), url=url)
    if media in TEXT_TYPES:
        text = decode_text(data, charset).replace("\r\n", "\n").strip()
        if not text:
            raise PageError("The document has no text.")
        first_line = text.split("\n", 1)[0].strip()
        return PageText(
            text=text,
            title=first_line[:200] if len(first_line) < 200 else "",
            content_type="text/plain",
        )
    raise PageError(f"Documents of type {media} are not supported (HTML, plain text or PDF).")
