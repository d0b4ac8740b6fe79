"""Reads for the reviewer UI: every join lives here so views cannot grow N+1 queries.

Also the pure display helpers the pages need (article segments, highlighted passages, split
points): they work on offsets and return plain strings, which templates escape.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from claims.models import Article, Claim, Verdict
from sources.models import Evidence, FactCheckMatch, FetchJob

LIVE = ~Q(state=Claim.State.SUPERSEDED)
PASSAGE_DISPLAY_CHARS = 1200


# --- dashboard -----------------------------------------------------------------------------
def articles_with_progress(*, limit: int = 50) -> QuerySet[Article]:
    """Articles, newest first, with counts of their live claims by progress."""
    live = Q(claims__state__in=[s for s in Claim.State.values if s != Claim.State.SUPERSEDED])
    return (
        Article.objects.defer("text")
        .annotate(
            claims_total=Count("claims", filter=live),
            claims_triaged=Count("claims", filter=live & ~Q(claims__state=Claim.State.NEW)),
            claims_reviewed=Count(
                "claims",
                filter=Q(claims__state__in=[Claim.State.REVIEWED, Claim.State.PUBLISHED]),
            ),
            claims_published=Count("claims", filter=Q(claims__state=Claim.State.PUBLISHED)),
        )
        .order_by("-created_at")[:limit]
    )


def claims_assigned_to(*, user, limit: int = 50) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(assignee=user, state__in=[Claim.State.NEW, Claim.State.IN_REVIEW])
        .select_related("article")
        .defer("article__text")
        .order_by("-checkworthiness", "article_id", "start")[:limit]
    )


@dataclass
class Activity:
    when: object
    who: object
    kind: str  # "claim" | "verdict"
    claim_id: int
    reason: str
    text: str


def recent_activity(*, limit: int = 15) -> list[Activity]:
    """The latest changes to claims and verdicts, from their history tables."""
    claim_rows = (
        Claim.history.select_related("history_user")
        .only("id", "history_date", "history_change_reason", "history_user", "text", "wording")
        .order_by("-history_date")[:limit]
    )
    verdict_rows = (
        Verdict.history.select_related("history_user")
        .only("id", "claim_id", "history_date", "history_change_reason", "history_user", "label")
        .order_by("-history_date")[:limit]
    )
    items = [
        Activity(
            r.history_date,
            r.history_user,
            "claim",
            r.id,
            change_reason(r.history_change_reason),
            r.wording or r.text,
        )
        for r in claim_rows
    ] + [
        Activity(
            r.history_date,
            r.history_user,
            "verdict",
            r.claim_id,
            change_reason(r.history_change_reason),
            r.get_label_display(),
        )
        for r in verdict_rows
    ]
    items.sort(key=lambda a: a.when, reverse=True)
    return items[:limit]


# --- queue ---------------------------------------------------------------------------------
def claims_for_queue() -> QuerySet[Claim]:
    """Live claims with their article and assignee joined (filtered by the queue's FilterSet)."""
    return (
        Claim.objects.filter(LIVE)
        .select_related("article", "assignee")
        .defer("article__text", "reasons")
    )


def claim_languages() -> list[str]:
    return sorted(
        x for x in Claim.objects.filter(LIVE).values_list("language", flat=True).distinct() if x
    )


# --- article -------------------------------------------------------------------------------
def article_claims(*, article: Article) -> list[Claim]:
    return list(
        Claim.objects.filter(LIVE, article=article).select_related("assignee").order_by("start")
    )


@dataclass
class Segment:
    text: str
    claim: Claim | None = None


def article_segments(text: str, claims: list[Claim]) -> list[Segment]:
    """Split ``text`` into plain and claim segments by the claims' offsets.

    Overlapping spans (never produced by the services, but tolerated) keep the first."""
    segments: list[Segment] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        if claim.start < cursor or claim.end > len(text):
            continue
        if claim.start > cursor:
            segments.append(Segment(text[cursor : claim.start]))
        segments.append(Segment(text[claim.start : claim.end], claim))
        cursor = claim.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


# --- claim detail --------------------------------------------------------------------------
def claim_for_detail(*, pk: int) -> Claim:
    return Claim.objects.select_related("article", "assignee").get(pk=pk)


def reviewers() -> list:
    """Everyone who may be assigned a claim (reviewers, editors, admins), by username."""
    from django.contrib.auth import get_user_model

    from accounts.roles import GROUP_NAMES

    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=GROUP_NAMES.values()) | Q(is_superuser=True))
        .distinct()
        .only("id", User.USERNAME_FIELD)
        .order_by(User.USERNAME_FIELD)
    )


