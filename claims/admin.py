"""Articles, claims and verdicts in the admin.

Claims and verdicts are read-only here: their content and workflow change through the
reviewer UI and the services. The admin offers history, and actions that call the services
(re-extract, gather sources, publish, withdraw, export).
"""

from __future__ import annotations

import csv
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import roles
from claims.models import Article, Claim, Verdict
from sources.models import Evidence, FetchJob
from workbench.admin import (
    ReadOnlyInline,
    WorkbenchHistoryAdmin,
    WorkbenchModelAdmin,
    change_link,
    changelist_link,
    report_error,
    run_for_each,
    text_block,
)

LIVE_GATHERABLE = (
    Claim.State.NEW,
    Claim.State.IN_REVIEW,
    Claim.State.REVIEWED,
    Claim.State.PUBLISHED,
)


def _short(text: str, n: int = 90) -> str:
    return Truncator(text or "").chars(n)


# --- shared actions -------------------------------------------------------------------------
def gather_sources_for(modeladmin, request, claims: list[Claim], skipped: int) -> None:
    """Queue source gathering for ``claims`` through ``sources.services.sources_gather``."""
    from sources import services as source_services

    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)d claim skipped: superseded or not check-worthy claims are not searched.",
                "%(n)d claims skipped: superseded or not check-worthy claims are not searched.",
                skipped,
            )
            % {"n": skipped},
            messages.WARNING,
        )
    if not claims:
        modeladmin.message_user(request, _("No claim to gather sources for."), messages.WARNING)
        return
    try:
        jobs = source_services.sources_gather(claims=claims, requested_by=request.user)
    except Exception as exc:  # noqa: BLE001 - reported to the operator
        report_error(
            modeladmin,
            request,
            exc,
            subject=ngettext("%(n)d claim", "%(n)d claims", len(claims)) % {"n": len(claims)},
            what=_("gathering sources"),
        )
        return
    modeladmin.message_user(
        request,
        ngettext(
            "Gathering sources for %(claims)d claim: %(jobs)d jobs queued.",
            "Gathering sources for %(claims)d claims: %(jobs)d jobs queued.",
            len(claims),
        )
        % {"claims": len(claims), "jobs": len(jobs)},
        messages.SUCCESS,
    )


