"""Ranking documents and passages against a claim. Pure functions, no database.

A document's score combines:
- BM25 (``bm25s``) over normalised, stop-worded, lightly stemmed terms (``sources.text``),
  relative to the best candidate;
- weighted coverage: the share of the query's terms (IDF-weighted) the document contains,
  plus the share of its adjacent term pairs (phrases);
- number overlap (``400``, ``2022``: Arabic-Indic digits normalised) and name overlap
  (Latin names and codes such as ``F-35`` connect an Arabic claim to English sources).

``rank_documents`` is what the library provider re-ranks with, and what the quality
benchmark evaluates on labelled claim-matching data.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

import bm25s
import numpy as np

from sources import text as textmod

# Weights of the components; those a query lacks (no numbers, no names) are redistributed.
# Chosen on the CheckThat! claim-matching training splits (MAP@5 ar 0.883, en 0.825).
W_BM25 = 0.70
W_COVERAGE = 0.15
W_PHRASE = 0.05
W_NUMBERS = 0.05
W_NAMES = 0.05


@dataclass(frozen=True)
class AnalyzedQuery:
    terms: list[str]  # unique stems, in order
    bigrams: set[tuple[str, str]]
    numbers: set[str]
    name_terms: set[str]

    @property
    def empty(self) -> bool:
        return not self.terms


def analyze_query(query_text: str) -> AnalyzedQuery:
    stems = textmod.analyze(query_text)
    unique = list(dict.fromkeys(stems))
    numbers = {
        textmod.number_value(t) for t in textmod.tokenize(query_text) if textmod.is_number(t)
    }
    name_terms = {
        textmod.stem(tok)
        for name in textmod.extract_names(query_text)
        for tok in textmod.tokenize(name)
        if not textmod.is_stop(tok)
    }
    return AnalyzedQuery(
        terms=unique,
        bigrams=set(zip(stems, stems[1:], strict=False)),
        numbers=numbers,
        name_terms=name_terms,
    )


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class Corpus:
    """Analysed documents with what scoring needs, built once and reused across queries."""

    def __init__(self, doc_terms: list[list[str]]):
        self.doc_terms = doc_terms
        self.sets = [set(terms) for terms in doc_terms]
        self._pairs: list[set[tuple[str, str]]] | None = None
        self._retriever = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.doc_terms)

    def pairs(self, index: int) -> set[tuple[str, str]]:
        if self._pairs is None:
            self._pairs = [set(zip(t, t[1:], strict=False)) for t in self.doc_terms]
        return self._pairs[index]

    def bm25(self, terms: list[str]) -> np.ndarray:
        with self._lock:
            if self._retriever is None:
                retriever = bm25s.BM25()
                retriever.index([t or ["\u2205"] for t in self.doc_terms], show_progress=False)
                self._retriever = retriever
        return np.asarray(self._retriever.get_scores(terms), dtype=float)


def score_documents(query: AnalyzedQuery, doc_terms: list[list[str]] | Corpus) -> list[float]:
    """Scores in 0..1 of each analysed document for the query (0 when nothing matches)."""
    corpus = doc_terms if isinstance(doc_terms, Corpus) else Corpus(doc_terms)
    n = len(corpus)
    if n == 0 or query.empty:
        return [0.0] * n
    df = Counter()
    for terms in corpus.sets:
        df.update(t for t in query.terms if t in terms)
    idf = {t: _idf(df[t], n) for t in query.terms}
    # Terms found in no candidate still count in the denominator: a document that matches
    # half of the claim is half a match, whatever the others do.
    total_idf = sum(max(idf[t], 1e-6) for t in query.terms)
    known = [t for t in query.terms if df[t]]
    if not known:
        return [0.0] * n
    bm25_scores = corpus.bm25(known)
    top = float(bm25_scores.max())

    weights = {"bm25": W_BM25, "coverage": W_COVERAGE, "phrase": W_PHRASE}
    if query.numbers:
        weights["numbers"] = W_NUMBERS
    if query.name_terms:
        weights["names"] = W_NAMES
    if not query.bigrams:
        weights.pop("phrase")
    scale = 1.0 / sum(weights.values())

    scores = [0.0] * n
    for index, present in enumerate(corpus.sets):
        coverage = sum(max(idf[t], 1e-6) for t in known if t in present) / total_idf
        if coverage <= 0:
            continue
        parts = {
            "bm25": float(bm25_scores[index]) / top if top > 0 else 0.0,
            "coverage": coverage,
        }
        if "phrase" in weights:
            parts["phrase"] = len(query.bigrams & corpus.pairs(index)) / len(query.bigrams)
        if "numbers" in weights:
            parts["numbers"] = len(query.numbers & present) / len(query.numbers)
        if "names" in weights:
            parts["names"] = len(query.name_terms & present) / len(query.name_terms)
        score = scale * sum(weights[key] * parts[key] for key in weights)
        scores[index] = round(min(1.0, max(0.0, score)), 6)
    return scores


_corpus_cache: dict = {}
_corpus_lock = threading.Lock()


def corpus_for(documents: list[str]) -> Corpus:
    """The analysed corpus of ``documents``; the last one is kept, so ranking many queries
    against the same documents (a benchmark, a library re-rank) analyses them once."""
    key = (len(documents), hash(tuple(documents)))
    with _corpus_lock:
        cached = _corpus_cache.get(key)
    if cached is not None:
        return cached
    corpus = Corpus([textmod.analyze(doc) for doc in documents])
    with _corpus_lock:
        _corpus_cache.clear()
        _corpus_cache[key] = corpus
    return corpus


def rank_documents(
    query_text: str, documents: list[str], language: str = "", top_k: int = 10
) -> list[tuple[int, float]]:
    """Rank ``documents`` for ``query_text``: [(index, score 0..1)], best first, top_k at most.

    Documents that share no term with the query are left out. ``language`` is accepted for
    the interface (analysis detects Arabic and English by script, token by token).
    """
    query = analyze_query(query_text)
    scores = score_documents(query, corpus_for(documents))
    ranked = sorted(
        ((i, s) for i, s in enumerate(scores) if s > 0), key=lambda item: (-item[1], item[0])
    )
    return ranked[: max(0, top_k)]


# --- Passages ------------------------------------------------------------------------------

# A sentence ends at . ! ? ؟ … (or a line break) followed by space; the text between is kept.
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])[\"'”»)]*\s+|\n+")
MAX_PASSAGE_CHARS = 700
MAX_PASSAGES = 600


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed."""
    spans = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    out = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def split_passages(text: str, *, window: int = 2) -> list[Passage]:
    """Overlapping windows of ``window`` sentences (one when a sentence is long), with offsets.

    ``text[p.start:p.end] == p.text`` for every passage.
    """
    sentences = split_sentences(text)
    passages: list[Passage] = []
    seen: set[tuple[int, int]] = set()
    for index in range(len(sentences)):
        start = sentences[index][0]
        end = sentences[index][1]
        for extra in range(1, window):
            if index + extra >= len(sentences):
                break
            candidate = sentences[index + extra][1]
            if candidate - start > MAX_PASSAGE_CHARS:
                break
            end = candidate
        if end - start > MAX_PASSAGE_CHARS * 2:
            end = start + MAX_PASSAGE_CHARS * 2
        if (start, end) not in seen:
            seen.add((start, end))
            passages.append(Passage(start, end, text[start:end]))
        if len(passages) >= MAX_PASSAGES:
            break
    return passages