def claim_neighbours(*, claim: Claim) -> tuple[Claim | None, Claim | None]:
    """The live claims just before and after ``claim`` in its article (for merging)."""
    siblings = Claim.objects.filter(LIVE, article_id=claim.article_id).exclude(pk=claim.pk)
    previous = siblings.filter(end__lte=claim.start).order_by("-end").only("id", "text").first()
    following = siblings.filter(start__gte=claim.end).order_by("start").only("id", "text").first()
    return previous, following


def replacements(*, claim: Claim) -> list[Claim]:
    """For a superseded claim: the live claims that now cover its span."""
    if claim.state != Claim.State.SUPERSEDED:
        return []
    return list(
        Claim.objects.filter(
            LIVE, article_id=claim.article_id, start__lt=claim.end, end__gt=claim.start
        )
        .only("id", "text", "start")
        .order_by("start")
    )


def evidence_for_claim(*, claim: Claim) -> QuerySet[Evidence]:
    """The claim's candidate sources, best first, without loading whole snapshots."""
    return (
        Evidence.objects.filter(claim=claim)
        .select_related("source", "stance_by")
        .defer("source__text", "query")
        .annotate(
            snapshot_passage=Substr(
                "source__text", F("passage_start") + 1, F("passage_end") - F("passage_start")
            )
        )
        .order_by("-score", "id")
    )


def evidence_item(*, pk: int) -> Evidence:
    return (
        Evidence.objects.select_related("source", "stance_by", "claim")
        .defer("source__text")
        .annotate(
            snapshot_passage=Substr(
                "source__text", F("passage_start") + 1, F("passage_end") - F("passage_start")
            )
        )
        .get(pk=pk)
    )


def factchecks_for_claim(*, claim: Claim) -> QuerySet[FactCheckMatch]:
    return (
        FactCheckMatch.objects.filter(claim=claim)
        .select_related("factcheck")
        .defer("factcheck__raw")
        .order_by("-score")
    )


def jobs_for_claim(*, claim: Claim) -> QuerySet[FetchJob]:
    return FetchJob.objects.filter(claim=claim).order_by("-created_at")[:50]


def live_verdict(*, claim: Claim) -> Verdict | None:
    return (
        Verdict.objects.filter(claim=claim)
        .exclude(status=Verdict.Status.WITHDRAWN)
        .select_related("author", "approved_by")
        .prefetch_related(Prefetch("cited_evidence", queryset=Evidence.objects.only("id")))
        .first()
    )


def withdrawn_verdicts(*, claim: Claim) -> QuerySet[Verdict]:
    return (
        Verdict.objects.filter(claim=claim, status=Verdict.Status.WITHDRAWN)
        .select_related("author")
        .order_by("-withdrawn_at")
    )


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    reason: str
    changes: list[tuple[str, str, str]]


CLAIM_HISTORY_FIELDS = ("state", "wording", "assignee", "start", "end", "checkworthiness")
VERDICT_HISTORY_FIELDS = (
    "status",
    "label",
    "summary",
    "rationale",
    "return_comment",
    "withdrawal_reason",
)


