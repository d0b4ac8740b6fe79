"""Ingestion fed hostile text and bytes (hypothesis).

Whatever comes in: either an IngestError (a clear refusal of bad input) or an article whose
stored text is the input with newlines normalised, and whose every claim is an exact slice of
it (``article.text[c.start:c.end] == c.text``). Never any other exception.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims import ingestion
from claims.errors import IngestError
from claims.services import article_ingest

pytestmark = pytest.mark.django_db

BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"]
COMBINING = ["\u0301", "\u0308", "\u0327", "\u20dd", "\u036f"]
ARABIC = [
    "قالت الوزارة إنها اشترت 400 صاروخ في عام 2022.",
    "وَقَالَ الْوَزِيرُ إِنَّ الْحُكُومَةَ أَنْفَقَتْ ٣٥ مِلْيَارَ دُولَارٍ",  # with tashkeel
    "ارتفعت نسبة البطالة إلى 12٪ العام الماضي، بحسب الإحصاءات.",
]
ENGLISH = [
    "TEST DATA. The test ministry said it bought 400 test widgets in 2022.",
    "Unemployment rose to 12% last year, according to the TEST statistics office.",
    "The TEST city has 3.5 million inhabitants.",
    "Officials think this is wonderful!",
]
ODD = ["\r\n", "\r", "\n\n", "\t", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\ud800", "\x00"]
SPECIALS = BIDI + ZERO_WIDTH + COMBINING + ODD + ["<script>alert(1)</script>", "&amp;", "\ufffd"]

noise = st.lists(st.one_of(st.characters(), st.sampled_from(SPECIALS)), max_size=80).map("".join)
sentence = st.one_of(st.sampled_from(ENGLISH + ARABIC), noise)
# Real-looking sentences with hostile characters between and inside them.
documents = st.lists(
    st.tuples(sentence, st.sampled_from(SPECIALS + [" ", " ", "\n"])), max_size=25
).map(lambda parts: "".join(s + sep for s, sep in parts))

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def _ingest_and_check(text: str):
    try:
        result = article_ingest(text=text, title="TEST fuzz")
    except IngestError as exc:
        assert str(exc.message)
        return None
    article = result.article
    article.refresh_from_db()
    assert article.text == ingestion.normalize_newlines(text)
    for claim in article.claims.all():
        assert 0 <= claim.start < claim.end <= len(article.text)
        assert article.text[claim.start : claim.end] == claim.text
    return article


@FUZZ
@given(text=documents)
@example(text="\u202eTEST DATA.\u202c The test ministry bought 400 widgets in 2022.\u2066x\u2069")
@example(text="\ufeff\u200bقالت الوزارة إنها اشترت 400 صاروخ في عام 2022.\u200d")
@example(text="\ud800 The ministry bought 400 widgets.")
@example(text="\x00\x01\x02 binary")
@example(text=" \n\r\n\t ")
def test_article_ingest_keeps_text_and_offsets_for_any_unicode(text):
    _ingest_and_check(text)


@settings(FUZZ, max_examples=4)
@given(
    size=st.sampled_from([200_000, 400_000]),
    unit=st.sampled_from(["a", "word ", "ب", "1", "\u200b", "x\u0301"]),
)
def test_huge_lines_without_punctuation_are_ingested_or_refused_cleanly(size, unit):
    text = "TEST DATA " + unit * (size // len(unit))
    article = _ingest_and_check(text)
    # A long text without punctuation is still text: it is stored, not refused.
    assert article is not None
    assert len(article.text) == len(text)


html_text = st.lists(
    st.one_of(st.characters(blacklist_categories=["Cs"]), st.sampled_from(SPECIALS[:-3])),
    max_size=200,
).map("".join)


@st.composite
def html_documents(draw):
    body = draw(html_text)
    sentences = draw(st.lists(st.sampled_from(ENGLISH + ARABIC), max_size=5))
    title = draw(html_text)
    html = (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f"<style>body{{color:red}} /* {body} */</style>"
        f"<script>window.__xss=1; var s = '{body}';</script></head><body>"
        f"<!-- {body} --><article><h1>{title}</h1>"
        + "".join(f"<p>{s} {body}</p>" for s in sentences)
        + f'<p onclick="alert(1)">{body}</p><img src=x onerror=alert(1)></article>'
        "<iframe src='javascript:alert(1)'></iframe></body></html>"
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1256", "latin-1", "utf-8-sig"]))
    data = html.encode(encoding, errors="replace")
    declared = draw(st.sampled_from(["", f"text/html; charset={encoding}", "text/html"]))
    return data, declared


@FUZZ
@given(
    payload=st.one_of(
        html_documents(),
        st.tuples(st.binary(max_size=4000), st.sampled_from(["", "text/plain", "text/html"])),
    ),
    filename=st.sampled_from(["", "article.html", "article.txt", "x.bin", "مقال.htm"]),
)
@example(payload=(b"\xff\xfe\x00\x00garbage", ""), filename="a.txt")
@example(payload=(b"<html><body><script>alert(1)</script></body></html>", ""), filename="")
def test_decode_document_accepts_or_refuses_any_bytes_cleanly(payload, filename):
    data, content_type = payload
    try:
        document = ingestion.decode_document(data, filename=filename, content_type=content_type)
    except IngestError as exc:
        assert str(exc.message)
        return
    assert isinstance(document.text, str)
    # Scripts, styles and comments never become article text.
    assert "window.__xss" not in document.text
    assert "color:red" not in document.text
    _ingest_and_check(document.text)
