"""The REST API: thin views that validate input and call one service or selector."""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims.api import feed_cache, selectors
from claims.api.filters import ArticleFilter, ClaimFilter, ReviewerVerdictFilter, VerdictFilter
from claims.api.pagination import (
    ClaimCursorPagination,
    IdCursorPagination,
    UpdatedCursorPagination,
    decode_cursor,
    page_size_from,
)
from claims.api.permissions import PublishedRead, ReviewerOnly, VerdictAccess, is_reviewer
from claims.api.serializers import (
    TOMBSTONE_EMPTY_FIELDS,
    ArticleAcceptedSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleSubmitSerializer,
    ClaimReviewFeedItemSerializer,
    ClaimSerializer,
    ErrorSerializer,
    FetchJobSerializer,
    GatherSerializer,
    ReturnSerializer,
    VerdictCreateSerializer,
    VerdictSerializer,
    VerdictWriteSerializer,
    VersionSerializer,
    WithdrawSerializer,
)
from claims.claimreview import claimreview_for
from claims.models import Verdict
from sources.api.serializers import EvidenceSerializer, FactCheckMatchSerializer
from sources.models import Evidence
from workbench.api_errors import Gone

ID_PATTERN = r"[0-9]{1,18}"  # never a number the database cannot hold
# Built feed pages and fingerprints, per process: see claims/api/feed_cache.py.
_feed_pages = feed_cache.pages
_JSON = JSONRenderer()


def _errors(*codes: int) -> dict:
    descriptions = {
        400: "Invalid input, filter, cursor or page size (code: invalid).",
        401: "No or invalid credentials (codes: not_authenticated, authentication_failed).",
        403: "The user's role does not allow this (codes: permission_denied, not_allowed).",
        404: "No such object, or not visible to you (code: not_found).",
        409: "Someone saved first (stale_version, with `current`) or the state forbids it "
        "(invalid_state).",
        410: "The verdict was withdrawn (code: gone, with `withdrawn_at`).",
        429: "Too many requests (code: throttled); see Retry-After.",
    }
    return {c: OpenApiResponse(ErrorSerializer, description=descriptions[c]) for c in codes}