def _display(model, field: str, value, users: dict) -> str:
    """A stored history value as people read it: choice labels, usernames."""
    if value in (None, ""):
        return ""
    if field == "assignee":
        return users.get(value, f"#{value}")
    choices = dict(model._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


# The change reasons the services record, as people read them (others are shown as stored).
CHANGE_REASONS = {
    "wording edited": pgettext_lazy("history", "wording edited"),
    "assigned": pgettext_lazy("history", "assigned"),
    "taken": pgettext_lazy("history", "taken"),
    "marked not check-worthy": pgettext_lazy("history", "marked not check-worthy"),
    "restored": pgettext_lazy("history", "restored"),
    "split": pgettext_lazy("history", "split"),
    "merged": pgettext_lazy("history", "merged"),
    "draft saved": pgettext_lazy("history", "draft saved"),
    "verdict started": pgettext_lazy("history", "verdict started"),
    "submitted": pgettext_lazy("history", "submitted"),
    "verdict submitted": pgettext_lazy("history", "verdict submitted"),
    "approved": pgettext_lazy("history", "approved"),
    "returned": pgettext_lazy("history", "returned"),
    "verdict returned": pgettext_lazy("history", "verdict returned"),
    "published": pgettext_lazy("history", "published"),
    "verdict published": pgettext_lazy("history", "verdict published"),
    "withdrawn": pgettext_lazy("history", "withdrawn"),
    "verdict withdrawn": pgettext_lazy("history", "verdict withdrawn"),
}


def change_reason(reason: str | None) -> str:
    reason = reason or ""
    return str(CHANGE_REASONS.get(reason, reason))


_FIELD_LABELS = {
    "start": _("start offset"),
    "end": _("end offset"),
    "assignee": _("assigned to"),
    "return_comment": _("editor's comment"),
    "withdrawal_reason": _("reason for withdrawal"),
}


def _field_label(model, field: str) -> str:
    return str(_FIELD_LABELS.get(field) or model._meta.get_field(field).verbose_name)


def _diffs(records, model, fields, kind, users) -> list[HistoryEntry]:
    """Pairwise differences between consecutive history records of one object."""
    entries = []
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    for rows in by_object.values():
        rows.sort(key=lambda r: r.history_date)
        previous = None
        for row in rows:
            changes = []
            for field in fields:
                attname = "assignee_id" if field == "assignee" else field
                new = getattr(row, attname)
                old = getattr(previous, attname) if previous is not None else None
                if previous is None and new in ("", None):
                    continue
                if previous is None or old != new:
                    changes.append(
                        (
                            _field_label(model, field),
                            _display(model, field, old, users),
                            _display(model, field, new, users),
                        )
                    )
            entries.append(
                HistoryEntry(
                    row.history_date,
                    row.history_user,
                    kind,
                    change_reason(row.history_change_reason),
                    changes,
                )
            )
            previous = row
    return entries


def claim_history(*, claim: Claim) -> list[HistoryEntry]:
    """Who changed what and when, on the claim and its verdicts, newest first."""
    from django.contrib.auth import get_user_model

    claim_rows = list(Claim.history.filter(id=claim.pk).select_related("history_user"))
    verdict_rows = list(Verdict.history.filter(claim_id=claim.pk).select_related("history_user"))
    assignee_ids = {r.assignee_id for r in claim_rows if r.assignee_id}
    users = {}
    if assignee_ids:
        users = dict(
            get_user_model()
            .objects.filter(pk__in=assignee_ids)
            .values_list("pk", get_user_model().USERNAME_FIELD)
        )
    entries = _diffs(claim_rows, Claim, CLAIM_HISTORY_FIELDS, "claim", users) + _diffs(
        verdict_rows, Verdict, VERDICT_HISTORY_FIELDS, "verdict", users
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def claim_context(claim: Claim, *, chars: int = 300) -> tuple[str, str]:
    """The article text around the claim, cut at word boundaries."""
    text = claim.article.text
    before_start = max(0, claim.start - chars)
    while before_start > 0 and not text[before_start - 1].isspace():
        before_start += 1
        if before_start >= claim.start:
            break
    after_end = min(len(text), claim.end + chars)
    while after_end < len(text) and not text[after_end].isspace():
        after_end -= 1
        if after_end <= claim.end:
            break
    before = ("…" if before_start > 0 else "") + text[before_start : claim.start]
    after = text[claim.end : after_end] + ("…" if after_end < len(text) else "")
    return before, after


SPLIT_PUNCTUATION = ",;:،؛—–"


def split_points(claim: Claim) -> list[tuple[int, str]]:
    """Offsets (into the article) where a claim may be split: after sentence-internal
    punctuation, and before a conjunction ("and", "but", "و"). Each comes with the text of
    the first part, so the reviewer sees what they choose."""
    text = claim.text
    points: dict[int, str] = {}
    for match in re.finditer(rf"[{SPLIT_PUNCTUATION}]\s+", text):
        offset = match.end()
        if 0 < offset < len(text):
            points[offset] = text[:offset].strip()
    for match in re.finditer(r"\s(?=(?:and|but|while|whereas|و|لكن|بينما)\b|و\w)", text):
        offset = match.end()
        if 0 < offset < len(text) and offset not in points:
            points[offset] = text[:offset].strip()
    return [(claim.start + offset, first) for offset, first in sorted(points.items())]


# --- passages with the claim's terms highlighted -------------------------------------------
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "the and for that this with from was were are has have had its his her their they said "
    "will would into than then there which who also been about after over more most some "
    "في من على إلى الى عن أن ان إن التي الذي هذا هذه ذلك كان كانت قال قالت مع بين كما "
    "وقال وأن لا ما لم لن قد".split()
)
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف")


def normalise(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold()
    word = _TASHKEEL.sub("", word)
    word = re.sub("[إأآٱ]", "ا", word)
    return word.replace("ى", "ي").replace("ة", "ه")


def _stem(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def claim_terms(text: str) -> frozenset[str]:
    terms = set()
    for match in _WORD.finditer(text):
        word = normalise(match.group())
        if word in _STOP or (len(word) < 3 and not word.isdigit()):
            continue
        terms.add(_stem(word))
    return frozenset(terms)


@lru_cache(maxsize=50_000)
def _term_of(word: str) -> str:
    """The comparable form of a word ('' for stop words)."""
    word = normalise(word)
    return "" if word in _STOP else _stem(word)


def highlight(text: str, terms: frozenset[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_match) pairs; pieces are plain text, escaped by templates."""
    if not text:
        return []
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for match in _WORD.finditer(text):
        term = _term_of(match.group())
        if not term or term not in terms:
            continue
        if match.start() > cursor:
            pieces.append((text[cursor : match.start()], False))
        pieces.append((match.group(), True))
        cursor = match.end()
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


def evidence_passage(evidence: Evidence) -> str:
    """What the reviewer reads: the stored passage, else the snapshot span, else the snippet."""
    text = evidence.passage or getattr(evidence, "snapshot_passage", "") or ""
    if not text:
        text = evidence.source.snippet
    if len(text) > PASSAGE_DISPLAY_CHARS:
        text = text[:PASSAGE_DISPLAY_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def attach_passages(evidence_list, claim: Claim) -> None:
    """Give each evidence item its highlighted passage and its stance URL (one reverse())."""
    from django.urls import reverse

    terms = claim_terms(claim.review_text)
    stance_url = reverse("sources:evidence_stance", args=[0])
    head, _zero, tail = stance_url.rpartition("/0/")
    for evidence in evidence_list:
        evidence.passage_pieces = highlight(evidence_passage(evidence), terms)
        evidence.stance_url = f"{head}/{evidence.pk}/{tail}"


# --- approval ------------------------------------------------------------------------------
def verdicts_for_approval() -> QuerySet[Verdict]:
    return (
        Verdict.objects.filter(status__in=[Verdict.Status.SUBMITTED, Verdict.Status.APPROVED])
        .select_related("claim", "claim__article", "author", "approved_by")
        .defer("claim__article__text")
        .order_by("submitted_at", "id")
    )


def verdicts_waiting_count() -> int:
    return Verdict.objects.filter(
        status__in=[Verdict.Status.SUBMITTED, Verdict.Status.APPROVED]
    ).count()


def verdicts_recently_published(*, limit: int = 20) -> QuerySet[Verdict]:
    return (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        .select_related("claim", "author", "approved_by")
        .order_by("-published_at")[:limit]
    )
