"""Every write to sources, evidence and fetch jobs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from claims.errors import InvalidInput, InvalidState, NotAllowed
from claims.models import Claim
from sources.models import Evidence


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
