"""One exception handler for the API: every error is
``{"error": {"code": "...", "message": "...", "fields": {...}}}`` with a machine-readable code.

Domain errors raised by services are mapped here, and only here."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.errors import (
    DomainError,
    IngestError,
    InvalidInput,
    InvalidState,
    NotAllowed,
    StaleVersion,
)

logger = logging.getLogger(__name__)

DOMAIN_STATUS = [
    (StaleVersion, status.HTTP_409_CONFLICT),
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (InvalidState, status.HTTP_409_CONFLICT),
    (IngestError, status.HTTP_400_BAD_REQUEST),
    (InvalidInput, status.HTTP_400_BAD_REQUEST),
    (DomainError, status.HTTP_400_BAD_REQUEST),
]

DRF_CODES = {
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
}


class Gone(exceptions.APIException):
    """410: the resource existed (e.g. a withdrawn verdict) and is no longer served."""

    status_code = status.HTTP_410_GONE
    default_detail = "This resource is no longer available."
    default_code = "gone"

    def __init__(self, detail=None, code=None, *, extra: dict | None = None):
        super().__init__(detail, code)
        self.extra = extra or {}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def _flatten(detail) -> dict | list | str:
    """DRF's ErrorDetail trees as plain strings (lists of messages per field)."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _validation_message(fields) -> str:
    if isinstance(fields, dict):
        for key, value in fields.items():
            first = value
            while isinstance(first, (list, dict)) and first:
                first = first[0] if isinstance(first, list) else next(iter(first.values()))
            if key in ("non_field_errors", "detail"):
                return str(first)
            return f"{key}: {first}"
    if isinstance(fields, list) and fields:
        return str(fields[0])
    return _("The request is not valid.")


def _stale_current(exc: StaleVersion, context):
    view = context.get("view")
    serialize = getattr(view, "serialize_current", None)
    if exc.current is None or serialize is None:
        return None
    return serialize(exc.current)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code_status = next(s for cls, s in DOMAIN_STATUS if isinstance(exc, cls))
        extra = {}
        if isinstance(exc, StaleVersion):
            extra["current"] = _stale_current(exc, context)
        return Response(error_body(exc.code, exc.message, **extra), status=code_status)

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django logs it and answers 500

    code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), None)
    if code is None:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else "error"
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            body = error_body(code, _validation_message(fields))
        else:
            body = error_body(code, _validation_message(fields), fields)
    else:
        extra = getattr(exc, "extra", {}) or {}
        body = error_body(code, str(exc.detail), **extra)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["error"]["retry_after"] = int(exc.wait) + (0 if exc.wait == int(exc.wait) else 1)
    response.data = body
    return response


@csrf_exempt  # it changes nothing; a POST to an unknown path gets the JSON 404 too
def api_not_found(request, *args, **kwargs):
    """JSON 404 for any unknown path under /api/ (instead of the HTML page)."""
    return JsonResponse(error_body("not_found", _("No API endpoint at this address.")), status=404)
