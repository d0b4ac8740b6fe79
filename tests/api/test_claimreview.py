"""ClaimReview documents, checked in their expanded JSON-LD form with pyld.

The schema.org context cannot be fetched offline, so pyld gets a document loader that serves
a minimal local context for https://schema.org: like the real one, it maps every term onto
the vocabulary http://schema.org/ (``@vocab``) and declares ``url`` as an IRI. Expansion then
gives full property IRIs (http://schema.org/claimReviewed ...) exactly as with the real
context for the terms used here, and fails loudly on anything the loader does not know."""

import pytest
from pyld import jsonld

from claims.claimreview import claimreview_for, verdict_public_url
from claims.models import Verdict
from tests.api.conftest import make_verdict
from tests.factories import ArticleFactory

S = "http://schema.org/"
LOCAL_SCHEMA_ORG_CONTEXT = {
    "@context": {"@vocab": S, "schema": S, "url": {"@id": "schema:url", "@type": "@id"}}
}


def offline_loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_SCHEMA_ORG_CONTEXT}
    raise jsonld.JsonLdError(
        "Offline test loader: unknown document",
        "loading document failed",
        {"url": url},
        code="loading document failed",
    )


def expand(document: dict) -> dict:
    expanded = jsonld.expand(document, {"documentLoader": offline_loader})
    assert len(expanded) == 1
    return expanded[0]


def value(node: dict, prop: str):
    (entry,) = node[S + prop]
    return entry.get("@value", entry.get("@id", entry))


RATINGS = [
    ("supported", "en", 5, "True"),
    ("conflicting_cherrypicking", "en", 3, "Misleading"),
    ("refuted", "en", 1, "False"),
    ("not_enough_evidence", "en", None, "Unproven"),
    ("supported", "ar", 5, "صحيح"),
    ("conflicting_cherrypicking", "ar", 3, "مضلل"),
    ("refuted", "ar", 1, "خاطئ"),
    ("not_enough_evidence", "ar", None, "غير مثبت"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "language", "rating", "name"), RATINGS)
def test_a_published_verdict_expands_to_a_complete_claimreview(label, language, rating, name):
    verdict = make_verdict(label=label, language=language)
    node = expand(claimreview_for(verdict))

    assert node["@type"] == [S + "ClaimReview"]
    assert value(node, "claimReviewed") == verdict.claim.review_text
    assert value(node, "url") == verdict_public_url(verdict)
    assert value(node, "inLanguage") == language
    assert value(node, "datePublished") == verdict.published_at.isoformat()
    (review_rating,) = node[S + "reviewRating"]
    assert review_rating["@type"] == [S + "Rating"]
    assert value(review_rating, "alternateName") == name
    assert value(review_rating, "bestRating") == 5
    assert value(review_rating, "worstRating") == 1
    if rating is None:
        assert S + "ratingValue" not in review_rating
    else:
        assert value(review_rating, "ratingValue") == rating
    (author,) = node[S + "author"]
    assert author["@type"] == [S + "Organization"]
    assert value(author, "name") == "TEST Publisher"
    (item,) = node[S + "itemReviewed"]
    assert item["@type"] == [S + "Claim"]
    (appearance,) = item[S + "appearance"]
    assert value(appearance, "url") == "https://news.example.invalid/test-article"
    (claim_author,) = item[S + "author"]
    assert value(claim_author, "name") == "TEST News"
    assert value(item, "datePublished") == verdict.claim.article.published_at.isoformat()


@pytest.mark.django_db
def test_an_article_without_url_or_publisher_gives_a_claim_without_appearance_or_author():
    article = ArticleFactory(url="", publisher="", published_at=None)
    node = expand(claimreview_for(make_verdict(article=article)))
    (item,) = node[S + "itemReviewed"]
    assert S + "appearance" not in item
    assert S + "author" not in item
    assert S + "datePublished" not in item


@pytest.mark.django_db
def test_a_draft_has_no_claimreview():
    with pytest.raises(ValueError):
        claimreview_for(make_verdict(status=Verdict.Status.DRAFT))


@pytest.mark.django_db
def test_the_public_url_is_the_publishers_verdict_page(settings):
    settings.PUBLISHER_URL = "https://factcheck.example.invalid/checks"
    verdict = make_verdict()
    assert verdict_public_url(verdict) == (
        f"https://factcheck.example.invalid/checks/verdicts/{verdict.uuid}/"
    )


@pytest.mark.django_db
def test_the_claimreview_endpoint_serves_json_ld_that_expands(anon):
    verdict = make_verdict()
    response = anon.get(f"/api/v1/verdicts/{verdict.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    node = expand(response.json())
    assert value(node, "claimReviewed") == "TEST: the ministry bought 400 widgets."


@pytest.mark.django_db
def test_the_claimreview_endpoint_answers_304_when_the_etag_matches(anon):
    verdict = make_verdict()
    first = anon.get(f"/api/v1/verdicts/{verdict.pk}/claimreview/")
    again = anon.get(
        f"/api/v1/verdicts/{verdict.pk}/claimreview/", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["anon", "reviewer_api"])
@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "returned"])
def test_an_unpublished_verdict_has_no_claimreview_for_anyone(request, client_name, status):
    client = request.getfixturevalue(client_name)
    verdict = make_verdict(status=status)
    response = client.get(f"/api/v1/verdicts/{verdict.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_a_withdrawn_verdicts_claimreview_is_gone(anon):
    verdict = make_verdict(status=Verdict.Status.WITHDRAWN)
    response = anon.get(f"/api/v1/verdicts/{verdict.pk}/claimreview/")
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "gone"
    assert response.json()["error"]["withdrawn_at"] == verdict.withdrawn_at.isoformat()


@pytest.mark.django_db
def test_the_public_page_shows_a_published_verdict_escaped(client):
    verdict = make_verdict(language="ar", label="refuted")
    verdict.summary = "TEST <script>alert(1)</script> summary"
    verdict.save()
    claim = verdict.claim
    claim.wording = "TEST </script><b>bold</b> claim"
    claim.save()
    response = client.get(f"/verdicts/{verdict.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</script><b>" not in html  # neither in the page nor in its JSON-LD
    assert 'lang="ar" dir="rtl"' in html
    assert "خاطئ" in html
    assert '<script type="application/ld+json">' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "code"), [("draft", 404), ("submitted", 404), ("withdrawn", 410)]
)
def test_the_public_page_of_an_unpublished_or_withdrawn_verdict_is_not_shown(client, status, code):
    verdict = make_verdict(status=status)
    response = client.get(f"/verdicts/{verdict.uuid}/")
    assert response.status_code == code
    assert verdict.summary not in response.content.decode()


@pytest.mark.django_db
def test_a_verdicts_links_lead_to_its_claimreview_and_public_page(anon, client):
    verdict = make_verdict()
    (item,) = anon.get("/api/v1/verdicts/").json()["results"]
    assert anon.get(item["claimreview_url"]).json()["url"] == item["public_url"]
    path = item["public_url"].removeprefix("https://factcheck.example.invalid")
    assert client.get(path).status_code == 200
    assert item["label_name"] == "False" and item["rating_value"] == 1
    assert item["publisher"] == "TEST Publisher"
    assert item["id"] == verdict.pk
