"""The public page of a published verdict: the ``url`` of its ClaimReview.

Read-only and anonymous; everything shown is escaped by the template engine."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from claims.api import selectors
from claims.claimreview import claimreview_for, rating_name
from claims.models import Verdict

# As django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_ld(document: dict) -> str:
    return mark_safe(json.dumps(document, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))


@require_safe
def verdict_public(request, uuid):
    verdict = (
        selectors.verdicts_with_details(selectors.verdicts_published_feed(), reviewer=False)
        .filter(uuid=uuid)
        .first()
    )
    if verdict is None:
        raise Http404("No published verdict here.")
    claim = verdict.claim
    language = verdict.language or claim.language or "en"
    context = {
        "verdict": verdict,
        "claim": claim,
        "article": claim.article,
        "lang": language,
        "publisher_name": settings.PUBLISHER_NAME,
        "rtl": language.split("-")[0] in ("ar", "fa", "he", "ur"),
    }
    if verdict.status == Verdict.Status.WITHDRAWN:
        return render(request, "claims/public/verdict_withdrawn.html", context, status=410)
    context["label_name"] = rating_name(verdict.label, language)
    context["json_ld"] = _json_ld(claimreview_for(verdict))
    return render(request, "claims/public/verdict.html", context)
