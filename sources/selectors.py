"""Reads of sources, evidence, fetch jobs and the library index (joins live here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from sources import text as textmod
from sources.models import Evidence, FactCheck, FetchJob, Source
from sources.providers.base import Hit

# --- Library full-text search ------------------------------------------------------------
FTS_TABLE = "sources_library_fts"
# PostgreSQL: the same expression in the GIN index (migration 0002) and in the queries, so
# the index is used. Arabic letters normalised like sources.text.normalize.
PG_FROM = "أإآٱؤئىة٠١٢٣٤٥٦٧٨٩" + "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670\u0640"
PG_TO = "ااااوييه0123456789"
PG_SOURCE_VECTOR = (
    "to_tsvector('simple'::regconfig, translate(lower(left(coalesce(title, '') || ' ' || "
    f"coalesce(text, ''), 200000)), '{PG_FROM}', '{PG_TO}'))"
)
PG_FACTCHECK_VECTOR = (
    "to_tsvector('simple'::regconfig, translate(lower(left(coalesce(claim_text, '') || ' ' || "
    f"coalesce(title, ''), 200000)), '{PG_FROM}', '{PG_TO}'))"
)
DOCUMENT_CHARS = 20_000


@dataclass
class LibraryCandidate:
    kind: str  # "source" or "factcheck"
    id: int
    document: str  # what the ranking reads
    hit_fields: dict

    def to_hit(self) -> Hit:
        return Hit(**self.hit_fields)


def library_document_terms(text: str) -> str:
    """What the SQLite FTS index stores for a text: its analysed terms (normalised, stemmed)."""
    return " ".join(textmod.analyze(text))


def _query_terms(query_text: str) -> list[str]:
    terms = []
    for token in textmod.tokenize(query_text):
        if textmod.is_stop(token):
            continue
        terms.append(token)
        stemmed = textmod.stem(token)
        if stemmed != token:
            terms.append(stemmed)
    return list(dict.fromkeys(terms))[:64]


def library_candidates(*, query_text: str, limit: int = 200) -> list[LibraryCandidate]:
    """Stored sources with text and earlier fact-checks matching any term of the query."""
    if connection.vendor == "postgresql":
        ids = _pg_candidate_ids(query_text, limit)
    elif connection.vendor == "sqlite":
        ids = _sqlite_candidate_ids(query_text, limit)
    else:  # pragma: no cover - other databases are not supported
        ids = {"source": [], "factcheck": []}
    candidates = []
    sources = Source.objects.in_bulk(ids["source"])
    for pk in ids["source"]:
        source = sources.get(pk)
        if source is None or not source.text:
            continue
        candidates.append(
            LibraryCandidate(
                kind="source",
                id=source.pk,
                document=f"{source.title}\n{source.text[:DOCUMENT_CHARS]}",
                hit_fields={
                    "url": source.url or "",
                    "title": source.title,
                    "snippet": source.snippet,
                    "text": source.text,
                    "language": source.language,
                    "publisher": source.publisher,
                    "domain": source.domain,
                    "published_at": source.published_at,
                    "extra": {"source_id": source.pk},
                },
            )
        )
    factchecks = FactCheck.objects.in_bulk(ids["factcheck"])
    for pk in ids["factcheck"]:
        fc = factchecks.get(pk)
        if fc is None:
            continue
        candidates.append(
            LibraryCandidate(
                kind="factcheck",
                id=fc.pk,
                document=f"{fc.claim_text}\n{fc.title}",
                hit_fields={
                    "url": fc.url,
                    "title": fc.title,
                    "language": fc.language,
                    "publisher": fc.publisher_name,
                    "domain": fc.publisher_site,
                    "published_at": fc.review_date,
                    "is_factcheck": True,
                    "rating": fc.rating,
                    "claim_text": fc.claim_text,
                    "claimant": fc.claimant,
                    "extra": {"factcheck_id": fc.pk},
                },
            )
        )
    return candidates


def _pg_candidate_ids(query_text: str, limit: int) -> dict[str, list[int]]:
    terms = [t.lstrip("-").replace('"', "") for t in _query_terms(query_text)]
    terms = [t for t in terms if t and t.lower() != "or"]
    if not terms:
        return {"source": [], "factcheck": []}
    websearch = " or ".join(terms)
    out = {}
    with connection.cursor() as cursor:
        for kind, table, vector, extra in (
            ("source", Source._meta.db_table, PG_SOURCE_VECTOR, "AND text <> ''"),
            ("factcheck", FactCheck._meta.db_table, PG_FACTCHECK_VECTOR, ""),
        ):
            cursor.execute(
                f"SELECT id FROM {table}, websearch_to_tsquery('simple', %s) AS q "
                f"WHERE {vector} @@ q {extra} "
                f"ORDER BY ts_rank_cd({vector}, q) DESC, id LIMIT %s",
                [textmod.normalize(websearch), limit],
            )
            out[kind] = [row[0] for row in cursor.fetchall()]
    return out


def _fts_match_expression(query_text: str) -> str:
    terms = list(dict.fromkeys(textmod.analyze(query_text)))[:64]
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _sqlite_candidate_ids(query_text: str, limit: int) -> dict[str, list[int]]:
    match = _fts_match_expression(query_text)
    out: dict[str, list[int]] = {"source": [], "factcheck": []}
    if not match:
        return out
    with connection.cursor() as cursor:
        for kind in ("source", "factcheck"):
            cursor.execute(
                f"SELECT ref_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND kind = %s "
                f"ORDER BY bm25({FTS_TABLE}) LIMIT %s",
                [f"body : ({match})", kind, limit],
            )
            out[kind] = [int(row[0]) for row in cursor.fetchall()]
    return out


def library_index_missing() -> dict[str, list[int]]:
    """SQLite: ids of rows not yet in the FTS index (imports that bypassed the services)."""
    if connection.vendor != "sqlite":
        return {"source": [], "factcheck": []}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, COUNT(*) FROM {FTS_TABLE} GROUP BY kind")
        counts = dict(cursor.fetchall())
    out = {"source": [], "factcheck": []}
    if counts.get("source", 0) != Source.objects.exclude(text="").count():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ref_id FROM {FTS_TABLE} WHERE kind = 'source'")
            indexed = {int(r[0]) for r in cursor.fetchall()}
        out["source"] = [
            pk
            for pk in Source.objects.exclude(text="").values_list("pk", flat=True)
            if pk not in indexed
        ]
    if counts.get("factcheck", 0) != FactCheck.objects.count():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ref_id FROM {FTS_TABLE} WHERE kind = 'factcheck'")
            indexed = {int(r[0]) for r in cursor.fetchall()}
        out["factcheck"] = [
            pk for pk in FactCheck.objects.values_list("pk", flat=True) if pk not in indexed
        ]
    return out


# --- Evidence and jobs -------------------------------------------------------------------


def evidence_for_claim(*, claim) -> QuerySet[Evidence]:
    """The claim's evidence, best first, with its source (and labeller) joined."""
    return (
        Evidence.objects.filter(claim=claim)
        .select_related("source", "stance_by")
        .order_by("-score", "id")
    )


