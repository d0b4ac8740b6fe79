"""The reviewer UI: thin views that validate input, call one service or selector, render.

Every view needs a signed-in user with a role (``accounts.roles``); the services check the
finer rules again (four-eyes, authorship, states). Each view renders the whole page, or only
the named fragment for an htmx request.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts import roles
from claims import selectors, services
from claims.errors import DomainError, StaleVersion
from claims.forms import (
    AddUrlForm,
    ArticleNewForm,
    ClaimQueueFilter,
    CommentForm,
    SplitForm,
    UploadForm,
    VerdictForm,
    VersionOnlyForm,
    WithdrawForm,
    WordingForm,
)
from claims.models import Article, Claim, Verdict
from sources.models import Evidence

try:  # the extraction helper's labels; the code is shown when they are not there
    from claims.extraction.features import REASON_LABELS
except ImportError:  # pragma: no cover - depends on the merge order
    REASON_LABELS = {}

ACTIVE_ARTICLE_STATUSES = (Article.Status.PENDING, Article.Status.EXTRACTING)
QUEUE_PAGE_SIZE = 50


# --- access --------------------------------------------------------------------------------
def _role_required(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not roles.roles_of(request.user):
                raise PermissionDenied(
                    _(
                        "Your account has no role in the workbench yet. "
                        "Ask an administrator to make you a reviewer or an editor."
                    )
                )
            if not check(request.user):
                raise PermissionDenied(_("Your role does not allow this."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


reviewer_required = _role_required(roles.can_review)
editor_required = _role_required(roles.can_edit)


def _render(request, template, context, *, fragment=None, status=200):
    """The whole page, or only ``fragment`` for an htmx request."""
    name = fragment if fragment and request.htmx else template
    return render(request, name, context, status=status)


def _error_status(exc: DomainError) -> int:
    return 409 if isinstance(exc, StaleVersion) else 400


# --- dashboard -----------------------------------------------------------------------------
@require_GET
@reviewer_required
def dashboard(request):
    return render(
        request,
        "claims/dashboard.html",
        {
            "articles": selectors.articles_with_progress(),
            "my_claims": selectors.claims_assigned_to(user=request.user),
            "activity": selectors.recent_activity(),
            "waiting": selectors.verdicts_waiting_count() if roles.can_edit(request.user) else 0,
        },
    )


# --- articles ------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@reviewer_required
def article_new(request):
    form = ArticleNewForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            from claims.services import article_submit  # the ingestion helper's service

            data = form.cleaned_data
            document = data.get("document")
            try:
                article = article_submit(
                    user=request.user,
                    text=data.get("text") or "",
                    data=document.read() if document else None,
                    filename=document.name if document else "",
                    url=data.get("url") or "",
                    title=data.get("title") or "",
                    language=data.get("language") or "",
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if article.status in ACTIVE_ARTICLE_STATUSES:
                    messages.info(request, _("The article is being processed."))
                else:
                    messages.success(request, _("The article was added."))
                return redirect("claims:article", pk=article.pk)
    return render(request, "claims/article_new.html", {"form": form}, status=status)


@require_GET
@reviewer_required
def article_detail(request, pk):
    article = get_object_or_404(Article, pk=pk)
    claims = selectors.article_claims(article=article)
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "segments": selectors.article_segments(article.text, claims),
            "polling": article.status in ACTIVE_ARTICLE_STATUSES,
        },
    )


@require_GET
@reviewer_required
def article_status(request, pk):
    article = get_object_or_404(Article.objects.defer("text"), pk=pk)
    active = article.status in ACTIVE_ARTICLE_STATUSES
    if not request.htmx:
        return redirect("claims:article", pk=pk)
    if not active:
        return HttpResponseClientRefresh()  # the claims are there: show the whole page
    return render(request, "claims/_article_status.html", {"article": article, "polling": active})


# --- queue ---------------------------------------------------------------------------------
@require_GET
@reviewer_required
def claim_queue(request):
    filterset = ClaimQueueFilter(
        request.GET, queryset=selectors.claims_for_queue(), request=request
    )
    page = Paginator(filterset.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "claims/queue.html",
        {"filter": filterset, "page": page},
        fragment="claims/_queue_results.html",
    )


@require_POST
@reviewer_required
def claim_take_next(request):
    article = None
    if request.POST.get("article"):
        article = get_object_or_404(Article.objects.defer("text"), pk=request.POST["article"])
    try:
        claim = services.claim_take_next(user=request.user, article=article)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("claims:queue")
    if claim is None:
        messages.info(request, _("There is no unassigned new claim left."))
        return redirect("claims:queue")
    messages.success(request, _("This claim is now assigned to you."))
    return redirect("claims:claim", pk=claim.pk)


# --- claim detail --------------------------------------------------------------------------
def _reasons(claim):
    out = []
    for reason in claim.reasons or []:
        if not isinstance(reason, dict):
            continue
        code = str(reason.get("code", ""))
        out.append(
            {
                "label": REASON_LABELS.get(code) or reason.get("label") or code,
                "weight": reason.get("weight"),
                "evidence": reason.get("evidence", ""),
            }
        )
    return out


def claim_page_context(request, claim, **overrides):
    """Everything the claim page shows; ``overrides`` carry bound forms after an error."""
    user = request.user
    evidence = list(selectors.evidence_for_claim(claim=claim))
    selectors.attach_passages(evidence, claim)
    verdict = selectors.live_verdict(claim=claim)
    cited = {e.pk for e in verdict.cited_evidence.all()} if verdict else set()
    before, after = selectors.claim_context(claim)
    previous, following = selectors.claim_neighbours(claim=claim)
    points = selectors.split_points(claim)
    verdict_editable = verdict is None or (
        verdict.status in services.EDITABLE_VERDICT_STATUSES
        and (verdict.author_id == user.pk or roles.can_administer(user))
    )
    context = {
        "claim": claim,
        "article": claim.article,
        "before": before,
        "after": after,
        "reasons": _reasons(claim),
        "evidence_list": evidence,
        "cited_ids": cited,
        "factchecks": selectors.factchecks_for_claim(claim=claim),
        "jobs": list(selectors.jobs_for_claim(claim=claim)),
        "verdict": verdict,
        "verdict_editable": verdict_editable
        and claim.state not in (Claim.State.SUPERSEDED, Claim.State.NOT_CHECKWORTHY),
        "withdrawn": selectors.withdrawn_verdicts(claim=claim),
        "previous": previous,
        "following": following,
        "replacements": selectors.replacements(claim=claim),
        "split_points": points,
        "history": selectors.claim_history(claim=claim),
        "stances": [(v, str(label)) for v, label in Evidence.Stance.choices if v],
        "can_edit": roles.can_edit(user),
        "assignable": selectors.reviewers() if roles.can_edit(user) else [],
        "four_eyes_ok": verdict is not None and roles.four_eyes_ok(user, verdict),
        "open_for_changes": claim.state
        in (Claim.State.NEW, Claim.State.IN_REVIEW, Claim.State.NOT_CHECKWORTHY),
        "wording_form": WordingForm(
            initial={"wording": claim.review_text, "version": claim.version}
        ),
        "split_form": SplitForm(claim=claim, points=points, initial={"version": claim.version}),
        "verdict_form": VerdictForm(
            evidence_list=evidence,
            initial={
                "label": verdict.label if verdict else "",
                "summary": verdict.summary if verdict else "",
                "rationale": verdict.rationale if verdict else "",
                "evidence": sorted(cited),
                "version": verdict.version if verdict else 0,
            },
        ),
        "return_form": CommentForm(initial={"version": verdict.version if verdict else 0}),
        "withdraw_form": WithdrawForm(initial={"version": verdict.version if verdict else 0}),
        "add_url_form": AddUrlForm(),
        "upload_form": UploadForm(),
    }
    context["jobs_polling"] = any(not j.is_final for j in context["jobs"])
    context.update(overrides)
    form = context["verdict_form"]
    if form.is_bound:
        chosen = form.data.getlist("evidence") if hasattr(form.data, "getlist") else []
        context["selected_evidence"] = {int(x) for x in chosen if str(x).isdigit()}
    else:
        context["selected_evidence"] = cited
    return context


def _claim_or_404(pk):
    try:
        return selectors.claim_for_detail(pk=pk)
    except Claim.DoesNotExist as exc:
        raise Http404(_("No such claim.")) from exc


def render_claim_page(request, claim, *, status=200, **overrides):
    return render(
        request,
        "claims/claim_detail.html",
        claim_page_context(request, claim, **overrides),
        status=status,
    )


@require_GET
@reviewer_required
def claim_detail(request, pk):
    return render_claim_page(request, _claim_or_404(pk))


def _with_version(form_data, version):
    """A copy of the submitted data carrying the current version (after a StaleVersion the
    user sees the other person's values; saving again is then a deliberate choice)."""
    data = form_data.copy()
    data["version"] = str(version)
    return data


@require_POST
@reviewer_required
def claim_wording(request, pk):
    claim = _claim_or_404(pk)
    form = WordingForm(request.POST)
    if form.is_valid():
        try:
            services.claim_update_wording(
                claim=claim,
                user=request.user,
                wording=form.cleaned_data["wording"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as exc:
            current = exc.current
            form = WordingForm(_with_version(request.POST, current.version))
            form.is_valid()
            form.add_error(None, exc.message)
            return render_claim_page(
                request,
                claim,
                status=409,
                wording_form=form,
                wording_conflict=current.review_text,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The wording was saved."))
            return redirect("claims:claim", pk=pk)
    return render_claim_page(request, claim, status=400, wording_form=form)


@require_POST
@reviewer_required
def claim_assign(request, pk):
    """``to``: "me" (take the claim), "nobody" (release it) or a user id (editors only)."""
    from django.contrib.auth import get_user_model

    claim = _claim_or_404(pk)
    target = request.POST.get("to", "")
    form = VersionOnlyForm(request.POST)
    if not form.is_valid() or not (target in ("me", "nobody") or target.isdigit()):
        return HttpResponseBadRequest(_("Say whom to assign the claim to."))
    if target == "me":
        assignee = request.user
    elif target == "nobody":
        assignee = None
    else:
        assignee = get_object_or_404(get_user_model(), pk=int(target), is_active=True)
    try:
        services.claim_assign(
            claim=claim,
            user=request.user,
            assignee=assignee,
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return render_claim_page(request, claim, status=_error_status(exc))
    if assignee is None:
        messages.success(request, _("The claim is now unassigned."))
    elif assignee.pk == request.user.pk:
        messages.success(request, _("This claim is now assigned to you."))
    else:
        messages.success(
            request,
            _("The claim is now assigned to %(name)s.") % {"name": assignee.get_username()},
        )
    return redirect("claims:claim", pk=pk)


@require_POST
@reviewer_required
def claim_checkworthy(request, pk):
    """``to``: "not_checkworthy" (mark it) or "open" (undo)."""
    claim = _claim_or_404(pk)
    target = request.POST.get("to")
    form = VersionOnlyForm(request.POST)
    if target not in ("not_checkworthy", "open") or not form.is_valid():
        return HttpResponseBadRequest(_("Say which state the claim should be in."))
    try:
        services.claim_mark_not_checkworthy(
            claim=claim,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            undo=target == "open",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return render_claim_page(request, claim, status=_error_status(exc))
    messages.success(
        request,
        _("Marked as not check-worthy.") if target != "open" else _("The claim is open again."),
    )
    return redirect("claims:claim", pk=pk)


@require_POST
@reviewer_required
def claim_split(request, pk):
    claim = _claim_or_404(pk)
    points = selectors.split_points(claim)
    form = SplitForm(request.POST, claim=claim, points=points)
    if form.is_valid():
        try:
            parts = services.claim_split(
                claim=claim,
                user=request.user,
                at=form.cleaned_data["points"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The claim was split into %(n)d claims.") % {"n": len(parts)}
            )
            return redirect("claims:claim", pk=parts[0].pk)
    return render_claim_page(request, claim, status=400, split_form=form)


@require_POST
@reviewer_required
def claim_merge(request, pk):
    """``with``: "previous" or "next" — the adjacent live claim to merge this one with."""
    claim = _claim_or_404(pk)
    previous, following = selectors.claim_neighbours(claim=claim)
    other = {"previous": previous, "next": following}.get(request.POST.get("with", ""))
    if other is None:
        messages.error(request, _("There is no adjacent claim to merge with."))
        return render_claim_page(request, claim, status=400)
    try:
        merged = services.claim_merge(claims=[claim, other], user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render_claim_page(request, claim, status=_error_status(exc))
    messages.success(request, _("The claims were merged."))
    return redirect("claims:claim", pk=merged.pk)


@require_GET
@reviewer_required
def claim_history(request, pk):
    claim = _claim_or_404(pk)
    return _render(
        request,
        "claims/claim_history.html",
        {"claim": claim, "history": selectors.claim_history(claim=claim)},
        fragment="claims/_history.html",
    )


@require_POST
@reviewer_required
def claim_gather(request, pk):
    claim = _claim_or_404(pk)
    from sources.services import sources_gather  # the jobs helper's service

    try:
        jobs = sources_gather(claims=[claim], requested_by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render_claim_page(request, claim, status=_error_status(exc))
    from workbench.broker import broker_available

    if jobs and not broker_available():
        messages.warning(
            request,
            _(
                "The job queue is unavailable right now: %(n)d source jobs are saved and will "
                "start by themselves once it is back."
            )
            % {"n": len(jobs)},
        )
    else:
        messages.success(
            request, _("Searching for sources: %(n)d jobs started.") % {"n": len(jobs)}
        )
    return redirect(reverse("claims:claim", args=[pk]) + "#jobs")


# --- verdicts ------------------------------------------------------------------------------
@require_POST
@reviewer_required
def verdict_edit(request, pk):
    """Save the draft (``action=save``) or save and submit it (``action=submit``)."""
    claim = _claim_or_404(pk)
    evidence = list(selectors.evidence_for_claim(claim=claim))
    form = VerdictForm(request.POST, evidence_list=evidence)
    if not form.is_valid():
        return render_claim_page(request, claim, status=400, verdict_form=form)
    data = form.cleaned_data
    try:
        verdict = services.verdict_save_draft(
            claim=claim,
            user=request.user,
            label=data["label"],
            summary=data["summary"],
            rationale=data["rationale"],
            evidence=list(data["evidence"]),
            expected_version=data["version"],
        )
    except StaleVersion as exc:
        current = exc.current
        form = VerdictForm(
            _with_version(request.POST, current.version if current else 0),
            evidence_list=evidence,
        )
        form.is_valid()
        form.add_error(None, exc.message)
        return render_claim_page(
            request, claim, status=409, verdict_form=form, verdict_conflict=current
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render_claim_page(request, claim, status=400, verdict_form=form)
    if data["action"] == "submit":
        try:
            services.verdict_submit(
                verdict=verdict, user=request.user, expected_version=verdict.version
            )
        except DomainError as exc:
            # The draft is saved; the form keeps what the user typed, at the new version.
            form = VerdictForm(_with_version(request.POST, verdict.version), evidence_list=evidence)
            form.is_valid()
            form.add_error(None, exc.message)
            return render_claim_page(request, claim, status=400, verdict_form=form)
        messages.success(request, _("The verdict was submitted for approval."))
    else:
        messages.success(request, _("The draft was saved."))
    return redirect(reverse("claims:claim", args=[pk]) + "#verdict")


@require_POST
@reviewer_required
def verdict_delete(request, pk):
    """Delete the live draft (or returned) verdict of claim ``pk``; the history keeps it."""
    claim = _claim_or_404(pk)
    verdict = selectors.live_verdict(claim=claim)
    if verdict is None:
        messages.error(request, _("There is no draft to delete."))
        return render_claim_page(request, claim, status=400)
    try:
        services.verdict_delete_draft(verdict=verdict, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render_claim_page(request, claim, status=_error_status(exc))
    messages.success(request, _("The draft was deleted."))
    return redirect(reverse("claims:claim", args=[pk]) + "#verdict")


VERDICT_ACTIONS = {
    "approve": (VersionOnlyForm, "verdict_approve", None),
    "publish": (VersionOnlyForm, "verdict_publish", None),
    "return": (CommentForm, "verdict_return", "comment"),
    "withdraw": (WithdrawForm, "verdict_withdraw", "reason"),
}
VERDICT_DONE = {
    "approve": lambda: _("The verdict was approved."),
    "publish": lambda: _("The verdict was published."),
    "return": lambda: _("The verdict was returned to its author."),
    "withdraw": lambda: _("The verdict was withdrawn."),
}


@require_POST
@editor_required
def verdict_action(request, pk, action):
    """An editor moves a verdict to the state the URL names."""
    if action not in VERDICT_ACTIONS:
        raise Http404
    verdict = get_object_or_404(Verdict.objects.select_related("claim"), pk=pk)
    form_class, service_name, text_field = VERDICT_ACTIONS[action]
    form = form_class(request.POST)
    back = request.POST.get("next", "")
    claim = _claim_or_404(verdict.claim_id)
    form_key = {"return": "return_form", "withdraw": "withdraw_form"}.get(action)
    if form.is_valid():
        kwargs = {"verdict": verdict, "user": request.user}
        kwargs["expected_version"] = form.cleaned_data["version"]
        if text_field:
            kwargs[text_field] = form.cleaned_data[text_field]
        try:
            getattr(services, service_name)(**kwargs)
        except DomainError as exc:
            form.add_error(None, exc.message)
            if form_key is None:  # approve/publish: no form on the page to show it in
                messages.error(request, exc.message)
            overrides = {form_key: form} if form_key else {}
            return render_claim_page(request, claim, status=_error_status(exc), **overrides)
        messages.success(request, VERDICT_DONE[action]())
        if back == "approvals":
            return redirect("claims:approvals")
        return redirect(reverse("claims:claim", args=[claim.pk]) + "#verdict")
    overrides = {form_key: form} if form_key else {}
    return render_claim_page(request, claim, status=400, **overrides)


@require_GET
@editor_required
def approvals(request):
    pending = list(selectors.verdicts_for_approval())
    for verdict in pending:
        verdict.mine = not roles.four_eyes_ok(request.user, verdict)
    return render(
        request,
        "claims/approvals.html",
        {"pending": pending, "published": selectors.verdicts_recently_published()},
    )
