"""Candidate sources, evidence and earlier fact-checks as the API shows them (read-only)."""

from rest_framework import serializers

from sources.models import FACTCHECK_DATA_FIELDS, Evidence, FactCheck, FactCheckMatch, Source


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, allow_null=True, help_text="None for uploads.")

    class Meta:
        model = Source
        fields = [
            "id",
            "uuid",
            "url",
            "title",
            "publisher",
            "domain",
            "language",
            "published_at",
            "snippet",
            "fetch_status",
            "fetched_at",
            "origin",
            "filename",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    source = SourceSerializer(read_only=True)
    stance_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "source",
            "passage",
            "passage_start",
            "passage_end",
            "score",
            "provider",
            "query",
            "stance",
            "stance_by",
            "stance_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FactCheckSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)

    class Meta:
        model = FactCheck
        fields = ["id", *(f for f in FACTCHECK_DATA_FIELDS if f != "raw")]
        read_only_fields = fields


class FactCheckMatchSerializer(serializers.ModelSerializer):
    factcheck = FactCheckSerializer(read_only=True)

    class Meta:
        model = FactCheckMatch
        fields = ["score", "provider", "query", "factcheck"]
        read_only_fields = fields
