"""Evidence labelling, adding sources and the fetch-job list of a claim (reviewer UI)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims import selectors
from claims.errors import DomainError
from claims.forms import AddUrlForm, UploadForm
from claims.models import Claim
from claims.views import _claim_or_404, render_claim_page, reviewer_required
from sources import services
from sources.models import Evidence, FetchJob


def _claim_url(claim_id, anchor=""):
    return reverse("claims:claim", args=[claim_id]) + (f"#{anchor}" if anchor else "")


def _jobs_context(claim, **extra):
    jobs = list(selectors.jobs_for_claim(claim=claim))
    return {
        "claim": claim,
        "jobs": jobs,
        "jobs_polling": any(not j.is_final for j in jobs),
        **extra,
    }


@require_POST
@reviewer_required
def evidence_stance(request, pk):
    """Record a stance; ``stance`` names the target ('' clears it)."""
    try:
        evidence = selectors.evidence_item(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404(_("No such evidence.")) from exc
    stance = request.POST.get("stance", None)
    error = ""
    if stance is None:
        error = _("Choose a stance.")
    else:
        try:
            services.evidence_label(evidence=evidence, user=request.user, stance=stance)
        except DomainError as exc:
            error = exc.message
    if request.htmx:
        evidence = selectors.evidence_item(pk=pk)
        selectors.attach_passages([evidence], evidence.claim)
        return render(
            request,
            "sources/_evidence.html",
            {
                "ev": evidence,
                "claim": evidence.claim,
                "stances": [(v, str(label)) for v, label in Evidence.Stance.choices if v],
                "stance_error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(_claim_url(evidence.claim_id, f"ev-{pk}"))


@require_GET
@reviewer_required
def claim_jobs(request, claim_pk):
    claim = get_object_or_404(Claim.objects.only("id"), pk=claim_pk)
    if not request.htmx:
        return redirect(_claim_url(claim.pk, "jobs"))
    context = _jobs_context(claim)
    # This fragment is only fetched while polling: once nothing is left to wait for, say so.
    context["jobs_finished"] = not context["jobs_polling"] and bool(context["jobs"])
    return render(request, "sources/_jobs.html", context)


@require_POST
@reviewer_required
def source_add_url(request, claim_pk):
    claim = _claim_or_404(claim_pk)
    form = AddUrlForm(request.POST)
    if form.is_valid():
        from sources.services import source_add_url as add_url  # the jobs helper's service

        try:
            add_url(claim=claim, url=form.cleaned_data["url"], user=request.user)
        except DomainError as exc:
            form.add_error("url", exc.message)
        else:
            if request.htmx:
                return render(
                    request,
                    "sources/_add_sources.html",
                    _jobs_context(
                        claim, add_url_form=AddUrlForm(), upload_form=UploadForm(), added=True
                    ),
                )
            messages.success(request, _("Fetching the page; it appears in the jobs list."))
            return redirect(_claim_url(claim.pk, "jobs"))
    if request.htmx:
        return render(
            request,
            "sources/_add_sources.html",
            _jobs_context(claim, add_url_form=form, upload_form=UploadForm()),
            status=400,
        )
    return render_claim_page(request, claim, status=400, add_url_form=form)


@require_POST
@reviewer_required
def source_upload(request, claim_pk):
    claim = _claim_or_404(claim_pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        from sources.services import source_upload as upload  # the jobs helper's service

        document = form.cleaned_data["document"]
        try:
            evidence = upload(
                claim=claim,
                user=request.user,
                data=document.read(),
                filename=document.name,
                content_type=document.content_type or "",
            )
        except DomainError as exc:
            form.add_error("document", exc.message)
        else:
            messages.success(request, _("The document was added to the candidate sources."))
            return redirect(_claim_url(claim.pk, f"ev-{evidence.pk}"))
    return render_claim_page(request, claim, status=400, upload_form=form)


@require_POST
@reviewer_required
def job_retry(request, pk):
    job = get_object_or_404(FetchJob, pk=pk)
    from sources.services import fetch_job_retry  # the jobs helper's service

    error = ""
    try:
        fetch_job_retry(job=job, user=request.user)
    except DomainError as exc:
        error = exc.message
    if request.htmx and job.claim_id:
        claim = get_object_or_404(Claim.objects.only("id"), pk=job.claim_id)
        return render(
            request,
            "sources/_jobs.html",
            _jobs_context(claim, job_error=error),
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The job will be tried again."))
    if job.claim_id:
        return redirect(_claim_url(job.claim_id, "jobs"))
    return redirect("claims:dashboard")
