"""Evidence labelling and earlier fact-checks (reviewers only)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.api import selectors
from claims.api.pagination import IdCursorPagination
from claims.api.permissions import ReviewerOnly
from claims.api.serializers import EvidenceStanceSerializer
from claims.api.views import ID_PATTERN, READ_ERRORS, _errors
from sources.api.serializers import EvidenceSerializer, FactCheckSerializer
from sources.models import Evidence


@extend_schema_view(
    retrieve=extend_schema(
        summary="One evidence item (reviewers)",
        responses={200: EvidenceSerializer, **_errors(401, 403, 404, 429)},
    )
)
class EvidenceViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReviewerOnly]
    serializer_class = EvidenceSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return Evidence.objects.select_related("source", "stance_by").defer("source__text")

    @extend_schema(
        summary="Label an evidence item's stance (reviewers)",
        description="`supports`, `refutes`, `context`, `irrelevant`, or '' to clear. "
        "Refused (409) once the claim is published or superseded.",
        request=EvidenceStanceSerializer,
        responses={200: EvidenceSerializer, **_errors(400, 401, 403, 404, 409, 429)},
        examples=[OpenApiExample("Refutes", request_only=True, value={"stance": "refutes"})],
    )
    @action(detail=True, methods=["post"])
    def stance(self, request, pk=None):
        from sources.services import evidence_label

        evidence = self.get_object()
        form = EvidenceStanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        evidence = evidence_label(
            evidence=evidence, user=request.user, stance=form.validated_data["stance"]
        )
        return Response(EvidenceSerializer(self.get_queryset().get(pk=evidence.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Earlier fact-checks published elsewhere (reviewers)",
        responses={200: FactCheckSerializer(many=True), **_errors(*READ_ERRORS)},
    ),
    retrieve=extend_schema(
        summary="One earlier fact-check (reviewers)",
        responses={200: FactCheckSerializer, **_errors(401, 403, 404, 429)},
    ),
)
class FactCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReviewerOnly]
    serializer_class = FactCheckSerializer
    pagination_class = IdCursorPagination
    lookup_value_regex = ID_PATTERN
    filter_backends = []

    def get_queryset(self):
        return selectors.factchecks_for_api()
