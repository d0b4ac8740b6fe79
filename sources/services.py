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


# ---------------------------------------------------------------- earlier fact-checks
# (Imports are local to this section so it can be merged as one appended block.)

_FACTCHECK_FIELDS = frozenset(
    {
        "claim_text",
        "claimant",
        "claim_date",
        "rating",
        "rating_value",
        "best_rating",
        "worst_rating",
        "publisher_name",
        "publisher_site",
        "url",
        "title",
        "language",
        "review_date",
        "origin",
        "raw",
    }
)


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
    return created, updated
