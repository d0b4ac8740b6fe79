"""Who may call what. Every decision goes through ``accounts.roles``."""

from django.conf import settings
from rest_framework.permissions import BasePermission

from accounts import roles


def is_reviewer(request) -> bool:
    return roles.can_review(request.user)


class PublishedRead(BasePermission):
    """The published feed and ClaimReview: any authenticated client, and anonymous clients
    while ``API_ANONYMOUS_READ`` is on. Read-only."""

    def has_permission(self, request, view):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return False
        return bool(request.user and request.user.is_authenticated) or settings.API_ANONYMOUS_READ


class VerdictAccess(BasePermission):
    """Verdicts: reading as for the published feed (what is visible is narrowed by role in
    the view's queryset); writing needs the reviewer role (editors' transitions are checked
    by the services: approve/return/publish/withdraw need ``can_edit``)."""

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return PublishedRead().has_permission(request, view)
        return is_reviewer(request)


class ReviewerOnly(BasePermission):
    """Everything that is not published: articles, claims, evidence, jobs, fact-checks."""

    def has_permission(self, request, view):
        return is_reviewer(request)
