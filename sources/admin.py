"""Sources, evidence, earlier fact-checks and fetch jobs in the admin.

Provenance (URLs, snapshots, hashes, offsets, provider and query, fetch times) is read-only;
stance labels change in the reviewer UI; jobs are retried through the jobs service.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sources.models import (
    FACTCHECK_DATA_FIELDS,
    Evidence,
    FactCheck,
    FactCheckMatch,
    FetchJob,
    Source,
)
from workbench.admin import (
    WorkbenchModelAdmin,
    change_link,
    changelist_link,
    run_for_each,
    text_block,
)


def _short(text: str, n: int = 90) -> str:
    return Truncator(text or "").chars(n)


@admin.register(Source)
class SourceAdmin(WorkbenchModelAdmin):
    allow_change = True  # title, publisher, language, date; never the URL or the snapshot
    allow_delete = True  # unless a verdict cites it

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.evidence.filter(cited_by__isnull=False).exists())

    list_display = [
        "title_or_url",
        "domain",
        "language",
        "origin",
        "fetch_status",
        "fetched_at",
        "created_at",
    ]
    list_filter = ["fetch_status", "origin", "language"]
    search_fields = ["url", "title", "publisher", "domain"]
    date_hierarchy = "created_at"
    list_select_related = ["added_by"]
    fields = [
        "title",
        "publisher",
        "language",
        "published_at",
        "url",
        "domain",
        "origin",
        "filename",
        "added_by",
        "fetch_status",
        "fetch_error",
        "content_type",
        "fetched_at",
        "text_hash",
        "all_evidence",
        "uuid",
        "created_at",
        "updated_at",
        "snippet_text",
        "snapshot",
    ]
    readonly_fields = [
        f for f in fields if f not in ("title", "publisher", "language", "published_at")
    ]

    @admin.display(description=gettext_lazy("source"), ordering="title")
    def title_or_url(self, obj):
        return _short(obj.title or obj.url or obj.filename, 80)

    @admin.display(description=gettext_lazy("provider snippet"))
    def snippet_text(self, obj):
        return text_block(obj.snippet, obj.language)

    @admin.display(description=gettext_lazy("text snapshot (as the reviewer saw it)"))
    def snapshot(self, obj):
        return text_block(obj.text, obj.language)

    @admin.display(description=gettext_lazy("evidence"))
    def all_evidence(self, obj):
        n = obj.evidence.count()
        return changelist_link(
            Evidence, _("all %(n)d evidence items") % {"n": n}, source__id__exact=obj.pk
        )


@admin.register(Evidence)
class EvidenceAdmin(WorkbenchModelAdmin):
    allow_delete = True  # unless a verdict cites it

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.cited_by.exists())

    list_display = [
        "source",
        "claim_text",
        "provider",
        "stance",
        "score",
        "stance_by",
        "created_at",
    ]
    list_filter = ["stance", "provider"]
    search_fields = ["claim__text", "claim__wording", "source__url", "source__title", "passage"]
    date_hierarchy = "created_at"
    list_select_related = ["claim", "source", "stance_by"]
    fields = [
        "claim_link",
        "source_link",
        "passage_text",
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
    readonly_fields = fields

    @admin.display(description=gettext_lazy("claim"), ordering="claim__text")
    def claim_text(self, obj):
        return _short(obj.claim.review_text, 60)

    @admin.display(description=gettext_lazy("claim"))
    def claim_link(self, obj):
        return change_link(obj.claim, _short(obj.claim.review_text, 200))

    @admin.display(description=gettext_lazy("passage"))
    def passage_text(self, obj):
        return text_block(obj.passage, obj.source.language)

    @admin.display(description=gettext_lazy("source"))
    def source_link(self, obj):
        return change_link(obj.source)


@admin.register(FactCheck)
class FactCheckAdmin(WorkbenchModelAdmin):
    allow_delete = True
    list_display = ["short_claim", "rating", "publisher_name", "language", "review_date", "origin"]
    list_filter = ["language", "origin"]
    search_fields = ["claim_text", "url", "title", "publisher_name"]
    date_hierarchy = "review_date"
    list_select_related = []
    readonly_fields = [*FACTCHECK_DATA_FIELDS, "created_at", "updated_at"]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("claim reviewed"), ordering="claim_text")
    def short_claim(self, obj):
        return _short(obj.claim_text)


@admin.register(FactCheckMatch)
class FactCheckMatchAdmin(WorkbenchModelAdmin):
    allow_delete = True
    list_display = ["claim_text", "factcheck", "score", "provider", "created_at"]
    list_filter = ["provider"]
    search_fields = ["claim__text", "factcheck__claim_text", "factcheck__url"]
    list_select_related = ["claim", "factcheck"]
    fields = ["claim", "factcheck", "score", "provider", "query", "created_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("claim"), ordering="claim__text")
    def claim_text(self, obj):
        return _short(obj.claim.review_text, 60)


@admin.register(FetchJob)
class FetchJobAdmin(WorkbenchModelAdmin):
    allow_delete = True
    list_display = [
        "key",
        "kind",
        "provider",
        "status",
        "tries",
        "claim_link",
        "short_error",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "provider", "kind", "error_transient"]
    search_fields = ["key", "url", "query", "last_error", "claim__text"]
    date_hierarchy = "created_at"
    list_select_related = ["claim", "article", "source", "requested_by"]
    fields = [
        "key",
        "kind",
        "provider",
        "status",
        "attempts",
        "max_attempts",
        "last_error",
        "error_transient",
        "hits",
        "claim",
        "article",
        "source",
        "url",
        "query",
        "params",
        "requested_by",
        "lease_owner",
        "lease_expires_at",
        "next_attempt_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "created_at",
        "updated_at",
        "uuid",
    ]
    readonly_fields = fields
    actions = ["retry_failed"]

    @admin.display(description=gettext_lazy("attempts"), ordering="attempts")
    def tries(self, obj):
        return f"{obj.attempts}/{obj.max_attempts}"

    @admin.display(description=gettext_lazy("claim"), ordering="claim")
    def claim_link(self, obj):
        return change_link(obj.claim, _short(obj.claim.review_text, 50)) if obj.claim else "-"

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return _short(obj.last_error, 80)

    @admin.action(description=gettext_lazy("Retry failed jobs"), permissions=["operate"])
    def retry_failed(self, request, queryset):
        from sources import services as source_services

        selected = list(queryset)
        failed = [j for j in selected if j.status == FetchJob.Status.FAILED]
        skipped = len(selected) - len(failed)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d job skipped: only failed jobs are retried.",
                    "%(n)d jobs skipped: only failed jobs are retried.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )
        run_for_each(
            self,
            request,
            failed,
            lambda job: source_services.fetch_job_retry(job=job, user=request.user),
            done=lambda n: (
                ngettext("%(n)d job queued again.", "%(n)d jobs queued again.", n) % {"n": n}
            ),
            what=_("retry"),
            log="Retried (admin action).",
        )
