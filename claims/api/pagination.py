"""Cursor pagination for the API.

``UpdatedCursorPagination`` is the sync feed's: forward-only keyset pagination on
(``updated_at``, ``id``). A client that follows ``next`` until it is null and later fetches
the ``resume`` link sees every item changed since, exactly once per change: an item updated
between two fetches moves past the cursor and comes again with its new content, an item not
changed never repeats, and no offset can skip a row."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size_from(request, default: int = DEFAULT_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [_("Give a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]}
        )
    return size


def _bad_cursor():
    return ValidationError(
        {"cursor": [_("Invalid cursor: use the 'next' or 'resume' link of an earlier page.")]}
    )


def encode_cursor(updated_at: datetime, pk: int) -> str:
    raw = f"{updated_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
        stamp, _sep, pk = raw.partition("|")
        updated_at = datetime.fromisoformat(stamp)
        number = int(pk)
    except (ValueError, UnicodeError, binascii.Error):
        raise _bad_cursor() from None
    if updated_at.tzinfo is None or not 0 < number < 2**63:
        raise _bad_cursor()
    return updated_at, number


class UpdatedCursorPagination(BasePagination):
    """Keyset pagination on (updated_at, id), ascending."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = page_size_from(request)
        self.cursor = request.query_params.get(self.cursor_query_param)
        queryset = queryset.order_by("updated_at", "id")
        if self.cursor:
            updated_at, pk = decode_cursor(self.cursor)
            queryset = queryset.filter(
                Q(updated_at__gt=updated_at) | Q(updated_at=updated_at, id__gt=pk)
            )
        rows = list(queryset[: self.page_size + 1])
        self.has_more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        return self.page

    def _link(self, cursor: str | None) -> str:
        url = self.request.build_absolute_uri()
        if cursor is None:
            return remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_links(self) -> tuple[str | None, str]:
        if self.page:
            last = self.page[-1]
            after_last = self._link(encode_cursor(last.updated_at, last.pk))
        else:
            after_last = self._link(self.cursor)
        return (after_last if self.has_more else None), after_last

    def get_paginated_response(self, data):
        return Response(self.get_paginated_data(data))

    def get_paginated_data(self, data) -> dict:
        next_link, resume = self.get_links()
        return {"next": next_link, "resume": resume, "results": data}

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "resume", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page; null when you have everything up to now.",
                    "example": "https://factcheck.example.invalid/api/v1/claimreviews/?cursor=MjAy",
                },
                "resume": {
                    "type": "string",
                    "format": "uri",
                    "description": (
                        "Keep this link and fetch it later to get only what changed since "
                        "this page (including withdrawals, as tombstones)."
                    ),
                    "example": "https://factcheck.example.invalid/api/v1/claimreviews/?cursor=MjAy",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `resume` link.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {MAX_PAGE_SIZE} (default "
                f"{DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


class IdCursorPagination(CursorPagination):
    """DRF's cursor pagination on a unique ordering; a bad cursor or page size is a 400."""

    ordering = "-id"
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size_from(request, self.page_size)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except Exception as exc:  # DRF raises NotFound for a cursor it cannot read
            raise _bad_cursor() from exc
        # The position is compared with the integer id: anything else would reach the database.
        if cursor is not None and cursor.position is not None:
            if not (cursor.position.isdigit() and int(cursor.position) < 2**63):
                raise _bad_cursor()
        return cursor

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == "page_size":
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
        return params


class ClaimCursorPagination(IdCursorPagination):
    ordering = "id"
