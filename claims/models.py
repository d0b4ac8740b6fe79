import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Article(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        EXTRACTING = "extracting", _("Extracting claims")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=500, blank=True)
    # The exact original text (only newlines normalised to \n); never altered after ingestion.
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=16, blank=True)
    url = models.URLField(_("URL"), max_length=2048, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # sha256 of the text: re-ingesting the same text returns the same article. NULL while a
    # submitted URL waits to be fetched (NULLs do not collide in the unique index).
    content_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title or self.text[:80]


class Claim(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        REVIEWED = "reviewed", _("Verdict submitted")
        PUBLISHED = "published", _("Published")
        NOT_CHECKWORTHY = "not_checkworthy", _("Not check-worthy")
        # Replaced by the claims it was split into or merged with; kept for history.
        SUPERSEDED = "superseded", _("Superseded")

    class Origin(models.TextChoices):
        EXTRACTED = "extracted", _("Extracted automatically")
        SPLIT = "split", _("Split by a reviewer")
        MERGED = "merged", _("Merged by a reviewer")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    # Character offsets into article.text: article.text[start:end] == text, always.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(_("text in the article"))
    # The editable, decontextualised wording reviewers check (e.g. the subject spelled out).
    wording = models.TextField(_("review wording"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    checkworthiness = models.FloatField(_("check-worthiness"), default=0.0, db_index=True)
    # [{"code": "quantity", "label": "...", "weight": 0.2, "evidence": "400"}, ...]
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.EXTRACTED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # Optimistic locking: every write checks and bumps it.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_not_empty"),
            models.UniqueConstraint(
                fields=["article", "start", "end"],
                condition=~Q(state="superseded"),
                name="claim_unique_live_span",
            ),
            models.CheckConstraint(
                condition=Q(checkworthiness__gte=0) & Q(checkworthiness__lte=1),
                name="claim_checkworthiness_0_1",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-checkworthiness"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["article", "state"]),
        ]

    def __str__(self):
        return self.wording or self.text

    @property
    def review_text(self) -> str:
        """What reviewers check and what ClaimReview calls claimReviewed."""
        return self.wording or self.text


class Verdict(models.Model):
    class Label(models.TextChoices):
        SUPPORTED = "supported", _("True")
        CONFLICTING = "conflicting_cherrypicking", _("Misleading")
        REFUTED = "refuted", _("False")
        NOT_ENOUGH_EVIDENCE = "not_enough_evidence", _("Unproven")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    label = models.CharField(_("label"), max_length=32, choices=Label.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    cited_evidence = models.ManyToManyField(
        "sources.Evidence", blank=True, related_name="cited_by", verbose_name=_("cited evidence")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts_written"
    )
    return_comment = models.TextField(blank=True)
    withdrawal_reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verdicts_approved",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[cited_evidence])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        constraints = [
            # A claim has at most one live verdict; a withdrawn one may be followed by another.
            models.UniqueConstraint(
                fields=["claim"],
                condition=~Q(status="withdrawn"),
                name="verdict_one_live_per_claim",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "updated_at", "id"]),
            models.Index(fields=["status", "published_at"]),
        ]

    def __str__(self):
        return f"{self.get_label_display() or '—'}: {self.claim}"
