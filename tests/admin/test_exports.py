"""CSV and ClaimReview exports of selected verdicts."""

import csv
import io
import json
import sys
import types

import pytest

from claims.models import Verdict
from tests.admin.conftest import messages_of, run_action
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db


def _rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_export_holds_each_selected_verdict_with_its_evidence(admin_client, reviewer, editor):
    article = ArticleFactory(url="https://test-news.invalid/a")
    claim = ClaimFactory(article=article, wording="TEST the ministry bought 400 widgets")
    cited = [
        EvidenceFactory(claim=claim, source=SourceFactory(url=f"https://test-src.invalid/{i}"))
        for i in range(2)
    ]
    EvidenceFactory(claim=claim, source=SourceFactory(url="https://test-src.invalid/uncited"))
    verdict = VerdictFactory(
        claim=claim,
        author=reviewer,
        approved_by=editor,
        label=Verdict.Label.REFUTED,
        summary="TEST records show 40",
        status=Verdict.Status.APPROVED,
    )
    verdict.cited_evidence.set(cited)
    other = VerdictFactory(author=reviewer, summary="TEST other")
    VerdictFactory(author=reviewer, summary="TEST not selected")

    response = run_action(admin_client, "claims.verdict", "export_csv", [verdict, other])
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert [int(r["id"]) for r in rows] == sorted([verdict.pk, other.pk])
    row = next(r for r in rows if int(r["id"]) == verdict.pk)
    assert row["claim"] == "TEST the ministry bought 400 widgets"
    assert row["label"] == "refuted" and row["label_name"] == "False"
    assert row["summary"] == "TEST records show 40"
    assert row["status"] == "approved"
    assert row["author"] == reviewer.username and row["approved_by"] == editor.username
    assert row["article_url"] == "https://test-news.invalid/a"
    assert sorted(row["cited_evidence_urls"].split()) == [
        "https://test-src.invalid/0",
        "https://test-src.invalid/1",
    ]
    assert row["created_at"].startswith(str(verdict.created_at.year))


def test_csv_export_neutralises_spreadsheet_formulas(admin_client, reviewer):
    verdict = VerdictFactory(author=reviewer, summary='=HYPERLINK("http://evil.invalid")')
    rows = _rows(run_action(admin_client, "claims.verdict", "export_csv", [verdict]))
    assert rows[0]["summary"] == '\'=HYPERLINK("http://evil.invalid")'


def test_csv_export_keeps_arabic_text(admin_client, reviewer):
    claim = ClaimFactory(wording="اشترت الوزارة 400 قطعة (بيانات اختبار)")
    verdict = VerdictFactory(claim=claim, author=reviewer)
    rows = _rows(run_action(admin_client, "claims.verdict", "export_csv", [verdict]))
    assert rows[0]["claim"] == "اشترت الوزارة 400 قطعة (بيانات اختبار)"


@pytest.fixture
def fake_claimreview(monkeypatch):
    """Stands in for claims.claimreview (the API helper's module) and records its calls."""
    calls = []

    def claimreview_for(verdict):
        calls.append(verdict.pk)
        return {
            "@type": "ClaimReview",
            "claimReviewed": verdict.claim.review_text,
            "reviewRating": {"alternateName": verdict.get_label_display()},
        }

    module = types.ModuleType("claims.claimreview")
    module.claimreview_for = claimreview_for
    monkeypatch.setitem(sys.modules, "claims.claimreview", module)
    return calls


def test_claimreview_export_is_an_array_of_published_verdicts(
    admin_client, reviewer, fake_claimreview
):
    published = [
        VerdictFactory(author=reviewer, status=Verdict.Status.PUBLISHED, label="refuted"),
        VerdictFactory(author=reviewer, status=Verdict.Status.PUBLISHED, label="supported"),
    ]
    draft = VerdictFactory(author=reviewer, status=Verdict.Status.DRAFT)
    response = run_action(admin_client, "claims.verdict", "export_claimreview", [*published, draft])
    assert response["Content-Type"].startswith("application/json")
    payload = json.loads(response.content)
    assert sorted(fake_claimreview) == sorted(v.pk for v in published)
    assert len(payload) == 2 and all(item["@type"] == "ClaimReview" for item in payload)
    assert {item["reviewRating"]["alternateName"] for item in payload} == {"False", "True"}
    assert "1 verdict skipped: only published verdicts are exported." in messages_of(response)


def test_claimreview_export_without_published_verdicts_says_so(
    admin_client, reviewer, fake_claimreview
):
    draft = VerdictFactory(author=reviewer)
    response = run_action(admin_client, "claims.verdict", "export_claimreview", [draft])
    assert response["Content-Type"].startswith("text/html")
    assert "No published verdict selected." in messages_of(response)
    assert fake_claimreview == []
