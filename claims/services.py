"""Every write to articles, claims and verdicts. Keyword-only, typed, atomic.

The UI, the API, the admin and the commands all call these; the rules (roles, four-eyes,
optimistic locking, state transitions) live here and nowhere else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from claims import ingestion
from claims.errors import (
    DomainError,
    IngestError,
    InvalidInput,
    InvalidState,
    NotAllowed,
    StaleVersion,
)
from claims.extraction import extract
from claims.extraction.language import detect_language
from claims.models import Article, Claim, Verdict

logger = logging.getLogger(__name__)

Label = Verdict.Label
Status = Verdict.Status
LABELS_NEEDING_EVIDENCE = (Label.SUPPORTED, Label.REFUTED)
EDITABLE_VERDICT_STATUSES = (Status.DRAFT, Status.RETURNED)
LIVE_CLAIM_STATES = tuple(s for s in Claim.State if s != Claim.State.SUPERSEDED)


# --- helpers --------------------------------------------------------------------------------
def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _locked(model, pk):
    """Re-read a row under a write lock (PostgreSQL: FOR UPDATE; SQLite: the transaction is
    IMMEDIATE, so it already holds the database's write lock)."""
    return model.objects.select_for_update().get(pk=pk)


def _check_version(obj, expected_version: int | None, what: str) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersion(
            _(
                "This %(what)s was changed by someone else while you were editing it "
                "(your version %(mine)s, now %(theirs)s). Review their change and try again."
            )
            % {"what": what, "mine": expected_version, "theirs": obj.version},
            current=obj,
        )


def _save(obj, *, user, reason: str, fields: Sequence[str] | None = None) -> None:
    """Save with a version bump and a history entry that names who and why."""
    obj.version += 1
    obj._history_user = user
    obj._change_reason = reason
    if fields is not None:
        obj.save(update_fields=[*fields, "version", "updated_at"])
    else:
        obj.save()


# --- claims ---------------------------------------------------------------------------------
@transaction.atomic
def claim_update_wording(
    *, claim: Claim, user, wording: str, expected_version: int | None = None
) -> Claim:
    _require(roles.can_review(user), _("Only reviewers can edit claims."))
    claim = _locked(Claim, claim.pk)
    _check_version(claim, expected_version, _("claim"))
    if claim.state == Claim.State.SUPERSEDED:
        raise InvalidState(_("This claim was split or merged; edit the claims that replaced it."))
    if claim.state in (Claim.State.REVIEWED, Claim.State.PUBLISHED):
        # The wording is what the verdict rules on (ClaimReview's claimReviewed).
        raise InvalidState(
            _(
                "The wording of a claim with a submitted or published verdict cannot change; "
                "return or withdraw the verdict first."
            )
        )
    wording = wording.strip()
    if len(wording) > 5000:
        raise InvalidInput(_("The wording is too long (at most 5,000 characters)."))
    claim.wording = "" if wording == claim.text.strip() else wording
    _save(claim, user=user, reason="wording edited", fields=["wording"])
    return claim


@transaction.atomic
def claim_assign(
    *, claim: Claim, user, assignee=None, expected_version: int | None = None
) -> Claim:
    """Assign ``claim`` to ``assignee`` (None: unassign). Reviewers may assign to themselves;
    editors may assign to anyone."""
    _require(roles.can_review(user), _("Only reviewers can take claims."))
    if assignee is not None and assignee.pk != user.pk:
        _require(roles.can_edit(user), _("Only editors can assign claims to someone else."))
        _require(roles.can_review(assignee), _("Claims can only be assigned to reviewers."))
    claim = _locked(Claim, claim.pk)
    _check_version(claim, expected_version, _("claim"))
    claim.assignee = assignee
    if assignee is not None and claim.state == Claim.State.NEW:
        claim.state = Claim.State.IN_REVIEW
    _save(claim, user=user, reason="assigned", fields=["assignee", "state"])
    return claim


@transaction.atomic
def claim_take_next(*, user, article: Article | None = None) -> Claim | None:
    """Assign the most check-worthy unassigned new claim to ``user``; None when none is left."""
    _require(roles.can_review(user), _("Only reviewers can take claims."))
    candidates = Claim.objects.select_for_update().filter(
        state=Claim.State.NEW, assignee__isnull=True
    )
    if article is not None:
        candidates = candidates.filter(article=article)
    claim = candidates.order_by("-checkworthiness", "article_id", "start").first()
    if claim is None:
        return None
    claim.assignee = user
    claim.state = Claim.State.IN_REVIEW
    _save(claim, user=user, reason="taken", fields=["assignee", "state"])
    return claim


@transaction.atomic
def claim_mark_not_checkworthy(
    *, claim: Claim, user, expected_version: int | None = None, undo: bool = False
) -> Claim:
    _require(roles.can_review(user), _("Only reviewers can triage claims."))
    claim = _locked(Claim, claim.pk)
    _check_version(claim, expected_version, _("claim"))
    if undo:
        if claim.state != Claim.State.NOT_CHECKWORTHY:
            raise InvalidState(_("This claim is not marked as not check-worthy."))
        claim.state = Claim.State.IN_REVIEW if claim.assignee_id else Claim.State.NEW
    else:
        if claim.state not in (Claim.State.NEW, Claim.State.IN_REVIEW):
            raise InvalidState(
                _("Only claims that are new or in review can be marked not check-worthy.")
            )
        if claim.verdicts.exclude(status=Status.WITHDRAWN).exists():
            raise InvalidState(_("This claim has a verdict; withdraw or delete it first."))
        claim.state = Claim.State.NOT_CHECKWORTHY
    _save(
        claim,
        user=user,
        reason="marked not check-worthy" if not undo else "restored",
        fields=["state"],
    )
    return claim


def _claim_in_span(article: Article, start: int, end: int, template: Claim, origin: str) -> Claim:
    # Trim surrounding white space so spans stay tidy; the invariant holds by construction.
    while start < end and article.text[start].isspace():
        start += 1
    while end > start and article.text[end - 1].isspace():
        end -= 1
    if start >= end:
        raise InvalidInput(_("A claim cannot be empty."))
    return Claim(
        article=article,
        start=start,
        end=end,
        text=article.text[start:end],
        language=template.language,
        checkworthiness=template.checkworthiness,
        reasons=template.reasons,
        origin=origin,
        assignee=template.assignee,
        state=Claim.State.IN_REVIEW if template.assignee_id else Claim.State.NEW,
    )


def _guard_reviewable(claim: Claim) -> None:
    if claim.state not in (Claim.State.NEW, Claim.State.IN_REVIEW, Claim.State.NOT_CHECKWORTHY):
        raise InvalidState(_("A claim with a submitted or published verdict cannot be changed."))
    if claim.verdicts.exclude(status=Status.WITHDRAWN).exists():
        raise InvalidState(_("This claim has a verdict in progress; delete it first."))


@transaction.atomic
def claim_split(
    *, claim: Claim, user, at: Iterable[int], expected_version: int | None = None
) -> list[Claim]:
    """Split ``claim`` at the given article offsets into several claims.

    The original stays, marked superseded, so its history remains."""
    _require(roles.can_review(user), _("Only reviewers can split claims."))
    claim = _locked(Claim, claim.pk)
    _check_version(claim, expected_version, _("claim"))
    _guard_reviewable(claim)
    points = sorted(set(at))
    if not points or any(p <= claim.start or p >= claim.end for p in points):
        raise InvalidInput(_("Split points must fall strictly inside the claim."))
    article = claim.article
    bounds = [claim.start, *points, claim.end]
    parts = [
        _claim_in_span(article, a, b, claim, Claim.Origin.SPLIT)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]
    claim.state = Claim.State.SUPERSEDED
    _save(claim, user=user, reason="split", fields=["state"])
    for part in parts:
        part._history_user = user
        part._change_reason = f"split from claim {claim.pk}"
        part.save()
    return parts


@transaction.atomic
def claim_merge(*, claims: Sequence[Claim], user) -> Claim:
    """Merge adjacent claims of one article into one claim spanning them all."""
    _require(roles.can_review(user), _("Only reviewers can merge claims."))
    if len(claims) < 2:
        raise InvalidInput(_("Choose at least two claims to merge."))
    locked = sorted((_locked(Claim, c.pk) for c in claims), key=lambda c: (c.start, c.end))
    article_ids = {c.article_id for c in locked}
    if len(article_ids) != 1:
        raise InvalidInput(_("Only claims of the same article can be merged."))
    for claim in locked:
        _guard_reviewable(claim)
    article = locked[0].article
    first, last = locked[0], locked[-1]
    between = (
        Claim.objects.filter(article=article, state__in=LIVE_CLAIM_STATES)
        .exclude(pk__in=[c.pk for c in locked])
        .filter(start__lt=last.end, end__gt=first.start)
    )
    if between.exists():
        raise InvalidInput(_("Only adjacent claims can be merged; another claim lies between."))
    best = max(locked, key=lambda c: c.checkworthiness)
    merged = _claim_in_span(article, first.start, last.end, best, Claim.Origin.MERGED)
    for claim in locked:
        claim.state = Claim.State.SUPERSEDED
        _save(claim, user=user, reason="merged", fields=["state"])
    merged._history_user = user
    merged._change_reason = "merged from claims " + ", ".join(str(c.pk) for c in locked)
    merged.save()
    return merged


# --- verdicts -------------------------------------------------------------------------------
def _check_evidence(claim: Claim, evidence: Sequence) -> list:
    evidence = list(evidence)
    foreign = [e for e in evidence if e.claim_id != claim.pk]
    if foreign:
        raise InvalidInput(_("Cited evidence must belong to this claim."))
    return evidence


@transaction.atomic
def verdict_save_draft(
    *,
    claim: Claim,
    user,
    label: str = "",
    summary: str = "",
    rationale: str = "",
    evidence: Sequence = (),
    language: str = "",
    expected_version: int | None = None,
) -> Verdict:
    """Create or update the live verdict of ``claim`` as a draft by ``user``."""
    _require(roles.can_review(user), _("Only reviewers can write verdicts."))
    claim = _locked(Claim, claim.pk)
    if claim.state in (Claim.State.SUPERSEDED, Claim.State.NOT_CHECKWORTHY):
        raise InvalidState(_("This claim is not open for a verdict."))
    if label and label not in Label.values:
        raise InvalidInput(_("Unknown verdict label: %(label)s.") % {"label": label})
    evidence = _check_evidence(claim, evidence)
    verdict = (
        Verdict.objects.select_for_update()
        .filter(claim=claim)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
    if verdict is None:
        if expected_version not in (None, 0):
            raise StaleVersion(_("The verdict you were editing no longer exists."), current=None)
        verdict = Verdict(claim=claim, author=user, version=0)
    else:
        _check_version(verdict, expected_version, _("verdict"))
        if verdict.status not in EDITABLE_VERDICT_STATUSES:
            raise InvalidState(
                _("This verdict is %(status)s and can no longer be edited.")
                % {"status": verdict.get_status_display()}
            )
        if verdict.author_id != user.pk and not roles.can_administer(user):
            raise NotAllowed(_("Only the author of this verdict can edit it."))
    verdict.label = label
    verdict.summary = summary.strip()
    verdict.rationale = rationale.strip()
    verdict.language = language or verdict.language or claim.language
    verdict.status = Status.DRAFT if verdict.status != Status.RETURNED else Status.RETURNED
    _save(verdict, user=user, reason="draft saved")
    verdict.cited_evidence.set(evidence)
    if claim.state == Claim.State.NEW:
        claim.state = Claim.State.IN_REVIEW
        _save(claim, user=user, reason="verdict started", fields=["state"])
    return verdict


@transaction.atomic
def verdict_submit(*, verdict: Verdict, user, expected_version: int | None = None) -> Verdict:
    verdict = _locked(Verdict, verdict.pk)
    _check_version(verdict, expected_version, _("verdict"))
    _require(
        verdict.author_id == user.pk or roles.can_administer(user),
        _("Only the author can submit this verdict."),
    )
    if verdict.status not in EDITABLE_VERDICT_STATUSES:
        raise InvalidState(_("Only a draft or returned verdict can be submitted."))
    if not verdict.label:
        raise InvalidInput(_("Choose a label before submitting."))
    if not verdict.summary:
        raise InvalidInput(_("Write a summary before submitting."))
    if verdict.label in LABELS_NEEDING_EVIDENCE and not verdict.cited_evidence.exists():
        raise InvalidInput(
            _("A verdict of %(label)s must cite at least one evidence item.")
            % {"label": verdict.get_label_display()}
        )
    verdict.status = Status.SUBMITTED
    verdict.submitted_at = timezone.now()
    verdict.return_comment = ""
    _save(verdict, user=user, reason="submitted")
    claim = _locked(Claim, verdict.claim_id)
    claim.state = Claim.State.REVIEWED
    _save(claim, user=user, reason="verdict submitted", fields=["state"])
    return verdict


def _editor_transition(verdict, user, expected_version, allowed_from, action):
    _require(roles.can_edit(user), _("Only editors can %(action)s verdicts.") % {"action": action})
    verdict = _locked(Verdict, verdict.pk)
    _check_version(verdict, expected_version, _("verdict"))
    if verdict.status not in allowed_from:
        raise InvalidState(
            _("A %(status)s verdict cannot be %(action)s.")
            % {"status": verdict.get_status_display().lower(), "action": action}
        )
    return verdict


@transaction.atomic
def verdict_approve(*, verdict: Verdict, user, expected_version: int | None = None) -> Verdict:
    verdict = _editor_transition(verdict, user, expected_version, (Status.SUBMITTED,), "approved")
    _require(roles.four_eyes_ok(user, verdict), _("Nobody approves their own verdict."))
    verdict.status = Status.APPROVED
    verdict.approved_by = user
    verdict.approved_at = timezone.now()
    _save(verdict, user=user, reason="approved")
    return verdict


@transaction.atomic
def verdict_return(
    *, verdict: Verdict, user, comment: str, expected_version: int | None = None
) -> Verdict:
    verdict = _editor_transition(
        verdict, user, expected_version, (Status.SUBMITTED, Status.APPROVED), "returned"
    )
    if not comment.strip():
        raise InvalidInput(_("Say why the verdict is returned."))
    verdict.status = Status.RETURNED
    verdict.return_comment = comment.strip()
    verdict.approved_by = None
    verdict.approved_at = None
    _save(verdict, user=user, reason="returned")
    claim = _locked(Claim, verdict.claim_id)
    claim.state = Claim.State.IN_REVIEW
    _save(claim, user=user, reason="verdict returned", fields=["state"])
    return verdict


@transaction.atomic
def verdict_publish(*, verdict: Verdict, user, expected_version: int | None = None) -> Verdict:
    """Publish an approved verdict, or approve and publish a submitted one in one step."""
    verdict = _editor_transition(
        verdict, user, expected_version, (Status.SUBMITTED, Status.APPROVED), "published"
    )
    # Four-eyes on every path: the author never publishes their own verdict, even once
    # someone else approved it.
    _require(roles.four_eyes_ok(user, verdict), _("Nobody publishes their own verdict."))
    if verdict.status == Status.SUBMITTED:
        verdict.approved_by = user
        verdict.approved_at = timezone.now()
    verdict.status = Status.PUBLISHED
    verdict.published_at = timezone.now()
    _save(verdict, user=user, reason="published")
    claim = _locked(Claim, verdict.claim_id)
    claim.state = Claim.State.PUBLISHED
    _save(claim, user=user, reason="verdict published", fields=["state"])
    return verdict


@transaction.atomic
def verdict_withdraw(
    *, verdict: Verdict, user, reason: str, expected_version: int | None = None
) -> Verdict:
    verdict = _editor_transition(verdict, user, expected_version, (Status.PUBLISHED,), "withdrawn")
    if not reason.strip():
        raise InvalidInput(_("Say why the verdict is withdrawn."))
    verdict.status = Status.WITHDRAWN
    verdict.withdrawal_reason = reason.strip()
    verdict.withdrawn_at = timezone.now()
    _save(verdict, user=user, reason="withdrawn")
    claim = _locked(Claim, verdict.claim_id)
    claim.state = Claim.State.IN_REVIEW
    _save(claim, user=user, reason="verdict withdrawn", fields=["state"])
    return verdict


@transaction.atomic
def verdict_delete_draft(*, verdict: Verdict, user) -> None:
    verdict = _locked(Verdict, verdict.pk)
    _require(
        verdict.author_id == user.pk or roles.can_administer(user),
        _("Only the author can delete this draft."),
    )
    if verdict.status not in EDITABLE_VERDICT_STATUSES:
        raise InvalidState(_("Only a draft or returned verdict can be deleted."))
    verdict._history_user = user
    verdict.delete()


# --- ingestion and claim extraction ---------------------------------------------------------
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
TITLE_MAX = Article._meta.get_field("title").max_length
URL_MAX = Article._meta.get_field("url").max_length


@dataclass
class IngestResult:
    article: Article
    created: bool
    claims_created: int


@dataclass
class ExtractionResult:
    created: int = 0
    updated: int = 0
    kept: int = 0
    removed: int = 0


def _clean_language(language: str) -> str:
    language = (language or "").strip()
    if language and not LANGUAGE_CODE.fullmatch(language):
        raise IngestError(
            _("Not a language code: %(code)s (use e.g. ar or en).") % {"code": language[:20]}
        )
    return language


def _clean_metadata(title: str, url: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        raise IngestError(_("The title is too long (at most %(n)s characters).") % {"n": TITLE_MAX})
    url = (url or "").strip()
    if url:
        if not url.lower().startswith(("http://", "https://")):
            raise IngestError(_("The article URL must start with http:// or https://."))
        if len(url) > URL_MAX:
            raise IngestError(_("The URL is too long (at most %(n)s characters).") % {"n": URL_MAX})
    return title, url


@transaction.atomic
def article_ingest(
    *,
    text: str,
    title: str = "",
    url: str = "",
    language: str = "",
    publisher: str = "",
    published_at: datetime | None = None,
    user=None,
) -> IngestResult:
    """Store an article and extract its claims. The same text gives the same article (and no
    duplicate claims). Raises IngestError; on error nothing is written."""
    text = ingestion.check_text(text)
    title, url = _clean_metadata(title, url)
    language = _clean_language(language)
    digest = ingestion.content_hash(text)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is None:
        try:
            with transaction.atomic():
                article = Article.objects.create(
                    text=text,
                    content_hash=digest,
                    title=title,
                    url=url,
                    language=language or detect_language(text),
                    publisher=" ".join(publisher.split())[:300],
                    published_at=published_at,
                    status=Article.Status.EXTRACTING,
                    created_by=user if getattr(user, "pk", None) else None,
                )
        except IntegrityError:
            # The same text was ingested at the same moment by someone else.
            existing = Article.objects.get(content_hash=digest)
        else:
            result = article_extract_claims(article=article, user=user)
            article.refresh_from_db()
            return IngestResult(article=article, created=True, claims_created=result.created)
    created = 0
    if existing.status != Article.Status.READY:
        created = article_extract_claims(article=existing, user=user).created
        existing.refresh_from_db()
    return IngestResult(article=existing, created=False, claims_created=created)


def _protected_claim_ids(article: Article) -> set[int]:
    """Live claims reviewers have worked on: re-extraction leaves them exactly as they are."""
    from sources.models import Evidence, Source

    live = Claim.objects.filter(article=article).exclude(state=Claim.State.SUPERSEDED)
    ids = set(
        live.filter(
            ~Q(wording="")
            | ~Q(state=Claim.State.NEW)
            | Q(assignee__isnull=False)
            | ~Q(origin=Claim.Origin.EXTRACTED)
        ).values_list("pk", flat=True)
    )
    ids.update(Verdict.objects.filter(claim__article=article).values_list("claim_id", flat=True))
    ids.update(
        Evidence.objects.filter(claim__article=article)
        .filter(~Q(stance="") | ~Q(source__origin=Source.Origin.PROVIDER))
        .values_list("claim_id", flat=True)
    )
    return ids


@transaction.atomic
def article_extract_claims(*, article: Article, user=None) -> ExtractionResult:
    """(Re-)extract the claims of ``article``, keeping reviewers' work.

    Claims with edited wording, a state other than new, an assignee, a verdict, labelled or
    reviewer-added evidence, or made by a split/merge are kept as they are, and no new claim
    is added over them. Other old claims are updated (score, reasons) when their span comes
    out again and removed when it no longer does."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    article = Article.objects.select_for_update().get(pk=article.pk)
    language = article.language or detect_language(article.text)
    candidates = extract(article.text, language)
    live = list(Claim.objects.filter(article=article).exclude(state=Claim.State.SUPERSEDED))
    protected_ids = _protected_claim_ids(article)
    protected = [c for c in live if c.pk in protected_ids]
    by_span = {(c.start, c.end): c for c in live if c.pk not in protected_ids}
    result = ExtractionResult(kept=len(protected))

    def overlaps_protected(start: int, end: int) -> bool:
        return any(c.start < end and start < c.end for c in protected)

    to_create, to_update, seen = [], [], set()
    for cand in candidates:
        span = (cand.start, cand.end)
        if overlaps_protected(*span):
            continue
        value = min(1.0, max(0.0, cand.score.value))
        old = by_span.get(span)
        if old is None:
            to_create.append(
                Claim(
                    article=article,
                    start=cand.start,
                    end=cand.end,
                    text=cand.text,
                    language=language,
                    checkworthiness=value,
                    reasons=cand.score.reasons,
                )
            )
            continue
        seen.add(old.pk)
        if old.checkworthiness != value or old.reasons != cand.score.reasons:
            old.checkworthiness = value
            old.reasons = cand.score.reasons
            old.language = old.language or language
            old.version += 1
            to_update.append(old)
        else:
            result.kept += 1
    stale = [c.pk for c in by_span.values() if c.pk not in seen]
    if stale:
        for claim in Claim.objects.filter(pk__in=stale):
            claim._history_user = user
            claim._change_reason = "no longer extracted"
            claim.delete()
        result.removed = len(stale)
    if to_update:
        bulk_update_with_history(
            to_update,
            Claim,
            ["checkworthiness", "reasons", "language", "version", "updated_at"],
            default_user=user,
            default_change_reason="re-extracted",
        )
        result.updated = len(to_update)
    if to_create:
        bulk_create_with_history(
            to_create, Claim, default_user=user, default_change_reason="extracted"
        )
        result.created = len(to_create)
    article.language = language
    article.status = Article.Status.READY
    article.status_error = ""
    article.save(update_fields=["language", "status", "status_error", "updated_at"])
    _gather_sources_for_new_claims(to_create, user=user)
    return result


def _gather_sources_for_new_claims(claims: list[Claim], *, user=None) -> None:
    """Start source gathering for the new check-worthy claims (jobs enqueued on commit)."""
    if not settings.SOURCES_GATHER_ON_INGEST:
        return
    worthy = [c for c in claims if c.pk and c.checkworthiness >= settings.SOURCES_GATHER_MIN_SCORE]
    if not worthy:
        return
    from sources.services import sources_gather

    try:
        sources_gather(claims=worthy, requested_by=user)
    except DomainError as exc:
        # A misconfigured provider list must not lose the article; say so loudly.
        logger.error("Source gathering was not started for article claims: %s", exc)


def _check_literal_address(host: str) -> None:
    """Refuse at once a URL whose host is a literal private/loopback address; names are
    resolved and checked by the fetcher when the task runs."""
    import ipaddress
    import re
    import socket

    from django.conf import settings

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if (
        address is None
        and re.fullmatch(r"(0[xX])?[0-9a-fA-F.xX]+", host)
        and any(c.isdigit() for c in host)
    ):
        # The shorthand IPv4 forms resolvers accept: 127.1, 2130706433, 0x7f.0.0.1.
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            address = None
    if address is None:
        if host.lower() == "localhost" and not settings.SOURCES_ALLOW_PRIVATE_NETWORKS:
            raise IngestError(
                _("Refused: %(host)s is not a public address.") % {"host": host}, code="blocked"
            ) from None
        return
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not settings.SOURCES_ALLOW_PRIVATE_NETWORKS and not (
        address.is_global and not address.is_multicast
    ):
        raise IngestError(
            _("Refused: %(host)s is not a public address.") % {"host": host}, code="blocked"
        )


@transaction.atomic
def _article_submit_url(*, user, url: str, title: str, language: str) -> Article:
    from sources.fetching import BlockedURLError, check_url

    title, url = _clean_metadata(title, url)
    try:
        _scheme, host, _port = check_url(url)
    except BlockedURLError as exc:
        raise IngestError(str(exc), code="blocked") from None
    _check_literal_address(host)
    existing = Article.objects.select_for_update().filter(url=url).order_by("-created_at").first()
    if existing is not None and existing.status != Article.Status.FAILED:
        return existing
    if existing is not None and existing.content_hash is None:
        article = existing  # a failed fetch: try again
        article.status = Article.Status.PENDING
        article.status_error = ""
        article.save(update_fields=["status", "status_error", "updated_at"])
    else:
        article = Article.objects.create(
            url=url,
            title=title,
            language=language,
            text="",
            content_hash=None,
            status=Article.Status.PENDING,
            created_by=user,
        )
    article_id = article.pk
    transaction.on_commit(lambda: article_enqueue_processing(article_id=article_id))
    return article


def article_enqueue_processing(*, article_id: int) -> bool:
    """Send the processing task of a pending article. A broker that is down is logged, never
    raised: the article stays pending and the periodic sweep sends it again."""
    from claims.tasks import process_article
    from workbench.broker import broker_available

    if not broker_available():
        return False
    try:
        process_article.apply_async(args=[article_id], retry=False)
    except Exception as exc:  # kombu/redis raise many types; the sweep recovers them all
        logger.warning("Could not enqueue article %s (%s); the sweep will retry.", article_id, exc)
        return False
    return True


def articles_pending_sweep(*, older_than_seconds: int = 120) -> int:
    """Re-send pending articles whose message was lost (broker down or restarted)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    stale = list(
        Article.objects.filter(status=Article.Status.PENDING, updated_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    sent = 0
    for article_id in stale:
        if not article_enqueue_processing(article_id=article_id):
            break
        Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
        sent += 1
    return sent


def article_submit(
    *,
    user,
    text: str = "",
    data: bytes | None = None,
    filename: str = "",
    url: str = "",
    title: str = "",
    language: str = "",
) -> Article:
    """Add an article from the UI or the API: pasted text, an uploaded file or a URL.

    Text and files are ingested at once (IngestError on bad input); a URL becomes a pending
    article fetched and extracted in the background (``claims.tasks.process_article``)."""
    _require(roles.can_review(user), _("Only reviewers can add articles."))
    given = [bool(text and text.strip()), data is not None, bool(url and url.strip())]
    if sum(given) == 0:
        raise IngestError(_("Give the article text, a file or a URL."), code="empty")
    if sum(given) > 1:
        raise IngestError(_("Give only one of: the article text, a file or a URL."))
    language = _clean_language(language)
    if url and url.strip():
        return _article_submit_url(user=user, url=url, title=title, language=language)
    if data is not None:
        document = ingestion.decode_document(data, filename=filename)
        return article_ingest(
            text=document.text,
            title=title or document.title,
            language=language,
            publisher=document.publisher,
            published_at=document.published_at,
            user=user,
        ).article
    return article_ingest(text=text, title=title, language=language, user=user).article


@transaction.atomic
def _article_fill_from_document(*, article: Article, document: ingestion.Document) -> None:
    text = ingestion.check_text(document.text)
    digest = ingestion.content_hash(text)
    duplicate = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).first()
    if duplicate is not None:
        raise IngestError(
            _("The text at this URL is already in the workbench as article %(id)s.")
            % {"id": duplicate.pk},
            code="duplicate",
        )
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.text = text
    article.content_hash = digest
    article.title = article.title or " ".join(document.title.split())[:TITLE_MAX]
    article.publisher = article.publisher or document.publisher[:300]
    article.published_at = article.published_at or document.published_at
    article.language = article.language or detect_language(text)
    article.save()
    article_extract_claims(article=article, user=article.created_by)


def _mark_failed(article_id: int, message: str) -> None:
    Article.objects.filter(pk=article_id).update(
        status=Article.Status.FAILED, status_error=message, updated_at=timezone.now()
    )


def article_process_submission(*, article: Article, retry_transient: bool = False) -> Article:
    """Background half of a URL submission: fetch, store the text, extract claims.

    Status goes pending -> extracting -> ready, or failed with ``status_error``. Safe to run
    twice: a ready or failed article is left alone. With ``retry_transient``, a fetch error
    that may pass (timeout, 5xx, 429) puts the article back to pending, keeps the reason in
    ``status_error`` and re-raises the IngestError so the caller can try again later."""
    claimed = Article.objects.filter(
        pk=article.pk, status__in=(Article.Status.PENDING, Article.Status.EXTRACTING)
    ).update(status=Article.Status.EXTRACTING, status_error="", updated_at=timezone.now())
    if not claimed:
        return Article.objects.get(pk=article.pk)
    article = Article.objects.get(pk=article.pk)
    try:
        if article.content_hash is None:
            document = ingestion.fetch_document(article.url)
            _article_fill_from_document(article=article, document=document)
        else:
            article_extract_claims(article=article, user=article.created_by)
    except IngestError as exc:
        if retry_transient and exc.code == "fetch_transient":
            Article.objects.filter(pk=article.pk).update(
                status=Article.Status.PENDING,
                status_error=_("Will try again: %(reason)s") % {"reason": exc.message},
                updated_at=timezone.now(),
            )
            raise
        _mark_failed(article.pk, exc.message)
    except Exception as exc:
        _mark_failed(
            article.pk,
            _("Processing failed unexpectedly (%(error)s).") % {"error": type(exc).__name__},
        )
        raise
    return Article.objects.get(pk=article.pk)
