import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A document found by a provider, pasted or uploaded by a reviewer.

    The text snapshot is what the reviewer saw: pages change or vanish, the snapshot stays.
    """

    class Origin(models.TextChoices):
        PROVIDER = "provider", _("Found by a provider")
        REVIEWER_URL = "reviewer_url", _("URL given by a reviewer")
        UPLOAD = "upload", _("Document uploaded by a reviewer")

    class FetchStatus(models.TextChoices):
        PENDING = "pending", _("Not fetched yet")
        FETCHED = "fetched", _("Fetched")
        FAILED = "failed", _("Fetch failed")
        # Only the provider's snippet is known (e.g. fetching is not allowed by robots.txt).
        SNIPPET = "snippet", _("Snippet only")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Canonical URL; uploads have none (NULLs do not collide in the unique index).
    url = models.URLField(_("URL"), max_length=2048, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    domain = models.CharField(_("domain"), max_length=255, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    snippet = models.TextField(_("provider snippet"), blank=True)
    text = models.TextField(_("text snapshot"), blank=True)
    text_hash = models.CharField(max_length=64, blank=True, db_index=True)
    content_type = models.CharField(max_length=100, blank=True)
    fetch_status = models.CharField(
        max_length=10, choices=FetchStatus.choices, default=FetchStatus.PENDING
    )
    fetch_error = models.TextField(blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.PROVIDER)
    # For uploads: the original file name.
    filename = models.CharField(max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources_added",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title or self.url or self.filename or f"source {self.pk}"


class Evidence(models.Model):
    """A claim × source link: the best passage, its score, and the reviewer's stance."""

    class Stance(models.TextChoices):
        UNLABELLED = "", _("Unlabelled")
        SUPPORTS = "supports", _("Supports")
        REFUTES = "refutes", _("Refutes")
        CONTEXT = "context", _("Context")
        IRRELEVANT = "irrelevant", _("Irrelevant")

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="evidence")
    # Offsets into source.text (the snapshot); 0/0 when only the snippet is known.
    passage_start = models.PositiveIntegerField(default=0)
    passage_end = models.PositiveIntegerField(default=0)
    passage = models.TextField(blank=True)
    score = models.FloatField(default=0.0)
    provider = models.CharField(max_length=32, db_index=True)
    query = models.TextField(blank=True)
    stance = models.CharField(max_length=12, choices=Stance.choices, blank=True, default="")
    stance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stances_labelled",
    )
    stance_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim", "-score"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "passage_start", "passage_end"],
                name="evidence_unique_claim_source_passage",
            ),
            models.CheckConstraint(
                condition=Q(passage_end__gte=F("passage_start")), name="evidence_passage_ordered"
            ),
        ]
        indexes = [models.Index(fields=["claim", "-score"])]

    def __str__(self):
        return f"{self.source} → claim {self.claim_id}"


# The data fields of an earlier fact-check (what an import record may carry).
FACTCHECK_DATA_FIELDS = (
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
)


class FactCheck(models.Model):
    """An earlier fact-check published elsewhere (an imported ClaimReview)."""

    class Origin(models.TextChoices):
        IMPORT = "import", _("Imported file")
        FACTCHECK_API = "factcheck", _("Google Fact Check Tools")

    claim_text = models.TextField(_("claim reviewed"))
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=300, blank=True)
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    publisher_name = models.CharField(_("publisher"), max_length=300, blank=True)
    publisher_site = models.CharField(max_length=255, blank=True)
    url = models.URLField(_("URL"), max_length=2048, unique=True)
    title = models.CharField(max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    review_date = models.DateTimeField(_("reviewed"), null=True, blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.IMPORT)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    claims = models.ManyToManyField(
        "claims.Claim", through="FactCheckMatch", related_name="earlier_factchecks", blank=True
    )

    class Meta:
        ordering = ["-review_date"]
        verbose_name = _("earlier fact-check")
        verbose_name_plural = _("earlier fact-checks")

    def __str__(self):
        return f"{self.publisher_name}: {self.claim_text[:80]}"


class FactCheckMatch(models.Model):
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="factcheck_matches"
    )
    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(default=0.0)
    provider = models.CharField(max_length=32)
    query = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "factcheck"], name="factcheck_match_unique")
        ]

    def __str__(self):
        return f"{self.factcheck} ~ claim {self.claim_id}"


class FetchJob(models.Model):
    """One unit of gathering work. The database, not the broker, is the source of truth."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Provider search")
        FETCH_PAGE = "fetch_page", _("Page fetch")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    FINAL_STATUSES = (Status.SUCCEEDED, Status.FAILED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Idempotency key, e.g. "search:wikipedia:claim:42" or "fetch:<sha256 of URL>".
    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    provider = models.CharField(max_length=32, db_index=True)
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="fetch_jobs"
    )
    article = models.ForeignKey(
        "claims.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fetch_jobs",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="fetch_jobs"
    )
    url = models.URLField(max_length=2048, blank=True)
    # Page fetches are shared: every claim waiting on this page (scored when it arrives).
    waiting_claims = models.ManyToManyField("claims.Claim", blank=True, related_name="page_jobs")
    query = models.TextField(blank=True)
    # Free-form input the job needs beyond the ids (JSON only; never pickled).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    last_error = models.TextField(blank=True)
    # Whether a retry could help with the last error (transient) or not (permanent).
    error_transient = models.BooleanField(null=True, blank=True)
    hits = models.PositiveIntegerField(default=0)
    lease_owner = models.CharField(max_length=255, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fetch_jobs_requested",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fetch job")
        verbose_name_plural = _("fetch jobs")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["article", "status"]),
            models.Index(fields=["claim", "status"]),
        ]

    def __str__(self):
        return self.key

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES
