"""Who sees what: anonymous, an API client (token of a user without a role), reviewer,
editor, admin. Reviewer-only data never leaks through any endpoint."""

import pytest

from claims.models import Verdict
from tests.api.conftest import make_verdict
from tests.factories import ClaimFactory, EvidenceFactory, FactCheckFactory

READERS = ["anon", "outsider_api", "reviewer_api", "editor_api", "admin_api"]
REVIEWERS = {"reviewer_api", "editor_api", "admin_api"}


@pytest.fixture
def world(db):
    """One verdict in every status, a claim with evidence, an article, a fact-check."""
    verdicts = {status: make_verdict(status=status) for status in Verdict.Status.values}
    for status, verdict in verdicts.items():
        verdict.summary = f"TEST summary of the {status} verdict"
        verdict.save()
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)
    return {
        "verdicts": verdicts,
        "claim": claim,
        "evidence": evidence,
        "article": claim.article,
        "factcheck": FactCheckFactory(),
    }


def _all_text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("who", READERS)
def test_the_verdict_list_shows_only_published_and_withdrawn_to_non_reviewers(request, who, world):
    client = request.getfixturevalue(who)
    response = client.get("/api/v1/verdicts/?page_size=100")
    assert response.status_code == 200
    statuses = {item["status"] for item in response.json()["results"]}
    if who in REVIEWERS:
        assert statuses == set(Verdict.Status.values)
    else:
        assert statuses == {"published", "withdrawn"}
        body = _all_text(response)
        for status in ("draft", "submitted", "returned", "approved", "withdrawn"):
            assert f"summary of the {status} verdict" not in body
        assert "summary of the published verdict" in body
        assert all(item["review"] is None for item in response.json()["results"])


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "approved"])
def test_an_unpublished_verdict_is_not_found_except_for_reviewers(request, who, status, world):
    client = request.getfixturevalue(who)
    verdict = world["verdicts"][status]
    response = client.get(f"/api/v1/verdicts/{verdict.pk}/")
    if who in REVIEWERS:
        assert response.status_code == 200
        assert response.json()["review"]["version"] == verdict.version
    else:
        assert response.status_code == 404
        assert "TEST summary" not in _all_text(response)


@pytest.mark.parametrize("who", READERS)
def test_a_withdrawn_verdict_is_gone_except_for_reviewers(request, who, world):
    client = request.getfixturevalue(who)
    verdict = world["verdicts"]["withdrawn"]
    response = client.get(f"/api/v1/verdicts/{verdict.pk}/")
    if who in REVIEWERS:
        assert response.status_code == 200
        assert response.json()["summary"] == verdict.summary
    else:
        assert response.status_code == 410
        assert "TEST summary" not in _all_text(response)


REVIEWER_ONLY_READS = [
    "/api/v1/articles/",
    "/api/v1/articles/{article}/",
    "/api/v1/claims/",
    "/api/v1/claims/{claim}/",
    "/api/v1/claims/{claim}/sources/",
    "/api/v1/claims/{claim}/jobs/",
    "/api/v1/claims/{claim}/factchecks/",
    "/api/v1/evidence/{evidence}/",
    "/api/v1/factchecks/",
    "/api/v1/factchecks/{factcheck}/",
]


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("path", REVIEWER_ONLY_READS)
def test_articles_claims_evidence_jobs_and_factchecks_are_for_reviewers_only(
    request, who, path, world
):
    client = request.getfixturevalue(who)
    url = path.format(
        article=world["article"].pk,
        claim=world["claim"].pk,
        evidence=world["evidence"].pk,
        factcheck=world["factcheck"].pk,
    )
    response = client.get(url)
    expected = {"anon": 401, "outsider_api": 403}.get(who, 200)
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")
        assert "TEST" not in _all_text(response)


WRITES = [
    ("post", "/api/v1/articles/", {"text": "TEST article text."}),
    ("post", "/api/v1/claims/{claim}/gather/", {}),
    ("post", "/api/v1/evidence/{evidence}/stance/", {"stance": "supports"}),
    ("post", "/api/v1/verdicts/", {"claim": "{claim}", "label": "refuted"}),
    ("post", "/api/v1/verdicts/{draft}/submit/", {"version": 1}),
    ("post", "/api/v1/verdicts/{submitted}/approve/", {"version": 1}),
    ("post", "/api/v1/verdicts/{submitted}/publish/", {"version": 1}),
    ("post", "/api/v1/verdicts/{published}/withdraw/", {"version": 1, "reason": "TEST"}),
    ("put", "/api/v1/verdicts/{draft}/", {"label": "refuted", "version": 1}),
    ("delete", "/api/v1/verdicts/{draft}/", None),
]


@pytest.mark.parametrize("who", ["anon", "outsider_api"])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_clients_without_a_role_cannot_write_anything(request, who, method, path, body, world):
    client = request.getfixturevalue(who)
    names = {
        "claim": world["claim"].pk,
        "evidence": world["evidence"].pk,
        **{status: v.pk for status, v in world["verdicts"].items()},
    }
    url = path.format(**names)
    if body:
        body = {
            k: (int(v.format(**names)) if isinstance(v, str) and "{" in v else v)
            for k, v in body.items()
        }
    before = sorted(Verdict.objects.values_list("pk", "status", "version"))
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == (401 if who == "anon" else 403)
    assert sorted(Verdict.objects.values_list("pk", "status", "version")) == before


@pytest.mark.parametrize(
    "path",
    ["/api/v1/verdicts/", "/api/v1/claimreviews/", "/api/v1/verdicts/{published}/claimreview/"],
)
def test_anonymous_reading_can_be_turned_off(anon, outsider_api, settings, world, path):
    url = path.format(published=world["verdicts"]["published"].pk)
    settings.API_ANONYMOUS_READ = False
    response = anon.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert outsider_api.get(url).status_code == 200


def test_a_reviewer_cannot_do_an_editors_transition(reviewer_api, world):
    verdict = world["verdicts"]["submitted"]
    response = reviewer_api.post(
        f"/api/v1/verdicts/{verdict.pk}/approve/", {"version": verdict.version}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_allowed"
    verdict.refresh_from_db()
    assert verdict.status == "submitted"
