"""Query filters. A bad value is a 400 with a message naming the parameter."""

from datetime import UTC

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from claims.models import Article, Claim, Verdict

MAX_ID = 2**63 - 1
ISO_HELP = _("ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z (UTC when no offset is given).")


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class _IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601, converted to UTC before it reaches the database (PostgreSQL refuses odd
    offsets such as -22:10; a date at the edge of the calendar may not convert at all)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UtcIsoDateTimeField


class StrictFilterSet(django_filters.FilterSet):
    """A parameter given with an empty value is an error, not silently ignored (text
    filters excepted)."""

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if not isinstance(filter_, django_filters.CharFilter) and self.data.get(name) == "":
                self.form.add_error(name, _("Give a value or leave the parameter out."))
                valid = False
        return valid


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 1})
class _ScoreFilter(django_filters.NumberFilter):
    pass


class VerdictFilter(StrictFilterSet):
    updated_since = UtcIsoDateTimeFilter(
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


class ArticleFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    language = django_filters.CharFilter(max_length=16)

    class Meta:
        model = Article
        fields = ["status", "language"]


class ClaimFilter(StrictFilterSet):
    article = _IdFilter(field_name="article_id", help_text=_("Article id."))
    state = django_filters.ChoiceFilter(choices=Claim.State.choices)
    language = django_filters.CharFilter(max_length=16)
    min_checkworthiness = _ScoreFilter(
        field_name="checkworthiness",
        lookup_expr="gte",
        min_value=0,
        max_value=1,
        help_text=_("Only claims at least this check-worthy (0 to 1)."),
    )

    class Meta:
        model = Claim
        fields = ["article", "state", "language", "min_checkworthiness"]