READ_ERRORS = (400, 401, 403, 429)
STALE_EXAMPLE = OpenApiExample(
    "Stale version",
    status_codes=["409"],
    response_only=True,
    value={
        "error": {
            "code": "stale_version",
            "message": "This verdict was changed by someone else while you were editing it "
            "(your version 3, now 4). Review their change and try again.",
            "current": {"id": 7, "status": "draft", "review": {"version": 4}},
        }
    },
)
INVALID_EXAMPLE = OpenApiExample(
    "Bad filter",
    status_codes=["400"],
    response_only=True,
    value={
        "error": {
            "code": "invalid",
            "message": "updated_since: Not an ISO 8601 date-time.",
            "fields": {"updated_since": ["Not an ISO 8601 date-time."]},
        }
    },
)
TEST_VERDICT_EXAMPLE = {
    "id": 7,
    "uuid": "0b8f3c1e-5c2d-4d7e-9a51-2f0c6a9d1e42",
    "status": "published",
    "label": "refuted",
    "label_name": "False",
    "rating_value": 1,
    "summary": "TEST: the records show 40 test widgets, not 400.",
    "rationale": "TEST rationale.",
    "language": "en",
    "claim": {
        "id": 12,
        "uuid": "5e0c7a2b-1111-4c3b-8f00-9b1c2d3e4f50",
        "text": "The test ministry said it bought 400 test widgets in 2022.",
        "review_text": "The test ministry bought 400 test widgets in 2022.",
        "language": "en",
    },
    "article": {
        "id": 3,
        "title": "Test article",
        "url": "https://news.example.invalid/test-article",
        "publisher": "Test News",
        "published_at": "2025-01-30T08:00:00Z",
        "language": "en",
    },
    "cited_evidence": [
        {
            "id": 31,
            "stance": "refutes",
            "passage": "TEST: 40 test widgets were bought.",
            "source_url": "https://records.example.invalid/widgets",
            "source_title": "Test records",
            "source_publisher": "",
            "source_domain": "records.example.invalid",
            "source_published_at": None,
        }
    ],
    "publisher": "Claim-verification workbench",
    "published_at": "2025-02-01T10:00:00Z",
    "withdrawn_at": None,
    "updated_at": "2025-02-01T10:00:00Z",
    "public_url": "https://factcheck.example.invalid/verdicts/0b8f3c1e-5c2d-4d7e-9a51-2f0c6a9d1e42/",
    "claimreview_url": "https://factcheck.example.invalid/api/v1/verdicts/7/claimreview/",
    "review": None,
}
TOMBSTONE_EXAMPLE = {
    "id": 8,
    "uuid": "9d2a4e3f-2222-4b5c-8d6e-7f8091a2b3c4",
    "status": "withdrawn",
    "withdrawn_at": "2025-02-03T09:00:00Z",
    "updated_at": "2025-02-03T09:00:00Z",
    "published_at": "2025-02-02T09:00:00Z",
    **dict.fromkeys(TOMBSTONE_EMPTY_FIELDS),
}
CLAIMREVIEW_EXAMPLE = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example.invalid/verdicts/0b8f3c1e-5c2d-4d7e-9a51-2f0c6a9d1e42/",
    "claimReviewed": "The test ministry bought 400 test widgets in 2022.",
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    },
    "itemReviewed": {
        "@type": "Claim",
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://news.example.invalid/test-article",
            "headline": "Test article",
            "datePublished": "2025-01-30T08:00:00+00:00",
        },
        "datePublished": "2025-01-30T08:00:00+00:00",
        "author": {"@type": "Organization", "name": "Test News"},
    },
    "author": {
        "@type": "Organization",
        "name": "Claim-verification workbench",
        "url": "https://factcheck.example.invalid/",
    },
    "datePublished": "2025-02-01T10:00:00+00:00",
    "dateModified": "2025-02-01T10:00:00+00:00",
    "inLanguage": "en",
    "reviewBody": "TEST: the records show 40 test widgets, not 400.",
}


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


# --- conditional, cached feed pages ---------------------------------------------------------
def _feed_page(view, request, get_queryset, *, audience: str, build):
    """Answer a feed page with ETag/Last-Modified (304 when unchanged) and cache its bytes.

    ``get_queryset()`` gives the filtered queryset (it validates the filters). The
    fingerprint (latest change and, for reviewers, row count of the filtered set) changes
    whenever any item that could be on any page changes, so a cached page is never served
    for other data. For anonymous and no-role clients the fingerprint itself is kept for at
    most ``feed_cache.max_staleness()`` seconds per process, so a hot page costs no query
    (and skips filter validation: the same filters passed when the entry was made)."""
    page_size_from(request)  # validate before answering 304
    if request.query_params.get("cursor"):
        decode_cursor(request.query_params["cursor"])
    queryset = None
    fingerprint = key = None
    if audience != "reviewer":
        key = (
            audience,
            tuple(
                sorted(
                    (name, tuple(values))
                    for name, values in request.query_params.lists()
                    if name not in ("cursor", "page_size")
                )
            ),
        )
        fingerprint = feed_cache.fingerprints.get(key)
    if fingerprint is None:
        taken_at = feed_cache.clock()
        queryset = get_queryset()
        fingerprint = selectors.verdicts_fingerprint(queryset, count=audience == "reviewer")
        if key is not None:
            feed_cache.fingerprints.put(key, taken_at, fingerprint)
    stamps = [s for s in (fingerprint[k] for k in ("last", "claim_last", "article_last")) if s]
    last_modified = max(stamps) if stamps else None
    digest = hashlib.sha256(
        "|".join(
            [
                audience,
                request.build_absolute_uri(),
                str(fingerprint["count"]),
                *(s.isoformat() for s in stamps),
            ]
        ).encode()
    ).hexdigest()
    etag = f'"{digest[:40]}"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        response = not_modified
    elif type(request.accepted_renderer) is not JSONRenderer:
        response = Response(build(queryset if queryset is not None else get_queryset()))
    else:
        # Served as bytes: a hit skips the serializer and the renderer.
        cache_key = f"api:feed:{digest}"
        content = _feed_pages.get(cache_key)
        if content is None:
            data = build(queryset if queryset is not None else get_queryset())
            content = _JSON.render(data)
            _feed_pages.set(cache_key, content)
        response = HttpResponse(content, content_type=_JSON.media_type)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Authorization", "Cookie"])
    return response


