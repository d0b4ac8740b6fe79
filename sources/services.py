"""Every write to sources, evidence and fetch jobs.

Jobs survive crashes: one FetchJob row per unit of work with a unique key (claim × provider
search; one page fetch per canonical URL, shared by every claim waiting on it). A worker
claims a job with a conditional UPDATE that sets a lease; results are upserts on unique
keys, so running a job twice changes nothing; a periodic sweep re-enqueues lost messages and
expired leases. The broker only carries ids.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import socket
import threading
import uuid
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from claims.errors import InvalidInput, InvalidState, NotAllowed
from claims.models import Claim
from sources import ranking
from sources import text as textmod
from sources.canonical import canonical_url
from sources.fetching import BlockedURLError, FetchError, check_url, fetch, resolve_checked
from sources.models import (
    FACTCHECK_DATA_FIELDS,
    Evidence,
    FactCheck,
    FactCheckMatch,
    FetchJob,
    Source,
)
from sources.pages import ACCEPTED_TYPES, PageError, PageText, extract_document
from sources.providers import ProviderNotConfigured, UnknownProvider, get_provider
from sources.providers.base import Hit, ProviderError, Query
from sources.robots import robots_decision

logger = logging.getLogger(__name__)

# How many result pages of one search are fetched (the rest keep their snippet).
PAGES_PER_SEARCH = 5
RETRY_BASE_SECONDS = 2.0
RETRY_MAX_SECONDS = 600.0
REVIEWER_PROVIDER = "reviewer"
UPLOAD_PROVIDER = "upload"
PAGE_PROVIDER = "page"
ACTIVE_STATUSES = (FetchJob.Status.QUEUED, FetchJob.Status.RUNNING, FetchJob.Status.RETRYING)


class RobotsDisallowed(FetchError):
    transient = False


def _robots_check(url: str) -> None:
    """Raise unless robots.txt lets us fetch ``url``; an unreachable robots.txt (5xx,
    timeout) is transient (RFC 9309: do not crawl yet), a disallow is permanent."""
    decision = robots_decision(url, settings.SOURCES_USER_AGENT, transport=_transport())
    if decision.allowed:
        return
    if decision.transient:
        raise FetchError(decision.reason, transient=True)
    raise RobotsDisallowed(f"{decision.reason}: {url}")


_ssl_context = None
_ssl_lock = threading.Lock()


def _transport():
    """An HTTP transport sharing one TLS context: building a context loads the CA bundle
    (~30 ms of CPU each time), which would otherwise be paid on every page fetch."""
    import httpx

    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context()
    return httpx.HTTPTransport(verify=_ssl_context)


def _http_timeout() -> float:
    return float(settings.SOURCES_HTTP_TIMEOUT)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def search_job_key(provider: str, claim_id: int) -> str:
    return f"search:{provider}:claim:{claim_id}"


def page_job_key(url: str) -> str:
    return "fetch:" + _sha256(url)


def claim_query(claim: Claim) -> textmod.QueryParts:
    return textmod.build_query(claim.review_text, language=claim.language)


# --- Enqueueing ----------------------------------------------------------------------------


def _send(job_ids: list[int], countdown: float | None = None) -> None:
    """Send task messages (after commit). A broker that is down is logged, never raised:
    the jobs stay queued in the database and the sweep sends them later."""
    from sources.tasks import run_fetch_job
    from workbench.broker import broker_available

    if not broker_available():
        return
    sent = []
    for job_id in job_ids:
        try:
            run_fetch_job.apply_async(args=[job_id], countdown=countdown, retry=False)
        except Exception as exc:  # kombu/redis raise many types; the sweep recovers them all
            logger.warning(
                "Could not enqueue fetch job %s (%s: %s); it and the %s after it wait for "
                "the sweep.",
                job_id,
                type(exc).__name__,
                exc,
                len(job_ids) - len(sent) - 1,
            )
            break  # the broker went away: each further try would wait as long again
        sent.append(job_id)
    if sent:
        FetchJob.objects.filter(pk__in=sent).update(enqueued_at=timezone.now())


def _enqueue_on_commit(job_ids: list[int], countdown: float | None = None) -> None:
    if job_ids:
        ids = list(job_ids)
        transaction.on_commit(lambda: _send(ids, countdown))


# --- Gathering -----------------------------------------------------------------------------


@transaction.atomic
def sources_gather(
    *, claims: Iterable[Claim], requested_by=None, providers: list[str] | None = None
) -> list[FetchJob]:
    """One search job per claim × provider, enqueued on commit.

    A job that exists and is not finished is reused; a finished one is run again (its
    results are upserts: nothing is duplicated, reviewers' labels are kept).
    """
    enabled = _enabled_provider_names()
    names = list(dict.fromkeys(providers)) if providers is not None else enabled
    unknown = [name for name in names if name not in enabled]
    if unknown:
        raise InvalidInput(
            _("Unknown or disabled source provider: %(names)s.") % {"names": ", ".join(unknown)}
        )
    jobs: list[FetchJob] = []
    to_send: list[int] = []
    for claim in claims:
        query = claim_query(claim)
        for name in names:
            job, created = FetchJob.objects.get_or_create(
                key=search_job_key(name, claim.pk),
                defaults={
                    "kind": FetchJob.Kind.SEARCH,
                    "provider": name,
                    "claim": claim,
                    "article_id": claim.article_id,
                    "query": query.text,
                    "params": {"terms": query.terms, "language": query.language},
                    "max_attempts": settings.SOURCES_JOB_MAX_ATTEMPTS,
                    "requested_by": requested_by,
                },
            )
            if not created and job.is_final:
                _reset_job(job, query=query.text, requested_by=requested_by)
                created = True
            if created:
                to_send.append(job.pk)
            jobs.append(job)
    _enqueue_on_commit(to_send)
    return jobs


def _enabled_provider_names() -> list[str]:
    from sources.providers import enabled_providers

    return [provider.name for provider in enabled_providers()]


def _reset_job(job: FetchJob, *, query: str | None = None, requested_by=None) -> None:
    job.status = FetchJob.Status.QUEUED
    job.attempts = 0
    job.last_error = ""
    job.error_transient = None
    job.next_attempt_at = None
    job.lease_owner = ""
    job.lease_expires_at = None
    job.finished_at = None
    job.max_attempts = settings.SOURCES_JOB_MAX_ATTEMPTS
    fields = [
        "status",
        "attempts",
        "last_error",
        "error_transient",
        "next_attempt_at",
        "lease_owner",
        "lease_expires_at",
        "finished_at",
        "max_attempts",
        "updated_at",
    ]
    if query is not None:
        job.query = query
        fields.append("query")
    if requested_by is not None:
        job.requested_by = requested_by
        fields.append("requested_by")
    job.save(update_fields=fields)


@transaction.atomic
def fetch_job_retry(*, job: FetchJob, user) -> FetchJob:
    """Run a failed (or waiting-to-retry) job again now."""
    if not roles.can_review(user):
        raise NotAllowed(_("Only reviewers can retry source jobs."))
    job = FetchJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (FetchJob.Status.RUNNING, FetchJob.Status.QUEUED):
        raise InvalidState(_("This job is already queued or running."))
    _reset_job(job, requested_by=user)
    _enqueue_on_commit([job.pk])
    return job


# --- Page fetches (shared by every claim that needs the page) -----------------------------


def _request_page(
    *,
    url: str,
    claim: Claim,
    provider: str,
    query: str,
    requested_by=None,
    rerun_failed: bool = False,
) -> FetchJob | None:
    """Ask for ``url`` to be fetched for ``claim`` (inside the caller's transaction).

    One job per canonical URL: a claim added to a job that already succeeded is scored at
    once from the stored snapshot; otherwise it joins the claims waiting on the page.
    """
    key = page_job_key(url)
    job, created = FetchJob.objects.get_or_create(
        key=key,
        defaults={
            "kind": FetchJob.Kind.FETCH_PAGE,
            "provider": PAGE_PROVIDER,
            "url": url,
            "claim": claim,
            "article_id": claim.article_id,
            "max_attempts": settings.SOURCES_JOB_MAX_ATTEMPTS,
            "requested_by": requested_by,
            "params": {"waiters": {}},
        },
    )
    job = FetchJob.objects.select_for_update(of=("self",)).order_by().get(pk=job.pk)
    waiters = dict(job.params.get("waiters") or {})
    waiters[str(claim.pk)] = {"provider": provider, "query": query}
    job.params = dict(job.params, waiters=waiters)
    job.save(update_fields=["params", "updated_at"])
    job.waiting_claims.add(claim)
    if created:
        _enqueue_on_commit([job.pk])
    elif job.status == FetchJob.Status.SUCCEEDED:
        if job.source_id:
            source = Source.objects.get(pk=job.source_id)
            if source.text:
                _score_waiter(source=source, claim_id=claim.pk, provider=provider, query=query)
    elif job.status == FetchJob.Status.FAILED and rerun_failed:
        _reset_job(job, requested_by=requested_by)
        _enqueue_on_commit([job.pk])
    return job


@transaction.atomic
def source_add_url(*, claim: Claim, url: str, user) -> FetchJob:
    """A reviewer's URL for a claim: checked now, fetched and scored in the background."""
    if not roles.can_review(user):
        raise NotAllowed(_("Only reviewers can add sources."))
    url = (url or "").strip()
    if len(url) > 2048:
        raise InvalidInput(_("The URL is too long (2048 characters at most)."))
    try:
        _scheme, host, port = check_url(url)
        resolve_checked(host, port)
    except BlockedURLError as exc:
        raise InvalidInput(str(exc)) from None
    except FetchError:
        pass  # a name that does not resolve now may later: the job retries and reports it
    canonical = canonical_url(url)
    source, _created = Source.objects.get_or_create(
        url=canonical,
        defaults={
            "domain": urlsplit(canonical).hostname or "",
            "origin": Source.Origin.REVIEWER_URL,
            "added_by": user,
        },
    )
    query = claim_query(claim).text
    job = _request_page(
        url=canonical,
        claim=claim,
        provider=REVIEWER_PROVIDER,
        query=query,
        requested_by=user,
        rerun_failed=True,
    )
    if job.source_id is None:
        FetchJob.objects.filter(pk=job.pk).update(source=source)
        job.source = source
    return job


@transaction.atomic
def source_upload(
    *, claim: Claim, user, data: bytes, filename: str, content_type: str = ""
) -> Evidence:
    """A document the reviewer holds (PDF, HTML, text): stored as a snapshot and scored."""
    if not roles.can_review(user):
        raise NotAllowed(_("Only reviewers can upload sources."))
    if len(data) > settings.SOURCES_MAX_PAGE_BYTES:
        raise InvalidInput(
            _("The file is too large (%(limit)s bytes at most).")
            % {"limit": f"{settings.SOURCES_MAX_PAGE_BYTES:,}"}
        )
    try:
        page = extract_document(data, content_type=content_type, filename=filename)
    except PageError as exc:
        raise InvalidInput(str(exc)) from None
    text_hash = _sha256(page.text)
    source = Source.objects.filter(origin=Source.Origin.UPLOAD, text_hash=text_hash).first()
    if source is None:
        source = Source.objects.create(
            url=None,
            title=page.title or filename[:1000],
            publisher=page.publisher,
            language=page.language or textmod.detect_language(page.text),
            published_at=page.published_at,
            text=page.text,
            text_hash=text_hash,
            content_type=page.content_type,
            fetch_status=Source.FetchStatus.FETCHED,
            fetched_at=timezone.now(),
            origin=Source.Origin.UPLOAD,
            filename=filename[:255],
            added_by=user,
        )
        library_index_source(source=source)
    query = claim_query(claim).text
    evidence = _score_waiter(
        source=source, claim_id=claim.pk, provider=UPLOAD_PROVIDER, query=query, keep_zero=True
    )
    return evidence


# --- Evidence ------------------------------------------------------------------------------


def _score_waiter(
    *,
    source: Source,
    claim_id: int,
    provider: str,
    query: str,
    keep_zero: bool = False,
    claim: Claim | None = None,
) -> Evidence | None:
    """Score the best passage of ``source`` for a claim and upsert the evidence."""
    if claim is None:
        claim = Claim.objects.filter(pk=claim_id).order_by().first()
    if claim is None:
        return None
    found = ranking.best_passage(claim.review_text, source.text)
    if found is None:
        if not keep_zero:
            return None
        passages = ranking.split_passages(source.text)
        if not passages:
            return None
        passage, score = passages[0], 0.0
    else:
        passage, score = found
    return evidence_upsert(
        claim=claim,
        source=source,
        passage_start=passage.start,
        passage_end=passage.end,
        passage=passage.text,
        score=score,
        provider=provider,
        query=query,
    )


@transaction.atomic
def evidence_upsert(
    *,
    claim: Claim,
    source: Source,
    passage_start: int,
    passage_end: int,
    passage: str,
    score: float,
    provider: str,
    query: str,
) -> Evidence | None:
    """Keep one best passage per (claim, source), and one source per near-duplicate group.

    - a labelled evidence row is never changed (the reviewer judged that passage);
    - an existing row for the pair is updated when the new passage scores higher (or is the
      same passage), never duplicated;
    - a near-duplicate of another source already linked to the claim (same text hash, or
      near-identical title and passage) is kept only if it scores higher; the weaker
      unlabelled duplicate is removed.
    Returns the row that represents this source for the claim (None when a better
    duplicate already does).
    """
    # Serialise evidence writes per claim (page jobs for the same claim run concurrently).
    # (of=self, no ordering: Claim's default ordering would join and lock the article row.)
    list(
        Claim.objects.select_for_update(of=("self",))
        .filter(pk=claim.pk)
        .order_by()
        .values_list("pk", flat=True)
    )
    score = round(max(0.0, min(1.0, float(score))), 4)
    existing = Evidence.objects.filter(claim=claim, source=source).order_by("-score").first()
    if existing is not None:
        if existing.stance:
            return existing
        same_passage = (existing.passage_start, existing.passage_end) == (
            passage_start,
            passage_end,
        )
        was_snippet = existing.passage_end == 0 and passage_end > 0
        if was_snippet or score > existing.score or (same_passage and score != existing.score):
            existing.passage_start = passage_start
            existing.passage_end = passage_end
            existing.passage = passage
            existing.score = score
            existing.provider = provider
            existing.query = query
            existing.save()
        return existing

    signature = f"{source.title}\n{passage}"
    others = (
        Evidence.objects.filter(claim=claim)
        .exclude(source=source)
        .select_related("source")
        .only("pk", "score", "stance", "passage", "source__title", "source__text_hash")
    )
    for other in others:
        same_text = bool(source.text_hash) and other.source.text_hash == source.text_hash
        if not same_text and not ranking.near_duplicates(
            signature, f"{other.source.title}\n{other.passage}"
        ):
            continue
        # A labelled or cited row is the reviewers' work: it stays, and so does its source.
        if other.score >= score or other.stance or other.cited_by.exists():
            return None
        other.delete()
    try:
        with transaction.atomic():
            return Evidence.objects.create(
                claim=claim,
                source=source,
                passage_start=passage_start,
                passage_end=passage_end,
                passage=passage,
                score=score,
                provider=provider,
                query=query,
            )
    except IntegrityError:
        return Evidence.objects.filter(claim=claim, source=source).first()


# --- Sources and fact-checks from provider hits --------------------------------------------


@transaction.atomic
def _source_from_hit(hit: Hit) -> Source | None:
    source_id = (hit.extra or {}).get("source_id")
    if source_id:
        return Source.objects.filter(pk=source_id).first()
    if not hit.url:
        return None
    try:
        check_url(hit.url)
    except BlockedURLError:
        logger.info("Ignoring a hit with an unusable URL: %r", hit.url)
        return None
    url = canonical_url(hit.url)
    if len(url) > 2048:
        return None
    defaults = {
        "title": (hit.title or "")[:1000],
        "publisher": (hit.publisher or "")[:300],
        "domain": (hit.domain or urlsplit(url).hostname or "")[:255],
        "language": (hit.language or "")[:16],
        "published_at": hit.published_at,
        "snippet": hit.snippet or "",
        "origin": Source.Origin.PROVIDER,
    }
    try:
        with transaction.atomic():
            source, created = Source.objects.get_or_create(url=url, defaults=defaults)
    except IntegrityError:
        source, created = Source.objects.get(url=url), False
    changed = []
    if not created:
        for field_name in ("title", "publisher", "language", "snippet"):
            if not getattr(source, field_name) and defaults[field_name]:
                setattr(source, field_name, defaults[field_name])
                changed.append(field_name)
        if source.published_at is None and hit.published_at:
            source.published_at = hit.published_at
            changed.append("published_at")
    if hit.text and not source.text:
        text = hit.text.strip()
        source.text = text
        source.text_hash = _sha256(text)
        source.fetched_at = timezone.now()
        source.fetch_status = Source.FetchStatus.FETCHED
        source.content_type = "text/plain"
        changed += ["text", "text_hash", "fetched_at", "fetch_status", "content_type"]
    if changed:
        source.save(update_fields=[*changed, "updated_at"])
        if "text" in changed or "title" in changed:
            library_index_source(source=source)
    return source


@transaction.atomic
def _factcheck_from_hit(hit: Hit) -> FactCheck | None:
    factcheck_id = (hit.extra or {}).get("factcheck_id")
    if factcheck_id:
        factcheck = FactCheck.objects.filter(pk=factcheck_id).first()
    else:
        factcheck = None
    if factcheck is None:
        if not hit.url:
            return None
        try:
            url = canonical_url(hit.url)
        except ValueError:
            logger.info("Ignoring a fact-check hit with an unusable URL: %r", hit.url)
            return None
        defaults = {
            "claim_text": hit.claim_text or hit.title or hit.snippet or "",
            "claimant": (hit.claimant or "")[:300],
            "rating": (hit.rating or "")[:300],
            "publisher_name": (hit.publisher or "")[:300],
            "publisher_site": (hit.domain or urlsplit(url).hostname or "")[:255],
            "title": (hit.title or "")[:1000],
            "language": (hit.language or "")[:16],
            "review_date": hit.published_at,
            "origin": FactCheck.Origin.FACTCHECK_API,
            "raw": hit.extra or {},
        }
        try:
            with transaction.atomic():
                factcheck, created = FactCheck.objects.get_or_create(url=url, defaults=defaults)
        except IntegrityError:
            factcheck, created = FactCheck.objects.get(url=url), False
        if created:
            library_index_factcheck(factcheck=factcheck)
    return factcheck


def _factcheck_match(factcheck: FactCheck, *, claim: Claim, provider: str, query: str) -> None:
    score = ranking.evidence_score(claim.review_text, factcheck.claim_text)
    try:
        with transaction.atomic():
            match, created = FactCheckMatch.objects.get_or_create(
                claim=claim,
                factcheck=factcheck,
                defaults={"score": score, "provider": provider, "query": query},
            )
    except IntegrityError:
        match, created = FactCheckMatch.objects.get(claim=claim, factcheck=factcheck), False
    if not created and score > match.score:
        FactCheckMatch.objects.filter(pk=match.pk).update(score=score, provider=provider)


def search_results_store(*, job: FetchJob, hits: list[Hit], claim: Claim | None = None) -> int:
    """Store a search job's hits: sources (and snapshots when the provider gave the text),
    evidence for the claim, earlier fact-checks, and page fetches for the top results
    without a snapshot. Upserts only: storing the same hits twice changes nothing.

    Three steps, each in short transactions, so that no transaction holding a claim's lock
    waits on rows another job is writing: (1) shared rows (sources, fact-checks), each upsert
    committed on its own; (2) the claim's evidence; (3) page fetch requests, taking the page
    job's lock before the claim's, as page jobs do.
    """
    claim = claim or Claim.objects.get(pk=job.claim_id)
    stored = 0
    sources: list[Source] = []
    factchecks: list[FactCheck] = []
    for hit in hits:
        if hit.is_factcheck:
            factcheck = _factcheck_from_hit(hit)
            if factcheck is not None:
                factchecks.append(factcheck)
                stored += 1
            continue
        source = _source_from_hit(hit)
        if source is not None:
            sources.append(source)
            stored += 1
    to_fetch = _store_evidence(job=job, claim=claim, sources=sources, factchecks=factchecks)
    for source in to_fetch[:PAGES_PER_SEARCH]:
        with transaction.atomic():
            page_job = _request_page(
                url=source.url,
                claim=claim,
                provider=job.provider,
                query=job.query,
                requested_by=job.requested_by,
            )
            if page_job is not None and page_job.source_id is None:
                FetchJob.objects.filter(pk=page_job.pk).update(source=source)
    return stored


@transaction.atomic
def _store_evidence(
    *, job: FetchJob, claim: Claim, sources: list[Source], factchecks: list[FactCheck]
) -> list[Source]:
    for factcheck in factchecks:
        _factcheck_match(factcheck, claim=claim, provider=job.provider, query=job.query)
    to_fetch: list[Source] = []
    for source in sources:
        if source.text:
            _score_waiter(
                source=source,
                claim_id=claim.pk,
                provider=job.provider,
                query=job.query,
                claim=claim,
            )
            continue
        if source.snippet:
            snippet_score = ranking.evidence_score(claim.review_text, source.snippet)
            if snippet_score > 0:
                evidence_upsert(
                    claim=claim,
                    source=source,
                    passage_start=0,
                    passage_end=0,
                    passage=source.snippet,
                    score=snippet_score,
                    provider=job.provider,
                    query=job.query,
                )
        if source.fetch_status == Source.FetchStatus.PENDING and source.url:
            to_fetch.append(source)
    return to_fetch


def _store_page(job: FetchJob, page: PageText, final_url: str) -> Source:
    url = job.url
    source, _created = Source.objects.get_or_create(
        url=url, defaults={"domain": urlsplit(url).hostname or "", "origin": Source.Origin.PROVIDER}
    )
    text_hash = _sha256(page.text)
    changed = []
    # A snapshot already stored is what reviewers saw and what evidence offsets point into:
    # it is kept, never replaced by a later fetch.
    if not source.text:
        source.text = page.text
        source.text_hash = text_hash
        source.fetched_at = timezone.now()
        source.content_type = page.content_type
        changed += ["text", "text_hash", "fetched_at", "content_type"]
    if source.fetch_status != Source.FetchStatus.FETCHED or source.fetch_error:
        source.fetch_status = Source.FetchStatus.FETCHED
        source.fetch_error = ""
        changed += ["fetch_status", "fetch_error"]
    for field_name, value in (
        ("title", page.title),
        ("publisher", page.publisher),
        ("language", page.language or textmod.detect_language(page.text)),
        ("published_at", page.published_at),
    ):
        if value and not getattr(source, field_name):
            setattr(source, field_name, value)
            changed.append(field_name)
    if changed:
        source.save(update_fields=[*changed, "updated_at"])
        library_index_source(source=source)
    return source


def _mark_source_failed(job: FetchJob, message: str, status: str) -> None:
    Source.objects.filter(url=job.url).exclude(fetch_status=Source.FetchStatus.FETCHED).update(
        fetch_status=status, fetch_error=message[:2000], updated_at=timezone.now()
    )


# --- Running jobs --------------------------------------------------------------------------


def lease_owner_id() -> str:
    return f"{socket.gethostname()}:{threading.get_native_id()}:{uuid.uuid4().hex[:8]}"


def fetch_job_claim(*, job_id: int, owner: str) -> bool:
    """Take the job with a conditional UPDATE: only a queued/retrying job that is due, or a
    running job whose lease expired, can be taken; only one caller wins."""
    now = timezone.now()
    lease = timedelta(seconds=settings.SOURCES_JOB_LEASE_SECONDS)
    runnable = (
        Q(status__in=[FetchJob.Status.QUEUED, FetchJob.Status.RETRYING])
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ) | Q(status=FetchJob.Status.RUNNING, lease_expires_at__lt=now)
    taken = (
        FetchJob.objects.filter(pk=job_id)
        .filter(runnable, attempts__lt=F("max_attempts"))
        .update(
            status=FetchJob.Status.RUNNING,
            lease_owner=owner,
            lease_expires_at=now + lease,
            attempts=F("attempts") + 1,
            started_at=now,
            next_attempt_at=None,
            updated_at=now,
        )
    )
    return taken == 1


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter; at least what the service asked for."""
    base = float(getattr(settings, "SOURCES_JOB_RETRY_BASE_SECONDS", RETRY_BASE_SECONDS))
    ceiling = min(RETRY_MAX_SECONDS, base * (2 ** max(0, attempt - 1)))
    delay = random.uniform(ceiling / 2, ceiling)
    if retry_after:
        delay = max(delay, min(float(retry_after), RETRY_MAX_SECONDS))
    return delay


def classify_error(exc: BaseException) -> tuple[bool, float | None]:
    """(transient, retry_after) for an error raised while running a job."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import OperationalError

    if isinstance(exc, ProviderError | FetchError):
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is None and getattr(exc, "status", None) == 429:
            # sources.fetching reports the header in its message: "(Retry-After: 120)".
            match = re.search(r"Retry-After: (\d+)", str(exc))
            retry_after = float(match.group(1)) if match else None
        return bool(exc.transient), retry_after
    if isinstance(exc, SoftTimeLimitExceeded | TimeoutError | ConnectionError | OperationalError):
        return True, None
    return False, None  # PageError, programming errors: retrying will not help


def _finish(job_id: int, owner: str, **fields) -> bool:
    """Write the outcome only while we still hold the lease."""
    now = timezone.now()
    return (
        FetchJob.objects.filter(
            pk=job_id, lease_owner=owner, status=FetchJob.Status.RUNNING
        ).update(lease_owner="", lease_expires_at=None, updated_at=now, **fields)
        == 1
    )


def fetch_job_run(*, job_id: int, owner: str | None = None) -> str | None:
    """Run one job if it can be taken; returns its final status, or None when it was not
    ours to run (already taken, finished, or not due: a duplicate message is a no-op)."""
    owner = owner or lease_owner_id()
    if not fetch_job_claim(job_id=job_id, owner=owner):
        logger.debug("Fetch job %s not taken (finished, running or not due).", job_id)
        return None
    job = FetchJob.objects.get(pk=job_id)
    try:
        if job.kind == FetchJob.Kind.SEARCH:
            hits = _run_search(job)
        else:
            hits = _run_page(job, owner)
    except Exception as exc:  # every failure is recorded on the job, none is lost
        return _fail(job, owner, exc)
    _finish(
        job.pk,
        owner,
        status=FetchJob.Status.SUCCEEDED,
        hits=hits,
        last_error="",
        error_transient=None,
        finished_at=timezone.now(),
    )
    return FetchJob.Status.SUCCEEDED


def _fail(job: FetchJob, owner: str, exc: BaseException) -> str:
    transient, retry_after = classify_error(exc)
    message = f"{type(exc).__name__}: {exc}"[:4000]
    if not isinstance(exc, ProviderError | FetchError | PageError):
        logger.exception("Fetch job %s (%s) failed unexpectedly", job.pk, job.key)
    else:
        logger.info("Fetch job %s (%s) failed: %s", job.pk, job.key, message)
    now = timezone.now()
    if transient and job.attempts < job.max_attempts:
        delay = retry_delay(job.attempts, retry_after)
        if _finish(
            job.pk,
            owner,
            status=FetchJob.Status.RETRYING,
            last_error=message,
            error_transient=True,
            next_attempt_at=now + timedelta(seconds=delay),
        ):
            _send([job.pk], countdown=delay)
        return FetchJob.Status.RETRYING
    _finish(
        job.pk,
        owner,
        status=FetchJob.Status.FAILED,
        last_error=message,
        error_transient=transient,
        finished_at=now,
    )
    if job.kind == FetchJob.Kind.FETCH_PAGE:
        status = (
            Source.FetchStatus.SNIPPET
            if Source.objects.filter(url=job.url).exclude(snippet="").exists()
            else Source.FetchStatus.FAILED
        )
        _mark_source_failed(job, message, status)
    return FetchJob.Status.FAILED


def _run_search(job: FetchJob) -> int:
    try:
        provider = get_provider(job.provider)
    except (ProviderNotConfigured, UnknownProvider) as exc:
        raise ProviderError(str(exc)) from None
    params = job.params or {}
    claim = Claim.objects.get(pk=job.claim_id)
    query = Query(
        text=job.query,
        language=params.get("language") or claim.language,
        terms=list(params.get("terms") or []),
        claim_text=claim.review_text,
    )
    hits = provider.search(query)
    for hit in hits:
        hit.provider = hit.provider or job.provider
    search_results_store(job=job, hits=hits, claim=claim)
    return len(hits)


def _run_page(job: FetchJob, owner: str) -> int:
    _robots_check(job.url)
    page = fetch(job.url, accept_types=ACCEPTED_TYPES, transport=_transport())
    document = extract_document(
        page.content, content_type=page.content_type, charset=page.charset, url=page.url
    )
    return page_results_store(job_id=job.pk, owner=owner, page=document, final_url=page.url)


@transaction.atomic
def page_results_store(*, job_id: int, owner: str, page: PageText, final_url: str = "") -> int:
    """Store the page snapshot and score it for every claim waiting on it.

    The job row is locked so that a claim joining the waiters meanwhile is either seen
    here or (the job having succeeded) scored at once by the one who adds it.
    """
    job = FetchJob.objects.select_for_update(of=("self",)).order_by().get(pk=job_id)
    source = _store_page(job, page, final_url)
    if job.source_id != source.pk:
        FetchJob.objects.filter(pk=job.pk).update(source=source)
    scored = 0
    waiters = job.params.get("waiters") or {}
    claims = Claim.objects.in_bulk([int(claim_id) for claim_id in waiters])
    for claim_id, waiter in sorted(waiters.items(), key=lambda item: int(item[0])):
        if int(claim_id) not in claims:
            continue  # the claim was deleted meanwhile
        evidence = _score_waiter(
            source=source,
            claim=claims[int(claim_id)],
            claim_id=int(claim_id),
            provider=waiter.get("provider", PAGE_PROVIDER),
            query=waiter.get("query", ""),
            keep_zero=waiter.get("provider") == REVIEWER_PROVIDER,
        )
        scored += evidence is not None
    # Succeed inside the same transaction as the waiters were read.
    _finish(
        job.pk,
        owner,
        status=FetchJob.Status.SUCCEEDED,
        hits=scored,
        last_error="",
        error_transient=None,
        finished_at=timezone.now(),
    )
    return scored


def fetch_jobs_sweep(*, now=None) -> dict[str, int]:
    """Re-enqueue jobs whose message was lost (queued/retrying, due, not sent recently) and
    jobs whose worker died (running with an expired lease); fail those out of attempts."""
    now = now or timezone.now()
    grace = timedelta(
        seconds=getattr(settings, "SOURCES_JOB_REENQUEUE_SECONDS", None)
        or settings.SOURCES_JOB_LEASE_SECONDS
    )
    stale = now - grace
    expired = FetchJob.objects.filter(status=FetchJob.Status.RUNNING, lease_expires_at__lt=now)
    exhausted_ids = list(
        expired.filter(attempts__gte=F("max_attempts")).values_list("pk", flat=True)
    )
    failed = 0
    if exhausted_ids:
        failed = FetchJob.objects.filter(
            pk__in=exhausted_ids, status=FetchJob.Status.RUNNING, lease_expires_at__lt=now
        ).update(
            status=FetchJob.Status.FAILED,
            last_error="The worker running this job stopped before finishing, too many times.",
            error_transient=True,
            lease_owner="",
            lease_expires_at=None,
            finished_at=now,
            updated_at=now,
        )
    not_recently_sent = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    lost = FetchJob.objects.filter(
        Q(status__in=[FetchJob.Status.QUEUED, FetchJob.Status.RETRYING])
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & not_recently_sent
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=stale))
    )
    lost_ids = list(lost.values_list("pk", flat=True)[:1000])
    expired_ids = list(
        expired.filter(attempts__lt=F("max_attempts"))
        .filter(not_recently_sent | Q(enqueued_at__lt=F("lease_expires_at")))
        .values_list("pk", flat=True)[:1000]
    )
    ids = lost_ids + expired_ids
    if ids:
        # Clearing next_attempt_at makes a retried job look "sent" from now on.
        FetchJob.objects.filter(pk__in=lost_ids).update(next_attempt_at=None)
        logger.info(
            "Sweep: re-enqueueing %d lost and %d expired fetch jobs.",
            len(lost_ids),
            len(expired_ids),
        )
        _send(ids)
    return {"lost": len(lost_ids), "expired": len(expired_ids), "failed": failed}


