"""Query filters. A bad value is a 400 with a message naming the parameter."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import Article, Claim, Verdict

MAX_ID = 2**63 - 1
ISO_HELP = _("ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z (UTC when no offset is given).")


class _IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class VerdictFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only verdicts changed at or after this moment. ") + ISO_HELP,
        error_messages={"invalid": _("Not an ISO 8601 date-time. ") + ISO_HELP},
    )
    language = django_filters.CharFilter(
        field_name="language", max_length=16, help_text=_("Verdict language, e.g. ar or en.")
    )
    label = django_filters.ChoiceFilter(choices=Verdict.Label.choices)
    article = _IdFilter(field_name="claim__article_id", help_text=_("Article id."))

    class Meta:
        model = Verdict
        fields = ["updated_since", "language", "label", "article"]


class ReviewerVerdictFilter(VerdictFilter):
    status = django_filters.ChoiceFilter(choices=Verdict.Status.choices)
    claim = _IdFilter(field_name="claim_id", help_text=_("Claim id."))

    class Meta(VerdictFilter.Meta):
        fields = [*VerdictFilter.Meta.fields, "status", "claim"]


class ArticleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    language = django_filters.CharFilter(max_length=16)

    class Meta:
        model = Article
        fields = ["status", "language"]


class ClaimFilter(django_filters.FilterSet):
    article = _IdFilter(field_name="article_id", help_text=_("Article id."))
    state = django_filters.ChoiceFilter(choices=Claim.State.choices)
    language = django_filters.CharFilter(max_length=16)
    min_checkworthiness = django_filters.NumberFilter(
        field_name="checkworthiness", lookup_expr="gte", min_value=0, max_value=1
    )

    class Meta:
        model = Claim
        fields = ["article", "state", "language", "min_checkworthiness"]
