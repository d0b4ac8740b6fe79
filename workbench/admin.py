"""The admin site for the people who run the desk, and the pieces every app's admin uses.

Access comes from ``accounts.roles`` alone: the site and every model admin ask
``roles.can_access_admin`` (the Admin role and ``is_staff``); reviewers and editors work in the
reviewer UI, never here. Workflow state changes go through the services, never through raw
form fields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import roles
from claims.errors import DomainError


class WorkbenchAdminSite(admin.AdminSite):
    site_header = _("Claim-verification workbench")
    site_title = _("Workbench admin")
    index_title = _("Running the desk")
    index_template = "admin/workbench_index.html"

    def has_permission(self, request):
        return roles.can_access_admin(request.user)

    def get_urls(self):
        return [
            path("jobs/", self.admin_view(self.jobs_overview_view), name="jobs_overview"),
            *super().get_urls(),
        ]

    def jobs_overview_view(self, request):
        from workbench import health

        context = {
            **self.each_context(request),
            "title": _("Jobs and health"),
            "health": health.check_all(),
            **jobs_overview(),
        }
        return TemplateResponse(request, "admin/jobs_overview.html", context)


def jobs_overview(*, failures: int = 20) -> dict:
    """Counts of fetch jobs by status and by provider, the oldest waiting job and the most
    recent failures (a fixed number of queries, however many jobs there are)."""
    from sources.models import FetchJob

    statuses = list(FetchJob.Status)
    by_status = dict(
        FetchJob.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    per_provider: dict[str, dict[str, int]] = {}
    rows = FetchJob.objects.order_by().values("provider", "status").annotate(n=Count("id"))
    for row in rows:
        per_provider.setdefault(row["provider"], {})[row["status"]] = row["n"]
    waiting = (FetchJob.Status.QUEUED, FetchJob.Status.RETRYING)
    stale_leases = FetchJob.objects.filter(
        status=FetchJob.Status.RUNNING, lease_expires_at__lt=timezone.now()
    ).count()
    return {
        # Running jobs whose worker let the lease lapse (crashed?): the sweep takes them back.
        "stale_leases": stale_leases,
        "statuses": [(s, s.label, by_status.get(s.value, 0)) for s in statuses],
        "total_jobs": sum(by_status.values()),
        "providers": [
            {
                "name": name,
                "counts": [counts.get(s.value, 0) for s in statuses],
                "total": sum(counts.values()),
            }
            for name, counts in sorted(per_provider.items())
        ],
        "oldest_waiting": FetchJob.objects.filter(status__in=waiting)
        .select_related("claim", "article")
        .order_by("created_at", "id")
        .first(),
        "recent_failures": list(
            FetchJob.objects.filter(status=FetchJob.Status.FAILED)
            .select_related("claim", "article")
            .order_by(F("finished_at").desc(nulls_last=True), "-updated_at")[:failures]
        ),
    }


# --- building blocks ------------------------------------------------------------------------
class RoleGatedMixin:
    """Model admin permissions from ``accounts.roles``: admins view everything; a class opts
    into adding, changing and deleting with ``allow_add``, ``allow_change``, ``allow_delete``."""

    allow_add = False
    allow_change = False
    allow_delete = False

    def _admin(self, request) -> bool:
        return roles.can_access_admin(request.user)

    def has_module_permission(self, request):
        return self._admin(request)

    def has_view_permission(self, request, obj=None):
        return self._admin(request)

    def has_add_permission(self, request, *args):
        return self.allow_add and self._admin(request)

    def has_change_permission(self, request, obj=None):
        return self.allow_change and self._admin(request)

    def has_delete_permission(self, request, obj=None):
        return self.allow_delete and self._admin(request)

    # Custom action permissions (``@admin.action(permissions=[...])``).
    def has_operate_permission(self, request):
        """Run workflow actions (re-extract, gather, retry): the service decides the rest."""
        return self._admin(request)

    def has_manage_permission(self, request):
        return self._admin(request) and roles.can_manage_users(request.user)


class WorkbenchModelAdmin(RoleGatedMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # one COUNT(*) fewer on big tables


class WorkbenchHistoryAdmin(RoleGatedMixin, SimpleHistoryAdmin):
    """History (who did what, and why) is visible; reverting to an old version is not offered:
    it would bypass the workflow services."""

    list_per_page = 50
    show_full_result_count = False
    history_list_display: list[str] = []  # the page already shows who, when and why

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied(_("Reverting to an earlier version is not possible here."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class LimitedInlineFormSet(BaseInlineFormSet):
    """Shows only the first ``limit`` related rows (the parent links to all of them)."""

    limit = 20

    def get_queryset(self):
        if not hasattr(self, "_limited_queryset"):
            self._limited_queryset = super().get_queryset()[: self.limit]
        return self._limited_queryset


class ReadOnlyInline(admin.TabularInline):
    """A read-only, limited list of related rows under a parent object."""

    formset = LimitedInlineFormSet
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def has_view_permission(self, request, obj=None):
        return roles.can_access_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def text_block(text: str, language: str = "") -> str:
    """Untrusted text, escaped, in its own direction (Arabic and English side by side)."""
    from django.template.defaultfilters import linebreaksbr

    if not text:
        return "-"
    lang = format_html(' lang="{}"', language) if language else ""
    return format_html('<div dir="auto"{}>{}</div>', lang, linebreaksbr(text, autoescape=True))


def changelist_link(model, label: str, **filters) -> str:
    """A link to ``model``'s admin list filtered by ``filters``."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), label)


def change_link(obj, label: str | None = None) -> str:
    if obj is None:
        return "-"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label if label is not None else str(obj))


logger = logging.getLogger(__name__)


def report_error(modeladmin, request, exc: Exception, *, subject, what: str) -> None:
    """Tell the operator what failed. Domain errors are the service's own words; anything
    else is logged and reported with its type."""
    if isinstance(exc, DomainError):
        text = _("%(obj)s: %(error)s") % {"obj": subject, "error": exc.message}
    else:
        logger.error("admin action %s failed for %r", what, subject, exc_info=exc)
        text = _("%(obj)s: %(what)s failed (%(error)s).") % {
            "obj": subject,
            "what": what,
            "error": f"{type(exc).__name__}: {exc}",
        }
    modeladmin.message_user(request, text, messages.ERROR)


def run_for_each(
    modeladmin,
    request,
    objects,
    call,
    *,
    done: Callable[[int], str],
    what: str,
    log: str | None = None,
) -> int:
    """Call ``call(obj)`` for every object, report each failure and then the successes.

    One row failing never stops the others (each service call is its own transaction).
    With ``log``, each success is also written to the admin's log (the index's "Recent
    actions" and the object's history page)."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none is hidden
            report_error(modeladmin, request, exc, subject=obj, what=what)
        else:
            succeeded += 1
            if log:
                modeladmin.log_change(request, obj, log)
    if succeeded:
        modeladmin.message_user(request, done(succeeded), messages.SUCCESS)
    return succeeded
