"""Split an article into claim-sized spans with exact character offsets.

Pure functions over ``str``; ``text[span.start:span.end]`` is always the unit, with
surrounding white space (and invisible format characters) trimmed.

The order of work:

1. every line is a unit of its own (headlines and bullet lines have no final full stop),
   except that a hard-wrapped English line continues when the next starts in lower case;
   a bullet marker (``- ``, ``• ``, ``1. ``) is left out of the span;
2. inside a line, sentences end at ``.`` ``!`` ``?`` ``؟`` ``…`` (with any closing quotes or
   brackets that follow) when white space comes next. Not at decimal points (no space
   follows: 3.5), not after English abbreviations (Dr. Mr. e.g. U.S.), not inside a closed
   quotation (“…” «…» "…") unless the quotation is very long;
3. inside a sentence, clauses are split where the sentence joins independent statements:
   at ``؛`` / ``;`` and at an Arabic ``،`` followed by ``و``/``ف`` and a past-tense verb
   (``، واشترت 400 صاروخ``), when both sides are long enough to stand alone.
   A plain ``،`` (a list, an apposition) does not end a claim.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from claims.extraction import lexicon


class Span(NamedTuple):
    start: int
    end: int


# Invisible characters trimmed from span edges along with white space: zero-width
# characters, bidi marks, embeddings, overrides and isolates, the BOM, tatweel alone.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = ZERO_WIDTH + BIDI_CONTROLS
_EDGE = frozenset(
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\x1c\x1d\x1e\x1f\x85" + INVISIBLE
)
# Clause punctuation left out at the end of a clause span (the comma before "واشترت").
_TRAILING_CLAUSE_PUNCT = frozenset("،,؛;:") | _EDGE

# A line, continued over a line break when the line does not end a sentence and the next
# starts in lower case (hard-wrapped English text); otherwise every line is a unit.
LINE = re.compile(
    r"[^\n\r\u2028\u2029]+"
    r"(?:(?<=[^\s.!?؟…:;\"”»)\]])\n(?=[ \t]*[a-z])[^\n\r\u2028\u2029]+)*"
)
BULLET = re.compile(
    rf"[\s{INVISIBLE}]*(?:[-–—•*·▪●◦‣>]|[0-9\u0660-\u0669]{{1,3}}[.)\-])[ \t\u00a0]+"
)
# A sentence end: terminators, then closing quotes/brackets, then white space or line end,
# or an Arabic letter straight after (a space forgotten: "الأمن.وقال").
# (Starts only at the first terminator of a run and never backtracks, so a long run of
# punctuation stays linear.)
BOUNDARY = re.compile(
    r"(?<![.!?؟…۔])[.!?؟…۔]++[\"'”’»)\]]*+(?=[\s" + INVISIBLE + r"]|$|[\u0621-\u064a])"
)
QUOTED = re.compile(r"“[^“”\n]*”|«[^«»\n]*»|\"[^\"\n]*\"|„[^„“\n]*“")
QUOTE_CHARS = re.compile(r"[“«\"„]")
# Quotations longer than this are read as several sentences of quoted speech.
MAX_QUOTE_CHARS = 400
TOKEN_BEFORE = re.compile(r"(\S+)$")
NEXT_WORD = re.compile(r"[\s\"'“”«»(\[]*([^\s\"'“”«»()\[\]]*)")
WORD_CHARS = re.compile(r"[^\W_]")
OPENERS = re.compile(r"^[\"'“«(\[]+")
ARABIC_INITIALS = re.compile(r"(?:[\u0621-\u064a]\.)*[\u0621-\u064a]")
INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
SEMICOLON = re.compile(r"[؛;](?=\s)")
ARABIC_AND = re.compile(
    r"،[ \t\u00a0]*(?:[وف]|(?:كما|ثم|بينما)[ \t\u00a0]+)([\u0621-\u064a\u064b-\u0652]+)"
)
DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")

MIN_WORDS = 3  # a unit of fewer words is not a claim
MIN_CLAUSE_WORDS = 4  # each side of a clause split must have at least this many words


def _trim(text: str, start: int, end: int, trailing=_EDGE) -> Span | None:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in trailing:
        end -= 1
    return Span(start, end) if start < end else None


def _words(text: str, start: int, end: int) -> int:
    # Word count from the spaces between words: str.count runs at C speed.
    return text.count(" ", start, end) + 1


def _is_abbreviation(text: str, line_start: int, dot: int, term: str, after: int, line_end: int):
    """Is the full stop at ``dot`` part of an abbreviation rather than a sentence end?"""
    if term != ".":
        return False
    m = TOKEN_BEFORE.search(text, max(line_start, dot - 24), dot)
    if not m:
        return False
    token = OPENERS.sub("", m.group(1)).lower()
    if ARABIC_INITIALS.fullmatch(token):
        # Arabic titles abbreviated to a letter: "د. سعد" (Dr.), "م." (Eng.), "أ.د." (Prof. Dr.)
        return True
    nxt = NEXT_WORD.match(text, after, line_end)
    next_word = nxt.group(1) if nxt else ""
    if next_word[:1].islower() and next_word[:1].isascii():
        # "approx. five", "e.g. the": an English sentence does not start in lower case.
        return True
    if token in lexicon.TITLE_ABBREVIATIONS:
        return True
    if token in lexicon.ACRONYM_ABBREVIATIONS or INITIALS.fullmatch(OPENERS.sub("", m.group(1))):
        # "the U.S. Ambassador" goes on; "from the U.S. The deal..." ends.
        return next_word not in lexicon.SENTENCE_STARTERS
    return False


def _quoted_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if not QUOTE_CHARS.search(text, start, end):
        return []
    return [
        (m.start(), m.end())
        for m in QUOTED.finditer(text, start, end)
        if m.end() - m.start() <= MAX_QUOTE_CHARS
    ]


def _inside_quote(quotes: list[tuple[int, int]], start: int, cut: int) -> bool:
    """Does a sentence end between ``start`` and ``cut`` fall strictly inside a quotation?
    (``quotes`` are sorted and do not overlap.)"""
    i = bisect.bisect_left(quotes, (start, -1)) - 1
    return i >= 0 and quotes[i][0] < start and cut < quotes[i][1]


def _sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans of one line (``text[start:end]`` holds no line break)."""
    spans = []
    quotes = None
    cursor = start
    for m in BOUNDARY.finditer(text, start, end):
        cut = m.end()
        term = m.group()
        if _is_abbreviation(text, start, m.start(), term.rstrip("\"'”’»)]"), cut, end):
            continue
        if quotes is None:
            quotes = _quoted_regions(text, start, end)
        if quotes and _inside_quote(quotes, m.start(), cut):
            continue
        span = _trim(text, cursor, cut)
        if span:
            spans.append(span)
        cursor = cut
    span = _trim(text, cursor, end)
    if span:
        spans.append(span)
    return spans


