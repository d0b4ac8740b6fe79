"""Every write to articles, claims and verdicts. Keyword-only, typed, atomic.

The UI, the API, the admin and the commands all call these; the rules (roles, four-eyes,
optimistic locking, state transitions) live here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from claims.errors import InvalidInput, InvalidState, NotAllowed, StaleVersion
from claims.models import Article, Claim, Verdict

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
