"""What an admin may delete: nothing a verdict relies on."""

import pytest
from django.urls import reverse

from claims.models import Article, Claim, Verdict
from sources.models import Evidence, Source
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, VerdictFactory

pytestmark = pytest.mark.django_db


def _delete(client, obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    return client.post(url, {"post": "yes"})


def test_an_article_without_verdicts_is_deleted_with_its_claims(admin_client):
    article = ArticleFactory()
    claim = ClaimFactory(article=article)
    EvidenceFactory(claim=claim)
    assert _delete(admin_client, article).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_an_article_whose_claim_has_a_verdict_is_not_deleted(admin_client, reviewer):
    verdict = VerdictFactory(author=reviewer, status=Verdict.Status.PUBLISHED)
    article = verdict.claim.article
    url = reverse("admin:claims_article_delete", args=[article.pk])
    page = admin_client.get(url).content.decode()
    assert "Cannot delete article" in page
    assert "verdict" in page
    assert _delete(admin_client, article).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_verdicts_are_never_deleted_here(admin_client, reviewer):
    verdict = VerdictFactory(author=reviewer)
    assert _delete(admin_client, verdict).status_code == 403
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_cited_evidence_and_its_source_are_not_deleted(admin_client, reviewer):
    evidence = EvidenceFactory()
    verdict = VerdictFactory(claim=evidence.claim, author=reviewer)
    verdict.cited_evidence.add(evidence)
    assert _delete(admin_client, evidence).status_code == 403
    assert _delete(admin_client, evidence.source).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert Source.objects.filter(pk=evidence.source.pk).exists()


def test_uncited_evidence_can_be_deleted(admin_client):
    evidence = EvidenceFactory()
    assert _delete(admin_client, evidence).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