# --- The library index (SQLite FTS5; PostgreSQL indexes the columns themselves) ------------


def _fts_write(kind: str, ref_id: int, body: str) -> None:
    from sources.selectors import FTS_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE kind = %s AND ref_id = %s", [kind, ref_id])
        if body:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (kind, ref_id, body) VALUES (%s, %s, %s)",
                [kind, ref_id, body],
            )


def library_index_source(*, source: Source) -> None:
    """Keep the embedded full-text index in step with a source's text (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    from sources.selectors import library_document_terms

    body = library_document_terms(f"{source.title}\n{source.text}") if source.text else ""
    _fts_write("source", source.pk, body)


def library_index_factcheck(*, factcheck: FactCheck) -> None:
    """Keep the embedded full-text index in step with an earlier fact-check (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    from sources.selectors import library_document_terms

    _fts_write(
        "factcheck",
        factcheck.pk,
        library_document_terms(f"{factcheck.claim_text}\n{factcheck.title}"),
    )


@transaction.atomic
def library_index_sync() -> int:
    """Index rows written without the services (e.g. bulk imports). Returns rows indexed."""
    if connection.vendor != "sqlite":
        return 0
    from sources.selectors import library_index_missing

    missing = library_index_missing()
    for source in Source.objects.filter(pk__in=missing["source"]):
        library_index_source(source=source)
    for factcheck in FactCheck.objects.filter(pk__in=missing["factcheck"]):
        library_index_factcheck(factcheck=factcheck)
    return len(missing["source"]) + len(missing["factcheck"])


# --- Reviewer labels -----------------------------------------------------------------------


@transaction.atomic
def evidence_label(*, evidence: Evidence, user, stance: str) -> Evidence:
    """Record the reviewer's stance on one evidence item ('' clears it)."""
    if not roles.can_review(user):
        raise NotAllowed(_("Only reviewers can label evidence."))
    if stance not in Evidence.Stance.values:
        raise InvalidInput(_("Unknown stance: %(stance)s.") % {"stance": stance})
    evidence = Evidence.objects.select_for_update().select_related("claim").get(pk=evidence.pk)
    if evidence.claim.state in (Claim.State.PUBLISHED, Claim.State.SUPERSEDED):
        raise InvalidState(_("Evidence of a published or superseded claim cannot be relabelled."))
    evidence.stance = stance
    evidence.stance_by = user if stance else None
    evidence.stance_at = timezone.now() if stance else None
    evidence.save(update_fields=["stance", "stance_by", "stance_at", "updated_at"])
    return evidence


# ---------------------------------------------------------------- earlier fact-checks
# (Imports are local to this section so it can be merged as one appended block.)

_FACTCHECK_FIELDS = frozenset(FACTCHECK_DATA_FIELDS)


def _factcheck_values(record: dict, index: int) -> tuple[str, dict]:
    """Validate one record; return (canonical URL, field values). Raises InvalidInput."""
    from datetime import datetime

    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from sources.canonical import canonical_url
    from sources.claimreview_parsing import parse_when
    from sources.models import FactCheck

    where = _("Record %(n)d") % {"n": index}
    if not isinstance(record, dict):
        raise InvalidInput(_("%(where)s is not an object.") % {"where": where})
    unknown = set(record) - _FACTCHECK_FIELDS
    if unknown:
        raise InvalidInput(
            _("%(where)s has unknown fields: %(fields)s.")
            % {"where": where, "fields": ", ".join(sorted(unknown))}
        )
    url = str(record.get("url") or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        url = canonical_url(url)
    except (ValidationError, ValueError):
        raise InvalidInput(
            _("%(where)s: %(url)r is not an http(s) URL.") % {"where": where, "url": url}
        ) from None
    claim_text = str(record.get("claim_text") or "").strip()
    if not claim_text:
        raise InvalidInput(
            _("%(where)s (%(url)s) has no claim text.") % {"where": where, "url": url}
        )
    origin = record.get("origin") or FactCheck.Origin.IMPORT
    if origin not in FactCheck.Origin.values:
        raise InvalidInput(
            _("%(where)s: unknown origin %(origin)r.") % {"where": where, "origin": origin}
        )
    raw = record.get("raw") or {}
    if not isinstance(raw, dict):
        raise InvalidInput(_("%(where)s: raw is not an object.") % {"where": where})
    values: dict = {"claim_text": claim_text, "origin": origin, "raw": raw}
    for name in ("claim_date", "review_date"):
        value = record.get(name)
        if isinstance(value, str):
            value = parse_when(value)
        if value is not None and not isinstance(value, datetime):
            raise InvalidInput(
                _("%(where)s: %(field)s is not a date.") % {"where": where, "field": name}
            )
        values[name] = value
    for name in ("rating_value", "best_rating", "worst_rating"):
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidInput(
                _("%(where)s: %(field)s is not a number.") % {"where": where, "field": name}
            )
        values[name] = None if value is None else float(value)
    for name in ("claimant", "rating", "publisher_name", "publisher_site", "title", "language"):
        limit = FactCheck._meta.get_field(name).max_length
        # Over-long labels are cut to the column; the full item stays in ``raw``.
        values[name] = str(record.get(name) or "").strip()[:limit]
    return url, values


@transaction.atomic
def factchecks_import(*, records: list[dict]) -> tuple[int, int]:
    """Store earlier fact-checks, upserting by canonical URL; return (created, updated).

    ``records``: dicts whose keys are FactCheck fields (as made by
    ``sources.claimreview_parsing``); dates may be datetimes or ISO 8601 strings. Every
    record is validated before anything is written: one bad record raises InvalidInput and
    nothing is stored. A URL given twice keeps the last record.
    """
    from sources.models import FactCheck

    by_url: dict[str, dict] = {}
    for index, record in enumerate(records, start=1):
        url, values = _factcheck_values(record, index)
        by_url[url] = values
    urls = list(by_url)
    existing: set[str] = set()
    for start in range(0, len(urls), 500):  # stay under the databases' parameter limits
        chunk = urls[start : start + 500]
        existing.update(FactCheck.objects.filter(url__in=chunk).values_list("url", flat=True))
    created = updated = 0
    now = timezone.now()
    for url, values in by_url.items():
        if url in existing:
            FactCheck.objects.filter(url=url).update(**values, updated_at=now)
            updated += 1
        else:
            FactCheck.objects.create(url=url, **values)
            created += 1
    # Keep the library's full-text index in step, so the library provider finds them at once.
    for factcheck in FactCheck.objects.filter(url__in=list(by_url)):
        library_index_factcheck(factcheck=factcheck)
    return created, updated