FEED_STALENESS_NOTE = (
    "For clients without the reviewer role a change shows in the feed (and in its ETag) "
    "at most `API_FEED_MAX_STALENESS` seconds (default 1) after it was made: a page may be "
    "that old, never inconsistent, and its `next`/`resume` links never skip an item."
)

# Readable without credentials (while API_ANONYMOUS_READ is on), or with a token or session.
OPTIONAL_AUTH = [{"tokenAuth": []}, {"cookieAuth": []}, {}]

FEED_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The ETag of the page you hold: 304 when it has not changed.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="HTTP date: 304 when nothing in the feed changed since.",
    ),
]


# --- articles -------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="List articles (reviewers)",
        responses={200: ArticleSerializer(many=True), **_errors(*READ_ERRORS)},
    ),
    retrieve=extend_schema(
        summary="An article with its text and processing status (reviewers)",
        responses={200: ArticleDetailSerializer, **_errors(401, 403, 404, 429)},
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReviewerOnly]
    pagination_class = IdCursorPagination
    filterset_class = ArticleFilter
    lookup_value_regex = ID_PATTERN
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.article_detail()
        return selectors.articles_for_api()

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    @extend_schema(
        summary="Submit an article to check (reviewers)",
        description=(
            "Give exactly one of `text`, `url` or a `file` (multipart). Text and files are "
            "processed at once; a URL is fetched in the background. Answers 202 with the "
            "article and a `status_url` (also in `Location`) to poll until `status` is "
            "`ready` or `failed` (with `status_error`). The same text twice gives the same "
            "article."
        ),
        request={
            "application/json": ArticleSubmitSerializer,
            "multipart/form-data": ArticleSubmitSerializer,
        },
        responses={202: ArticleAcceptedSerializer, **_errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "From a URL",
                request_only=True,
                value={"url": "https://news.example.invalid/test-article", "language": "en"},
            ),
            OpenApiExample(
                "From text",
                request_only=True,
                value={
                    "text": "TEST DATA. The test ministry bought 400 test widgets.",
                    "title": "Test article",
                },
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        from claims.services import article_submit  # built by the ingestion helper

        form = ArticleSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data.get("file")
        article = article_submit(
            user=request.user,
            text=form.validated_data.get("text", ""),
            data=upload.read() if upload else None,
            filename=upload.name if upload else "",
            url=form.validated_data.get("url", ""),
            title=form.validated_data.get("title", ""),
            language=form.validated_data.get("language", ""),
        )
        article = selectors.articles_for_api().get(pk=article.pk)
        status_url = request.build_absolute_uri(
            reverse("api:article-detail", kwargs={"pk": article.pk})
        )
        body = {"article": ArticleSerializer(article).data, "status_url": status_url}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})


