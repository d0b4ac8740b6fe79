"""Forms of the reviewer UI. They validate input; the services decide and write."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from claims.models import Article, Claim, Verdict
from claims.selectors import claim_languages
from sources.models import Evidence

LANGUAGE_CHOICES = [("", _("Detect automatically")), ("ar", _("Arabic")), ("en", _("English"))]


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)


class ArticleNewForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the article text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
    )
    document = forms.FileField(
        label=_("or upload a file (plain text or HTML)"),
        required=False,
    )
    url = forms.URLField(
        label=_("or give its address (URL)"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": "https://"}),
    )
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=500)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is not None and document.size > settings.INGEST_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(max)s bytes).")
                % {"max": settings.INGEST_MAX_BYTES}
            )
        return document

    def clean(self):
        data = super().clean()
        given = [name for name in ("text", "document", "url") if data.get(name) not in (None, "")]
        if data.get("text") is not None and not data["text"].strip():
            given = [g for g in given if g != "text"]
        if not given and not self.errors:
            raise forms.ValidationError(_("Paste a text, upload a file or give a URL."))
        if len(given) > 1:
            raise forms.ValidationError(_("Give only one of: pasted text, a file, or a URL."))
        return data


class WordingForm(forms.Form):
    wording = forms.CharField(
        label=_("Wording to check"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Make the claim understandable on its own (e.g. name the subject)."),
    )
    version = VersionField()


class SplitForm(forms.Form):
    at = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    first_part = forms.CharField(
        label=_("or type the text of the first part"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    version = VersionField()

    def __init__(self, *args, claim: Claim, points: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["at"].choices = [(p, first) for p, first in points]

    def clean(self):
        data = super().clean()
        points = list(data.get("at") or [])
        first = (data.get("first_part") or "").strip()
        if first:
            text = self.claim.text
            if not text.startswith(first) or len(first) >= len(text.rstrip()):
                self.add_error(
                    "first_part",
                    _("Type the beginning of the claim exactly as it reads, not all of it."),
                )
            else:
                points.append(self.claim.start + len(first))
        if not points and not self.errors:
            raise forms.ValidationError(_("Choose where to split the claim."))
        data["points"] = points
        return data


class VerdictForm(forms.Form):
    label = forms.ChoiceField(
        label=_("Label"),
        choices=[("", _("Not chosen yet"))] + list(Verdict.Label.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Cited evidence"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()
    action = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")])

    def __init__(self, *args, evidence_list=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        ids = [e.pk for e in evidence_list]
        field.queryset = Evidence.objects.filter(pk__in=ids).only("id", "claim_id")
        # Labels come from the already-loaded list: no query per checkbox.
        titles = {e.pk: str(e.source) for e in evidence_list}
        field.choices = [(pk, titles[pk]) for pk in ids]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the author"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    version = VersionField()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    version = VersionField()


class VersionOnlyForm(forms.Form):
    version = VersionField()


class AddUrlForm(forms.Form):
    url = forms.URLField(
        label=_("Add a source by URL"),
        max_length=2048,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": "https://"}),
    )


class UploadForm(forms.Form):
    document = forms.FileField(label=_("or upload a document (PDF, HTML or text)"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > settings.SOURCES_MAX_PAGE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(max)s bytes).")
                % {"max": settings.SOURCES_MAX_PAGE_BYTES}
            )
        return document


class ClaimQueueFilter(django_filters.FilterSet):
    ASSIGNEE_CHOICES = [("me", _("Me")), ("unassigned", _("Unassigned")), ("any", _("Anyone"))]

    article = django_filters.ModelChoiceFilter(
        label=_("Article"),
        queryset=Article.objects.none(),
        empty_label=_("Any article"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[c for c in Claim.State.choices if c[0] != Claim.State.SUPERSEDED],
        empty_label=_("Any state"),
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"),
        choices=ASSIGNEE_CHOICES,
        method="filter_assignee",
        empty_label=None,
        null_label=None,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=(), empty_label=_("Any language")
    )
    min_score = django_filters.NumberFilter(
        label=_("Minimum score"),
        field_name="checkworthiness",
        lookup_expr="gte",
        min_value=0,
        max_value=1,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("score", _("Score, highest first")), ("position", _("Position in article"))],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Claim
        fields = ["article", "state", "assignee", "language", "min_score", "sort"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("assignee", "any")
        data.setdefault("sort", "score")
        super().__init__(data, *args, request=request, **kwargs)
        self.filters["article"].queryset = Article.objects.annotate(
            opening=Substr("text", 1, 80)
        ).defer("text")
        self.filters["language"].extra["choices"] = [(x, x) for x in claim_languages()]
        self.form.fields["article"].label_from_instance = lambda a: a.title or a.opening

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        return queryset

    def filter_sort(self, queryset, name, value):
        if value == "position":
            return queryset.order_by("article_id", "start")
        return queryset.order_by("-checkworthiness", "article_id", "start")

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-checkworthiness", "article_id", "start")
        return queryset