def _clause_points(text: str, span: Span) -> list[int]:
    """Offsets inside ``span`` where an independent clause begins."""
    points = []
    for m in SEMICOLON.finditer(text, span.start, span.end):
        points.append(m.end())
    if "،" in text[span.start : span.end]:
        for m in ARABIC_AND.finditer(text, span.start, span.end):
            word = DIACRITICS.sub("", m.group(1))
            if lexicon.is_arabic_past_verb(word):
                points.append(m.start() + 1)
    return sorted(points)


def _clauses(text: str, span: Span) -> list[Span]:
    points = _clause_points(text, span)
    if not points:
        return [span]
    pieces = []
    cursor = span.start
    # Spaces counted incrementally (linear in the sentence, however many clause points).
    total = text.count(" ", span.start, span.end)
    seen = seen_at_cursor = 0
    last = span.start
    for point in points:
        seen += text.count(" ", last, point)
        last = point
        # Both sides must stand alone; otherwise keep the clause with what follows.
        if seen - seen_at_cursor + 1 >= MIN_CLAUSE_WORDS and total - seen + 1 >= MIN_CLAUSE_WORDS:
            piece = _trim(text, cursor, point, _TRAILING_CLAUSE_PUNCT)
            if piece:
                pieces.append(piece)
            cursor = point
            seen_at_cursor = seen
    last_piece = _trim(text, cursor, span.end)
    if last_piece:
        pieces.append(last_piece)
    return pieces


def _is_unit(text: str, span: Span) -> bool:
    if _words(text, span.start, span.end) < MIN_WORDS:
        return False
    return WORD_CHARS.search(text, span.start, span.end) is not None


def segment(text: str) -> list[Span]:
    """Claim-sized spans of ``text`` in order, non-overlapping, trimmed."""
    spans: list[Span] = []
    for line in LINE.finditer(text):
        start, end = line.span()
        bullet = BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        for sentence in _sentences(text, start, end):
            for clause in _clauses(text, sentence):
                if _is_unit(text, clause):
                    spans.append(clause)
    return spans


def sentences(text: str) -> list[Span]:
    """Sentence spans without the clause split or the minimum length (for other uses, e.g.
    picking passages from a source)."""
    out: list[Span] = []
    for line in LINE.finditer(text):
        start, end = line.span()
        bullet = BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        out.extend(_sentences(text, start, end))
    return out