def best_passage(claim_text: str, text: str) -> tuple[Passage, float] | None:
    """The passage of ``text`` that bears most on the claim, with its score (0..1).

    None when no passage shares a term with the claim.
    """
    passages = split_passages(text)
    if not passages:
        return None
    query = analyze_query(claim_text)
    scores = score_documents(query, [textmod.analyze(p.text) for p in passages])
    best = max(range(len(passages)), key=lambda i: (scores[i], -i))
    if scores[best] <= 0:
        return None
    passage = passages[best]
    return passage, evidence_score(query, passage.text)


def evidence_score(query: AnalyzedQuery | str, passage: str) -> float:
    """An absolute relevance score 0..1 for one passage, comparable across sources.

    Unlike ``score_documents`` (relative to the other candidates), this does not depend on
    which other passages exist: the share of the claim's terms, numbers and names present.
    """
    if isinstance(query, str):
        query = analyze_query(query)
    if query.empty:
        return 0.0
    terms = textmod.analyze(passage)
    present = set(terms)
    weights = {"coverage": 0.7}
    parts = {"coverage": sum(1 for t in query.terms if t in present) / len(query.terms)}
    if query.bigrams:
        pairs = set(zip(terms, terms[1:], strict=False))
        weights["phrase"] = 0.1
        parts["phrase"] = len(query.bigrams & pairs) / len(query.bigrams)
    if query.numbers:
        weights["numbers"] = 0.1
        parts["numbers"] = len(query.numbers & present) / len(query.numbers)
    if query.name_terms:
        weights["names"] = 0.1
        parts["names"] = len(query.name_terms & present) / len(query.name_terms)
    total = sum(weights.values())
    return round(sum(weights[k] * parts[k] for k in weights) / total, 4)


# --- Near duplicates -----------------------------------------------------------------------


def shingles(text: str, k: int = 3) -> set[tuple[str, ...]]:
    terms = textmod.analyze(text)
    if len(terms) < k:
        return {tuple(terms)} if terms else set()
    return {tuple(terms[i : i + k]) for i in range(len(terms) - k + 1)}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def near_duplicates(a: str, b: str, *, threshold: float = 0.8) -> bool:
    """Whether two texts (title + passage) are near-identical (shingle Jaccard)."""
    return jaccard(shingles(a), shingles(b)) >= threshold
