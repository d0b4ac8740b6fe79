"""Main text of pages and documents: HTML, plain text, PDF."""

from datetime import datetime

import pytest

from sources.pages import PageError, extract_document, guess_content_type


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (built by hand: TEST DATA)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_html_main_text_title_date_and_publisher_are_extracted():
    html = (
        "<html><head><title>TEST page</title>"
        '<meta property="og:site_name" content="TEST Site">'
        '<meta property="article:published_time" content="2024-04-09T10:00:00+00:00">'
        "</head><body><nav>TEST menu entries</nav><article><h1>TEST headline</h1>"
        "<p>The ambassador visited the TEST plant near the test city on Tuesday morning.</p>"
        "<p>He said the plant builds six test aircraft every year for the test company.</p>"
        "</article><footer>TEST footer</footer></body></html>"
    )
    page = extract_document(html.encode(), content_type="text/html", url="https://t.invalid/a")
    assert "six test aircraft" in page.text
    assert "TEST menu entries" not in page.text
    assert page.title == "TEST headline"
    assert page.publisher == "TEST Site"
    assert page.published_at.date() == datetime(2024, 4, 9).date()
    assert page.content_type == "text/html"


def test_arabic_html_is_read_in_its_declared_charset():
    html = (
        "<html><body><article><p>"
        + "اشترت اليابان 400 صاروخ. " * 5
        + "</p></article></body></html>"
    )
    page = extract_document(html.encode("cp1256"), content_type="text/html", charset="cp1256")
    assert "اشترت اليابان" in page.text


def test_plain_text_is_kept_as_it_is():
    page = extract_document(b"TEST line one\r\nline two", content_type="text/plain")
    assert page.text == "TEST line one\nline two"
    assert page.title == "TEST line one"


def test_pdf_text_is_extracted():
    page = extract_document(minimal_pdf("TEST ministry bought 400 widgets"), filename="a.pdf")
    assert "TEST ministry bought 400 widgets" in page.text
    assert page.content_type == "application/pdf"


@pytest.mark.parametrize(
    "data, kwargs, message",
    [
        (b"", {}, "empty"),
        (b"%PDF-1.4 not really", {"filename": "x.pdf"}, "PDF"),
        (b"\xff\xfe\xfa bad", {"content_type": "text/plain"}, "UTF-8"),
        (b"GIF89a", {"content_type": "image/gif", "filename": "x.gif"}, "not supported"),
        (b"<html><body></body></html>", {"content_type": "text/html"}, "text"),
    ],
)
def test_unreadable_documents_raise_a_clear_error(data, kwargs, message):
    with pytest.raises(PageError, match=message):
        extract_document(data, **kwargs)


def test_the_content_type_is_guessed_from_name_and_bytes():
    assert guess_content_type(b"%PDF-1.7") == "application/pdf"
    assert guess_content_type(b"<!DOCTYPE html><html>") == "text/html"
    assert guess_content_type(b"hello", filename="notes.txt") == "text/plain"
    assert guess_content_type(b"x", declared="text/html; charset=utf-8") == "text/html"
