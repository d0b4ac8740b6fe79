"""API representations and input validation. Serializers never save: views call services."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from claims.claimreview import claimreview_for, rating_name, rating_value, verdict_public_url
from claims.models import Article, Claim, Verdict
from sources.models import Evidence

MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """A string, and only a string (DRF would turn 0 into "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """An integer, and only an integer (DRF would take "3" or 3.0)."""

    default_error_messages = {"invalid": "A whole number is required (not a string)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


# --- articles -------------------------------------------------------------------------------
class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="Where it was published; may be empty.")
    claim_count = serializers.IntegerField(read_only=True)
    status_error = serializers.CharField(
        read_only=True, help_text="Why processing failed (status 'failed'), else empty."
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "uuid",
            "title",
            "language",
            "url",
            "publisher",
            "published_at",
            "status",
            "status_error",
            "claim_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text"]
        read_only_fields = fields


class ArticleSubmitSerializer(serializers.Serializer):
    """Exactly one of ``text``, ``url`` or ``file`` (multipart)."""

    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False)
    url = serializers.URLField(required=False, allow_blank=True, max_length=2048)
    file = serializers.FileField(required=False, allow_empty_file=False)
    title = StrictCharField(required=False, allow_blank=True, max_length=500)
    language = StrictCharField(required=False, allow_blank=True, max_length=16)

    def validate(self, attrs):
        given = [name for name in ("text", "url", "file") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                "Give exactly one of 'text', 'url' or 'file' (the article to check)."
            )
        return attrs


class ArticleAcceptedSerializer(serializers.Serializer):
    article = ArticleSerializer()
    status_url = serializers.URLField(help_text="Poll this until status is ready or failed.")


# --- claims ---------------------------------------------------------------------------------
class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    weight = serializers.FloatField(required=False)
    evidence = serializers.CharField(required=False, allow_blank=True)


class ClaimSerializer(serializers.ModelSerializer):
    article = serializers.IntegerField(source="article_id", read_only=True)
    review_text = serializers.CharField(
        read_only=True, help_text="The wording reviewers check (the wording, else the text)."
    )
    reasons = serializers.SerializerMethodField()
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "uuid",
            "article",
            "start",
            "end",
            "text",
            "wording",
            "review_text",
            "language",
            "checkworthiness",
            "reasons",
            "state",
            "origin",
            "assignee",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, claim):
        reasons = claim.reasons if isinstance(claim.reasons, list) else []
        return [r for r in reasons if isinstance(r, dict)]


class GatherSerializer(serializers.Serializer):
    providers = serializers.ListField(
        child=StrictCharField(max_length=32),
        required=False,
        allow_empty=False,
        help_text="Provider names (default: every enabled provider).",
    )


class FetchJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    kind = serializers.CharField()
    provider = serializers.CharField()
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    url = serializers.CharField(allow_blank=True)
    query = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(
        choices=["queued", "running", "retrying", "succeeded", "failed"]
    )
    attempts = serializers.IntegerField()
    last_error = serializers.CharField(allow_blank=True)
    hits = serializers.IntegerField()
    enqueued_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


# --- verdicts -------------------------------------------------------------------------------
class CitedEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stance = serializers.CharField(allow_blank=True)
    passage = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(source="source.url", allow_null=True)
    source_title = serializers.CharField(source="source.title", allow_blank=True)
    source_publisher = serializers.CharField(source="source.publisher", allow_blank=True)
    source_domain = serializers.CharField(source="source.domain", allow_blank=True)
    source_published_at = serializers.DateTimeField(source="source.published_at", allow_null=True)


class VerdictClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    text = serializers.CharField(help_text="The claim as it appears in the article.")
    review_text = serializers.CharField(help_text="The wording that was checked.")
    language = serializers.CharField(allow_blank=True)


class VerdictArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField(allow_blank=True)


class VerdictReviewSerializer(serializers.Serializer):
    """What only reviewers see: the workflow."""

    version = serializers.IntegerField(help_text="Send it back when changing the verdict.")
    author = serializers.CharField(source="author.username")
    approved_by = serializers.CharField(source="approved_by.username", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    return_comment = serializers.CharField(allow_blank=True)
    withdrawal_reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class VerdictSerializer(serializers.Serializer):
    """A verdict. For clients without the reviewer role a withdrawn verdict is a tombstone:
    every content field is null, ``withdrawn_at`` says when; ``review`` is null."""

    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Verdict.Status.choices)
    label = serializers.ChoiceField(choices=Verdict.Label.choices, allow_null=True)
    label_name = serializers.CharField(
        allow_null=True, help_text="The label's name in the verdict's language (e.g. Misleading)."
    )
    rating_value = serializers.IntegerField(
        allow_null=True, help_text="ClaimReview ratingValue: 5, 3, 1, or null (unproven)."
    )
    summary = serializers.CharField(allow_null=True)
    rationale = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True)
    claim = VerdictClaimSerializer(allow_null=True)
    article = VerdictArticleSerializer(allow_null=True)
    cited_evidence = CitedEvidenceSerializer(many=True, allow_null=True)
    publisher = serializers.CharField(allow_null=True, help_text="Who publishes the verdict.")
    published_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    public_url = serializers.URLField(allow_null=True)
    claimreview_url = serializers.URLField(allow_null=True)
    review = VerdictReviewSerializer(allow_null=True)

    def to_representation(self, verdict: Verdict) -> dict:
        reviewer = bool(self.context.get("reviewer"))
        request = self.context.get("request")
        base = {
            "id": verdict.pk,
            "uuid": str(verdict.uuid),
            "status": verdict.status,
            "withdrawn_at": _iso(verdict.withdrawn_at),
            "updated_at": _iso(verdict.updated_at),
            "published_at": _iso(verdict.published_at),
        }
        if verdict.status == Verdict.Status.WITHDRAWN and not reviewer:
            return base | dict.fromkeys(TOMBSTONE_EMPTY_FIELDS)
        claim = verdict.claim
        article = claim.article
        language = verdict.language or claim.language
        public = verdict.status in (Verdict.Status.PUBLISHED, Verdict.Status.WITHDRAWN)
        return base | {
            "label": verdict.label or None,
            "label_name": rating_name(verdict.label, language) or None,
            "rating_value": rating_value(verdict.label),
            "summary": verdict.summary,
            "rationale": verdict.rationale,
            "language": language,
            "claim": {
                "id": claim.pk,
                "uuid": str(claim.uuid),
                "text": claim.text,
                "review_text": claim.review_text,
                "language": claim.language,
            },
            "article": {
                "id": article.pk,
                "title": article.title,
                "url": article.url,
                "publisher": article.publisher,
                "published_at": _iso(article.published_at),
                "language": article.language,
            },
            "cited_evidence": CitedEvidenceSerializer(verdict.cited_evidence.all(), many=True).data,
            "publisher": _publisher_name(),
            "public_url": verdict_public_url(verdict) if public else None,
            "claimreview_url": (
                _absolute(request, reverse("api:verdict-claimreview", kwargs={"pk": verdict.pk}))
                if verdict.status == Verdict.Status.PUBLISHED
                else None
            ),
            "review": VerdictReviewSerializer(verdict).data if reviewer else None,
        }


# What a withdrawn verdict's public tombstone leaves empty: all of its content.
TOMBSTONE_EMPTY_FIELDS = (
    "label",
    "label_name",
    "rating_value",
    "summary",
    "rationale",
    "language",
    "claim",
    "article",
    "cited_evidence",
    "publisher",
    "public_url",
    "claimreview_url",
    "review",
)


def _publisher_name() -> str:
    from django.conf import settings

    return settings.PUBLISHER_NAME


def _iso(value):
    return serializers.DateTimeField().to_representation(value) if value else None


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class VerdictWriteSerializer(serializers.Serializer):
    label = serializers.ChoiceField(
        choices=Verdict.Label.choices, required=False, allow_blank=True, default=""
    )
    summary = StrictCharField(
        required=False, allow_blank=True, default="", max_length=5000, trim_whitespace=False
    )
    rationale = StrictCharField(
        required=False, allow_blank=True, default="", max_length=50000, trim_whitespace=False
    )
    language = StrictCharField(required=False, allow_blank=True, default="", max_length=16)
    evidence = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=200,
        help_text="Ids of this claim's evidence items the verdict cites.",
    )
    version = StrictIntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=MAX_ID,
        help_text="The version you edited (0 or absent for a new verdict); 409 when stale.",
    )


class VerdictCreateSerializer(VerdictWriteSerializer):
    claim = StrictIntegerField(min_value=1, max_value=MAX_ID)


class VersionSerializer(serializers.Serializer):
    version = StrictIntegerField(
        min_value=0,
        max_value=MAX_ID,
        help_text="The version you saw; the change is refused (409) when someone saved since.",
    )


class ReturnSerializer(VersionSerializer):
    comment = StrictCharField(max_length=5000, help_text="Why it goes back to its author.")


class WithdrawSerializer(VersionSerializer):
    reason = StrictCharField(max_length=5000, help_text="Why it is withdrawn.")


# --- ClaimReview feed -----------------------------------------------------------------------
ClaimReviewDocument = OpenApiTypes.OBJECT


class ClaimReviewFeedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The verdict's id.")
    uuid = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["published", "withdrawn"])
    updated_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    claimreview = serializers.SerializerMethodField(
        help_text="The schema.org ClaimReview; null for a withdrawn verdict (remove it)."
    )

    def to_representation(self, verdict: Verdict) -> dict:
        published = verdict.status == Verdict.Status.PUBLISHED
        return {
            "id": verdict.pk,
            "uuid": str(verdict.uuid),
            "status": verdict.status,
            "updated_at": _iso(verdict.updated_at),
            "withdrawn_at": _iso(verdict.withdrawn_at),
            "claimreview": claimreview_for(verdict) if published else None,
        }

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_claimreview(self, verdict):  # documented shape; to_representation does the work
        return None


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(help_text="Machine-readable, e.g. stale_version."),
                "message": serializers.CharField(help_text="For people."),
                "fields": serializers.DictField(
                    required=False, help_text="Per-field messages for invalid input."
                ),
                "current": serializers.DictField(
                    required=False,
                    allow_null=True,
                    help_text="409 stale_version: the object as it now is.",
                ),
                "withdrawn_at": serializers.DateTimeField(
                    required=False, help_text="410: when the verdict was withdrawn."
                ),
                "retry_after": serializers.IntegerField(
                    required=False, help_text="429: seconds to wait (also in Retry-After)."
                ),
            },
        )
    },
)


class EvidenceStanceSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(
        choices=Evidence.Stance.choices, allow_blank=True, help_text="'' clears the label."
    )