def jobs_for_claim(*, claim) -> QuerySet[FetchJob]:
    """Search jobs of the claim and the page fetches it waits on."""
    return (
        FetchJob.objects.filter(Q(claim=claim) | Q(waiting_claims=claim))
        .distinct()
        .select_related("source")
        .order_by("kind", "provider", "created_at")
    )


def jobs_for_claims(*, claim_ids) -> QuerySet[FetchJob]:
    return FetchJob.objects.filter(
        Q(claim_id__in=claim_ids) | Q(waiting_claims__in=claim_ids)
    ).distinct()


def job_summary(*, article=None, claim_ids=None) -> dict:
    """Counts of jobs by status and by provider (for an article, some claims, or all).

    ``{"total", "finished", "done", "by_status": {status: n},
    "by_provider": {name: {"jobs", "finished", "succeeded", "failed", "hits"}}}``
    """
    jobs = FetchJob.objects.all()
    if claim_ids is not None:
        jobs = jobs_for_claims(claim_ids=claim_ids)
    elif article is not None:
        jobs = FetchJob.objects.filter(
            Q(article=article) | Q(waiting_claims__article=article)
        ).distinct()
    rows = (
        FetchJob.objects.filter(pk__in=jobs.values("pk"))
        .values("provider", "status", "kind")
        .annotate(n=Count("id"))
    )
    hits = defaultdict(int)
    for row in FetchJob.objects.filter(pk__in=jobs.values("pk"), kind=FetchJob.Kind.SEARCH).values(
        "provider", "hits"
    ):
        hits[row["provider"]] += row["hits"]
    by_status: dict[str, int] = defaultdict(int)
    by_provider: dict[str, dict] = {}
    for row in rows:
        name = row["provider"] if row["kind"] == FetchJob.Kind.SEARCH else "page"
        stats = by_provider.setdefault(
            name, {"jobs": 0, "finished": 0, "succeeded": 0, "failed": 0, "hits": 0}
        )
        stats["jobs"] += row["n"]
        by_status[row["status"]] += row["n"]
        if row["status"] in FetchJob.FINAL_STATUSES:
            stats["finished"] += row["n"]
        if row["status"] == FetchJob.Status.SUCCEEDED:
            stats["succeeded"] += row["n"]
        if row["status"] == FetchJob.Status.FAILED:
            stats["failed"] += row["n"]
    for name, n in hits.items():
        if name in by_provider:
            by_provider[name]["hits"] = n
    total = sum(by_status.values())
    finished = sum(by_status.get(s, 0) for s in FetchJob.FINAL_STATUSES)
    return {
        "total": total,
        "finished": finished,
        "done": total == finished,
        "by_status": dict(by_status),
        "by_provider": by_provider,
    }