# --- articles -------------------------------------------------------------------------------
class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["start", "end", "text", "state", "checkworthiness", "assignee"]
    readonly_fields = fields
    select_related = ("assignee",)
    verbose_name_plural = gettext_lazy("claims (the first 50; see all from the link above)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.limit = 50
        return formset


@admin.register(Article)
class ArticleAdmin(WorkbenchModelAdmin):
    allow_change = True  # title, publisher, publication date; the text never changes
    # Deleting takes the article's claims, evidence and jobs with it, and is refused while
    # any claim has a verdict (verdicts are never deleted here).
    allow_delete = True
    list_display = [
        "title_or_start",
        "language",
        "status",
        "publisher",
        "claim_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["title", "url", "publisher"]
    date_hierarchy = "created_at"
    list_select_related = ["created_by"]
    fields = [
        "title",
        "publisher",
        "published_at",
        "url",
        "language",
        "status",
        "status_error",
        "all_claims",
        "content_hash",
        "uuid",
        "created_by",
        "created_at",
        "updated_at",
        "original_text",
    ]
    readonly_fields = [
        "url",
        "language",
        "status",
        "status_error",
        "all_claims",
        "content_hash",
        "uuid",
        "created_by",
        "created_at",
        "updated_at",
        "original_text",
    ]
    inlines = [ClaimInline]
    actions = ["reextract_claims", "gather_sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_claim_count=Count("claims"))

    @admin.display(description=gettext_lazy("article"), ordering="title")
    def title_or_start(self, obj):
        return obj.title or _short(obj.text, 80)

    @admin.display(description=gettext_lazy("original text (never changed)"))
    def original_text(self, obj):
        return text_block(obj.text, obj.language)

    @admin.display(description=gettext_lazy("claims"), ordering="_claim_count")
    def claim_count(self, obj):
        return obj._claim_count

    @admin.display(description=gettext_lazy("claims"))
    def all_claims(self, obj):
        if obj.pk is None:
            return "-"
        n = obj.claims.count()
        return changelist_link(Claim, _("all %(n)d claims") % {"n": n}, article__id__exact=obj.pk)

    @admin.action(
        description=gettext_lazy("Re-extract claims (keeps reviewers' work)"),
        permissions=["operate"],
    )
    def reextract_claims(self, request, queryset):
        from claims import services as claim_services

        totals = {"created": 0, "updated": 0, "kept": 0}

        def extract(article):
            result = claim_services.article_extract_claims(article=article, user=request.user)
            for key in totals:
                totals[key] += int(getattr(result, key, 0) or 0)

        run_for_each(
            self,
            request,
            list(queryset),
            extract,
            done=lambda n: (
                ngettext(
                    "Re-extracted %(n)d article: %(created)d claims created, %(updated)d updated, "
                    "%(kept)d kept.",
                    "Re-extracted %(n)d articles: %(created)d claims created, %(updated)d updated, "
                    "%(kept)d kept.",
                    n,
                )
                % {"n": n, **totals}
            ),
            what=_("re-extraction"),
            log="Claims re-extracted (admin action).",
        )

    @admin.action(description=gettext_lazy("Gather sources again"), permissions=["operate"])
    def gather_sources(self, request, queryset):
        claims = Claim.objects.filter(article__in=queryset).order_by("article_id", "start")
        gatherable = [c for c in claims if c.state in LIVE_GATHERABLE]
        gather_sources_for(self, request, gatherable, skipped=0)


# --- claims ---------------------------------------------------------------------------------
class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["source", "provider", "score", "stance", "short_passage"]
    readonly_fields = fields
    select_related = ("source",)

    @admin.display(description=gettext_lazy("passage"))
    def short_passage(self, obj):
        return _short(obj.passage, 200)

    verbose_name_plural = gettext_lazy("evidence (the 20 best; see all from the link above)")


class FetchJobInline(ReadOnlyInline):
    model = FetchJob
    fk_name = "claim"
    fields = ["provider", "kind", "status", "attempts", "short_error", "finished_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return _short(obj.last_error, 200)

    verbose_name_plural = gettext_lazy("jobs (the 20 latest; see all from the link above)")


@admin.register(Claim)
class ClaimAdmin(WorkbenchHistoryAdmin):
    allow_delete = True  # only claims without a verdict: verdicts are never deleted here
    list_display = [
        "short_text",
        "article_link",
        "state",
        "language",
        "checkworthiness",
        "assignee",
        "origin",
        "updated_at",
    ]
    list_filter = ["state", "language", "origin"]
    search_fields = ["text", "wording", "article__title", "article__url"]
    date_hierarchy = "created_at"
    list_select_related = ["article", "assignee"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "claim_text",
                    "review_wording",
                    "article_link",
                    "start",
                    "end",
                    "language",
                ]
            },
        ),
        (
            gettext_lazy("Review"),
            {"fields": ["state", "assignee", "origin", "checkworthiness", "reasons", "version"]},
        ),
        (
            gettext_lazy("Related"),
            {"fields": ["all_evidence", "all_jobs", "uuid", "created_at", "updated_at"]},
        ),
    ]
    readonly_fields = [
        "claim_text",
        "review_wording",
        "article_link",
        "start",
        "end",
        "language",
        "state",
        "assignee",
        "origin",
        "checkworthiness",
        "reasons",
        "version",
        "all_evidence",
        "all_jobs",
        "uuid",
        "created_at",
        "updated_at",
    ]
    inlines = [EvidenceInline, FetchJobInline]
    actions = ["gather_sources"]
    history_list_display = ["state"]

    @admin.display(description=gettext_lazy("claim"), ordering="text")
    def short_text(self, obj):
        return _short(obj.review_text)

    @admin.display(description=gettext_lazy("article"), ordering="article")
    def article_link(self, obj):
        return change_link(obj.article, _short(str(obj.article), 50))

    @admin.display(description=gettext_lazy("text in the article"))
    def claim_text(self, obj):
        return text_block(obj.text, obj.language)

    @admin.display(description=gettext_lazy("review wording"))
    def review_wording(self, obj):
        return text_block(obj.wording, obj.language)

    @admin.display(description=gettext_lazy("evidence"))
    def all_evidence(self, obj):
        n = obj.evidence.count()
        return changelist_link(
            Evidence, _("all %(n)d evidence items") % {"n": n}, claim__id__exact=obj.pk
        )

    @admin.display(description=gettext_lazy("jobs"))
    def all_jobs(self, obj):
        n = obj.fetch_jobs.count()
        return changelist_link(FetchJob, _("all %(n)d jobs") % {"n": n}, claim__id__exact=obj.pk)

    @admin.action(description=gettext_lazy("Gather sources again"), permissions=["operate"])
    def gather_sources(self, request, queryset):
        selected = list(queryset.order_by("article_id", "start"))
        gatherable = [c for c in selected if c.state in LIVE_GATHERABLE]
        gather_sources_for(self, request, gatherable, skipped=len(selected) - len(gatherable))


# --- verdicts -------------------------------------------------------------------------------
class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are these verdicts withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=5000,
        help_text=gettext_lazy("Kept with each verdict and shown with the withdrawal."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the verdicts are withdrawn."))
        return reason


def _evidence_item(evidence) -> str:
    source = evidence.source
    label = source.title or source.url or source.filename or str(source)
    stance = evidence.get_stance_display()
    if source.url and source.url.startswith(("https://", "http://")):
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a> ({})', source.url, label, stance
        )
    return format_html("{} ({})", label, stance)


def _csv_cell(value) -> str:
    """Neutralise spreadsheet formulas in untrusted text (=, +, -, @ at the start)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _iso(value) -> str:
    return value.isoformat() if value else ""


CSV_COLUMNS = [
    "id",
    "claim",
    "label",
    "label_name",
    "summary",
    "status",
    "author",
    "approved_by",
    "created_at",
    "submitted_at",
    "approved_at",
    "published_at",
    "withdrawn_at",
    "article_url",
    "cited_evidence_urls",
]


@admin.register(Verdict)
class VerdictAdmin(WorkbenchHistoryAdmin):
    list_display = [
        "short_claim",
        "label",
        "status",
        "author",
        "approved_by",
        "published_at",
        "updated_at",
    ]
    list_filter = ["status", "label", "language", "published_at"]
    search_fields = [
        "claim__text",
        "claim__wording",
        "summary",
        "claim__article__title",
        "claim__article__url",
    ]
    date_hierarchy = "updated_at"
    list_select_related = ["claim", "author", "approved_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "claim_link",
                    "label",
                    "summary_text",
                    "rationale_text",
                    "language",
                    "evidence",
                ]
            },
        ),
        (
            gettext_lazy("Workflow"),
            {
                "fields": [
                    "status",
                    "version",
                    "author",
                    "approved_by",
                    "return_comment",
                    "withdrawal_reason",
                    "created_at",
                    "submitted_at",
                    "approved_at",
                    "published_at",
                    "withdrawn_at",
                    "updated_at",
                    "uuid",
                ]
            },
        ),
    ]
    # Everything shown is read-only: verdicts change only through the workflow services.
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]
    actions = ["publish_verdicts", "withdraw_verdicts", "export_csv", "export_claimreview"]
    history_list_display = ["status", "label"]

    def has_publish_permission(self, request):
        return self._admin(request) and roles.can_edit(request.user)

    @admin.display(description=gettext_lazy("claim"), ordering="claim__text")
    def short_claim(self, obj):
        return _short(obj.claim.review_text)

    @admin.display(description=gettext_lazy("claim"))
    def claim_link(self, obj):
        return change_link(obj.claim, _short(obj.claim.review_text, 200))

    @admin.display(description=gettext_lazy("summary"))
    def summary_text(self, obj):
        return text_block(obj.summary, obj.language)

    @admin.display(description=gettext_lazy("rationale"))
    def rationale_text(self, obj):
        return text_block(obj.rationale, obj.language)

    @admin.display(description=gettext_lazy("cited evidence"))
    def evidence(self, obj):
        items = obj.cited_evidence.select_related("source")
        if not items:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                ((_evidence_item(e),) for e in items),
            ),
        )

    # --- publish ---
    @admin.action(
        description=gettext_lazy("Publish (approves a submitted verdict; never one's own)"),
        permissions=["publish"],
    )
    def publish_verdicts(self, request, queryset):
        from claims import services as claim_services

        def publish(verdict):
            if not roles.can_publish(request.user, verdict):
                from claims.errors import NotAllowed

                raise NotAllowed(
                    _("you wrote this verdict; another editor must approve and publish it.")
                )
            claim_services.verdict_publish(verdict=verdict, user=request.user)

        run_for_each(
            self,
            request,
            list(queryset.select_related("claim")),
            publish,
            done=lambda n: (
                ngettext("%(n)d verdict published.", "%(n)d verdicts published.", n) % {"n": n}
            ),
            what=_("publishing"),
            log="Published (admin action).",
        )

    # --- withdraw (asks for a reason first) ---
    @admin.action(description=gettext_lazy("Withdraw published verdicts…"), permissions=["publish"])
    def withdraw_verdicts(self, request, queryset):
        from claims import services as claim_services

        verdicts = list(queryset.select_related("claim"))
        form = WithdrawForm(request.POST if request.POST.get("confirm") == "yes" else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]

            def withdraw(verdict):
                if not roles.can_withdraw(request.user, verdict):
                    from claims.errors import NotAllowed

                    raise NotAllowed(_("only editors can withdraw verdicts."))
                claim_services.verdict_withdraw(verdict=verdict, user=request.user, reason=reason)

            published = [v for v in verdicts if v.status == Verdict.Status.PUBLISHED]
            skipped = len(verdicts) - len(published)
            if skipped:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d verdict skipped: only published verdicts can be withdrawn.",
                        "%(n)d verdicts skipped: only published verdicts can be withdrawn.",
                        skipped,
                    )
                    % {"n": skipped},
                    messages.WARNING,
                )
            run_for_each(
                self,
                request,
                published,
                withdraw,
                done=lambda n: (
                    ngettext("%(n)d verdict withdrawn.", "%(n)d verdicts withdrawn.", n) % {"n": n}
                ),
                what=_("withdrawal"),
                log="Withdrawn (admin action): " + reason,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw verdicts"),
            "opts": self.model._meta,
            "form": form,
            "verdicts": verdicts,
            "published": [v for v in verdicts if v.status == Verdict.Status.PUBLISHED],
            "not_published": [v for v in verdicts if v.status != Verdict.Status.PUBLISHED],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": "withdraw_verdicts",
        }
        return TemplateResponse(request, "admin/claims/verdict/withdraw_confirmation.html", context)

    # --- exports ---
    def _export_queryset(self, queryset):
        return (
            queryset.select_related("claim__article", "author", "approved_by")
            .prefetch_related(
                Prefetch(
                    "cited_evidence",
                    queryset=Evidence.objects.select_related("source").order_by("-score", "pk"),
                )
            )
            .order_by("pk")
        )

    @admin.action(description=gettext_lazy("Export as CSV"))
    def export_csv(self, request, queryset):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="verdicts-{stamp}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read UTF-8 (Arabic) correctly
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for v in self._export_queryset(queryset):
            urls = [e.source.url for e in v.cited_evidence.all() if e.source.url]
            writer.writerow(
                _csv_cell(x)
                for x in [
                    v.pk,
                    v.claim.review_text,
                    v.label,
                    v.get_label_display() if v.label else "",
                    v.summary,
                    v.status,
                    v.author.get_username(),
                    v.approved_by.get_username() if v.approved_by else "",
                    _iso(v.created_at),
                    _iso(v.submitted_at),
                    _iso(v.approved_at),
                    _iso(v.published_at),
                    _iso(v.withdrawn_at),
                    v.claim.article.url,
                    " ".join(urls),
                ]
            )
        return response

    @admin.action(description=gettext_lazy("Export published verdicts as ClaimReview JSON"))
    def export_claimreview(self, request, queryset):
        try:
            from claims.claimreview import claimreview_for
        except ImportError:
            self.message_user(
                request,
                _("ClaimReview export is not available in this installation."),
                messages.ERROR,
            )
            return None
        published, skipped = [], 0
        for v in self._export_queryset(queryset):
            if v.status == Verdict.Status.PUBLISHED:
                published.append(v)
            else:
                skipped += 1
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d verdict skipped: only published verdicts are exported.",
                    "%(n)d verdicts skipped: only published verdicts are exported.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )
        if not published:
            self.message_user(request, _("No published verdict selected."), messages.ERROR)
            return None
        payload = [claimreview_for(v) for v in published]
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="claimreview-{stamp}.json"'
        return response