# --- claims ---------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="List claims (reviewers)",
        responses={200: ClaimSerializer(many=True), **_errors(*READ_ERRORS)},
    ),
    retrieve=extend_schema(
        summary="A claim: span, wording, score and reasons, state (reviewers)",
        responses={200: ClaimSerializer, **_errors(401, 403, 404, 429)},
    ),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReviewerOnly]
    pagination_class = ClaimCursorPagination
    filterset_class = ClaimFilter
    serializer_class = ClaimSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.claims_for_api()

    @extend_schema(
        summary="Candidate sources and evidence for a claim, best first (reviewers)",
        filters=False,
        responses={200: EvidenceSerializer(many=True), **_errors(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def sources(self, request, pk=None):
        claim = self.get_object()
        evidence = selectors.evidence_for_claim(claim)
        return Response(EvidenceSerializer(evidence, many=True).data)

    @extend_schema(
        summary="Earlier fact-checks matched to a claim (reviewers)",
        filters=False,
        responses={200: FactCheckMatchSerializer(many=True), **_errors(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def factchecks(self, request, pk=None):
        claim = self.get_object()
        return Response(
            FactCheckMatchSerializer(selectors.factchecks_for_claim(claim), many=True).data
        )

    @extend_schema(
        summary="Source-gathering jobs of a claim (reviewers)",
        filters=False,
        responses={200: FetchJobSerializer(many=True), **_errors(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def jobs(self, request, pk=None):
        claim = self.get_object()
        return Response(FetchJobSerializer(selectors.jobs_for_claim(claim), many=True).data)

    @extend_schema(
        summary="Gather candidate sources for a claim (reviewers)",
        description="Enqueues one search job per enabled provider (or the ones named); "
        "answers 202 with the jobs. Poll `jobs/`, then read `sources/`.",
        request=GatherSerializer,
        filters=False,
        responses={202: FetchJobSerializer(many=True), **_errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "Two providers", request_only=True, value={"providers": ["wikipedia", "gdelt"]}
            )
        ],
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def gather(self, request, pk=None):
        from sources.services import sources_gather  # built by the jobs helper

        claim = self.get_object()
        form = GatherSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        jobs = sources_gather(
            claims=[claim],
            requested_by=request.user,
            providers=form.validated_data.get("providers"),
        )
        return Response(FetchJobSerializer(jobs, many=True).data, status=status.HTTP_202_ACCEPTED)


# --- verdicts -------------------------------------------------------------------------------
def _version_example(name: str, extra: dict | None = None) -> OpenApiExample:
    return OpenApiExample(name, request_only=True, value={"version": 3, **(extra or {})})


TRANSITION_RESPONSES = {200: VerdictSerializer, **_errors(400, 401, 403, 404, 409, 429)}


@extend_schema_view(
    list=extend_schema(
        summary="Verdicts, oldest change first (the published feed for API clients)",
        auth=OPTIONAL_AUTH,
        description=(
            "Clients without the reviewer role see published verdicts and, as tombstones "
            "(content null, `withdrawn_at` set), withdrawn ones: remove those you hold. "
            "Reviewers see every verdict and its `review` block. Ordered by (`updated_at`, "
            "`id`); follow `next` until null and keep `resume` to sync later. "
            + FEED_STALENESS_NOTE
        ),
        parameters=FEED_PARAMETERS,
        responses={
            200: VerdictSerializer(many=True),
            304: OpenApiResponse(description="Not modified (ETag or date matched)."),
            **_errors(*READ_ERRORS),
        },
        examples=[
            OpenApiExample(
                "A page",
                response_only=True,
                status_codes=["200"],
                value=[TEST_VERDICT_EXAMPLE, TOMBSTONE_EXAMPLE],
            ),
            INVALID_EXAMPLE,
        ],
    ),
    retrieve=extend_schema(
        summary="One verdict",
        auth=OPTIONAL_AUTH,
        responses={
            200: VerdictSerializer,
            **_errors(401, 403, 404, 410, 429),
        },
        examples=[
            OpenApiExample(
                "Published", response_only=True, status_codes=["200"], value=TEST_VERDICT_EXAMPLE
            )
        ],
    ),
    create=extend_schema(
        summary="Save the draft verdict of a claim (reviewers)",
        description="Creates the claim's verdict, or updates its live draft (then send its "
        "`version`). Serialisers validate; the workflow rules are the services'.",
        request=VerdictCreateSerializer,
        responses={
            201: VerdictSerializer,
            200: VerdictSerializer,
            **_errors(400, 401, 403, 404, 409, 429),
        },
        examples=[
            OpenApiExample(
                "New draft",
                request_only=True,
                value={
                    "claim": 12,
                    "label": "refuted",
                    "summary": "TEST: the records show 40 test widgets, not 400.",
                    "rationale": "TEST rationale.",
                    "evidence": [31],
                },
            ),
            STALE_EXAMPLE,
        ],
    ),
    update=extend_schema(
        summary="Update a draft or returned verdict (its author)",
        request=VerdictWriteSerializer,
        responses={200: VerdictSerializer, **_errors(400, 401, 403, 404, 409, 429)},
        examples=[
            OpenApiExample(
                "Edit",
                request_only=True,
                value={
                    "label": "refuted",
                    "summary": "TEST summary.",
                    "evidence": [31],
                    "version": 3,
                },
            ),
            STALE_EXAMPLE,
        ],
    ),
    destroy=extend_schema(
        summary="Delete a draft or returned verdict (its author)",
        responses={204: None, **_errors(401, 403, 404, 409, 429)},
    ),
)
class VerdictViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [VerdictAccess]
    pagination_class = UpdatedCursorPagination
    filterset_class = ReviewerVerdictFilter
    serializer_class = VerdictSerializer
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.verdicts_visible_to(self.request.user)

    def get_serializer_context(self):
        return super().get_serializer_context() | {"reviewer": is_reviewer(self.request)}

    def serialize_current(self, verdict):
        """The object a 409 stale_version error carries (see workbench.api_errors)."""
        verdict = selectors.verdicts_with_details(Verdict.objects.all(), reviewer=True).get(
            pk=verdict.pk
        )
        return self.get_serializer(verdict).data

    def _detail(self, verdict, *, code=status.HTTP_200_OK):
        verdict = selectors.verdicts_with_details(
            Verdict.objects.all(), reviewer=is_reviewer(self.request)
        ).get(pk=verdict.pk)
        return Response(self.get_serializer(verdict).data, status=code)

    def _writable(self) -> Verdict:
        return get_object_or_404(Verdict.objects.all(), pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        reviewer = is_reviewer(request)

        def build(qs):
            page = self.paginator.paginate_queryset(
                selectors.verdicts_with_details(qs, reviewer=reviewer), request, view=self
            )
            data = self.get_serializer(page, many=True).data
            return self.paginator.get_paginated_data(data)

        return _feed_page(
            self,
            request,
            lambda: self.filter_queryset(self.get_queryset()),
            audience="reviewer" if reviewer else "public",
            build=build,
        )

    def retrieve(self, request, *args, **kwargs):
        verdict = self.get_object()
        if verdict.status == Verdict.Status.WITHDRAWN and not is_reviewer(request):
            raise Gone(
                _("This verdict was withdrawn."),
                extra={"withdrawn_at": verdict.withdrawn_at.isoformat()},
            )
        return self._detail(verdict)

    def create(self, request, *args, **kwargs):
        from claims.models import Claim
        from claims.services import verdict_save_draft

        form = VerdictCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        claim = get_object_or_404(Claim.objects.all(), pk=data["claim"])
        had_live = claim.verdicts.exclude(status=Verdict.Status.WITHDRAWN).exists()
        verdict = verdict_save_draft(
            claim=claim,
            user=request.user,
            label=data["label"],
            summary=data["summary"],
            rationale=data["rationale"],
            evidence=_evidence(data["evidence"]),
            language=data["language"],
            expected_version=data["version"],
        )
        return self._detail(verdict, code=status.HTTP_200_OK if had_live else 201)

    def update(self, request, *args, **kwargs):
        from claims.services import verdict_save_draft

        verdict = self._writable()
        form = VerdictWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if data["version"] is None:
            raise ValidationError({"version": [_("Send the version you edited.")]})
        if verdict.status == Verdict.Status.WITHDRAWN:
            raise Gone(_("This verdict was withdrawn; write a new one for the claim."))
        verdict = verdict_save_draft(
            claim=verdict.claim,
            user=request.user,
            label=data["label"],
            summary=data["summary"],
            rationale=data["rationale"],
            evidence=_evidence(data["evidence"]),
            language=data["language"],
            expected_version=data["version"],
        )
        return self._detail(verdict)

    def destroy(self, request, *args, **kwargs):
        from claims.services import verdict_delete_draft

        verdict_delete_draft(verdict=self._writable(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, service, serializer_class, **names):
        form = serializer_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        extra = {target: form.validated_data[source] for target, source in names.items()}
        verdict = service(
            verdict=self._writable(),
            user=self.request.user,
            expected_version=form.validated_data["version"],
            **extra,
        )
        feed_cache.clear()  # this process's feed shows the change at once
        return self._detail(verdict)

    @extend_schema(
        summary="Submit a draft for an editor's review (its author)",
        request=VersionSerializer,
        filters=False,
        responses=TRANSITION_RESPONSES,
        examples=[_version_example("Submit"), STALE_EXAMPLE],
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def submit(self, request, pk=None):
        from claims.services import verdict_submit

        return self._transition(verdict_submit, VersionSerializer)

    @extend_schema(
        summary="Approve a submitted verdict (editors; never one's own)",
        request=VersionSerializer,
        filters=False,
        responses=TRANSITION_RESPONSES,
        examples=[_version_example("Approve")],
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def approve(self, request, pk=None):
        from claims.services import verdict_approve

        return self._transition(verdict_approve, VersionSerializer)

    @extend_schema(
        summary="Return a verdict to its author with a comment (editors)",
        request=ReturnSerializer,
        filters=False,
        responses=TRANSITION_RESPONSES,
        examples=[_version_example("Return", {"comment": "TEST: cite the records."})],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filterset_class=None,
        pagination_class=None,
    )
    def return_(self, request, pk=None):
        from claims.services import verdict_return

        return self._transition(verdict_return, ReturnSerializer, comment="comment")

    @extend_schema(
        summary="Publish an approved (or submitted) verdict (editors; never one's own)",
        request=VersionSerializer,
        filters=False,
        responses=TRANSITION_RESPONSES,
        examples=[_version_example("Publish")],
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def publish(self, request, pk=None):
        from claims.services import verdict_publish

        return self._transition(verdict_publish, VersionSerializer)

    @extend_schema(
        summary="Withdraw a published verdict (editors)",
        description="The verdict becomes a tombstone in the feeds; its ClaimReview answers 410.",
        request=WithdrawSerializer,
        filters=False,
        responses=TRANSITION_RESPONSES,
        examples=[_version_example("Withdraw", {"reason": "TEST: a correction."})],
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def withdraw(self, request, pk=None):
        from claims.services import verdict_withdraw

        return self._transition(verdict_withdraw, WithdrawSerializer, reason="reason")

    @extend_schema(
        summary="The schema.org ClaimReview of a published verdict",
        auth=OPTIONAL_AUTH,
        description="JSON-LD (`application/ld+json`). 404 unless published; 410 once withdrawn.",
        filters=False,
        parameters=FEED_PARAMETERS,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A ClaimReview document."),
            304: OpenApiResponse(description="Not modified."),
            **_errors(401, 404, 410, 429),
        },
        examples=[
            OpenApiExample(
                "ClaimReview", response_only=True, status_codes=["200"], value=CLAIMREVIEW_EXAMPLE
            )
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[PublishedRead],
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        filterset_class=None,
        pagination_class=None,
    )
    def claimreview(self, request, pk=None):
        verdict = get_object_or_404(
            selectors.verdicts_for_claimreview(Verdict.objects.all()), pk=pk
        )
        if verdict.status == Verdict.Status.WITHDRAWN:
            raise Gone(
                _("This verdict was withdrawn."),
                extra={"withdrawn_at": verdict.withdrawn_at.isoformat()},
            )
        if verdict.status != Verdict.Status.PUBLISHED:
            raise NotFound(_("No published verdict with this id."))
        return _claimreview_response(request, verdict)


def _claimreview_response(request, verdict):
    digest = hashlib.sha256(
        f"{verdict.pk}|{verdict.updated_at.isoformat()}|{verdict.claim.article_id}".encode()
    ).hexdigest()
    etag = f'"{digest[:40]}"'
    response = get_conditional_response(request, etag=etag) or Response(claimreview_for(verdict))
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def _evidence(ids: list[int]) -> list[Evidence]:
    """The evidence items named by id; an unknown id is a 400 (the service checks the claim)."""
    from claims.errors import InvalidInput

    found = {e.pk: e for e in Evidence.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            _("Unknown evidence: %(ids)s.") % {"ids": ", ".join(str(i) for i in missing)}
        )
    return [found[i] for i in dict.fromkeys(ids)]


# --- the ClaimReview feed -------------------------------------------------------------------
class ClaimReviewFeedView(generics.ListAPIView):
    """The feed of ClaimReview documents for aggregators."""

    permission_classes = [PublishedRead]
    pagination_class = UpdatedCursorPagination
    filterset_class = VerdictFilter
    serializer_class = ClaimReviewFeedItemSerializer

    def get_queryset(self):
        return selectors.verdicts_published_feed()

    @extend_schema(
        summary="The ClaimReview feed: published verdicts and withdrawal tombstones",
        auth=OPTIONAL_AUTH,
        description=(
            "Every published verdict as a schema.org ClaimReview, oldest change first "
            "(`updated_at`, `id`). A withdrawn verdict appears as a tombstone "
            "(`status: withdrawn`, `claimreview: null`, `withdrawn_at`): remove it. Follow "
            "`next` until null; keep `resume` and fetch it later to get only what changed. "
            "Pages carry ETag and Last-Modified: send If-None-Match / If-Modified-Since to get "
            "304 when nothing changed. " + FEED_STALENESS_NOTE
        ),
        parameters=FEED_PARAMETERS,
        responses={
            200: ClaimReviewFeedItemSerializer(many=True),
            304: OpenApiResponse(description="Not modified (ETag or date matched)."),
            **_errors(*READ_ERRORS),
        },
        examples=[
            OpenApiExample(
                "A page",
                response_only=True,
                status_codes=["200"],
                value=[
                    {
                        "id": 7,
                        "uuid": TEST_VERDICT_EXAMPLE["uuid"],
                        "status": "published",
                        "updated_at": "2025-02-01T10:00:00Z",
                        "withdrawn_at": None,
                        "claimreview": CLAIMREVIEW_EXAMPLE,
                    },
                    {
                        "id": 8,
                        "uuid": TOMBSTONE_EXAMPLE["uuid"],
                        "status": "withdrawn",
                        "updated_at": "2025-02-03T09:00:00Z",
                        "withdrawn_at": "2025-02-03T09:00:00Z",
                        "claimreview": None,
                    },
                ],
            ),
            INVALID_EXAMPLE,
        ],
    )
    def get(self, request, *args, **kwargs):
        paginator = self.paginator

        def build(qs):
            page = paginator.paginate_queryset(
                selectors.verdicts_for_claimreview(qs), request, view=self
            )
            data = ClaimReviewFeedItemSerializer(page, many=True).data
            return paginator.get_paginated_data(data)

        return _feed_page(
            self,
            request,
            lambda: self.filter_queryset(self.get_queryset()),
            audience="feed",
            build=build,
        )
