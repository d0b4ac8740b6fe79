"""Writes: articles, source gathering, evidence labels, the verdict workflow over HTTP."""

import pytest

from claims.models import Article, Claim, Verdict
from tests.api.conftest import make_verdict, token_client
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, FetchJobFactory


@pytest.fixture
def fake_article_submit(monkeypatch):
    """``claims.services.article_submit`` is built by the ingestion helper; until it is merged
    the API is tested against a stand-in with its documented signature."""
    calls = []

    def article_submit(*, user, text="", data=None, filename="", url="", title="", language=""):
        calls.append(
            dict(
                user=user,
                text=text,
                data=data,
                filename=filename,
                url=url,
                title=title,
                language=language,
            )
        )
        from claims.errors import IngestError

        if text.strip() == "TEST binary":
            raise IngestError("This file is not text.")
        return ArticleFactory(
            text=text or (data or b"").decode() or f"pending {url}",
            url=url,
            title=title,
            status=Article.Status.PENDING,
        )

    monkeypatch.setattr("claims.services.article_submit", article_submit, raising=False)
    return calls


@pytest.mark.django_db
def test_submitting_an_article_answers_202_with_a_link_to_its_status(
    reviewer_api, reviewer, fake_article_submit
):
    response = reviewer_api.post(
        "/api/v1/articles/",
        {"url": "https://news.example.invalid/test", "language": "ar"},
        format="json",
    )
    assert response.status_code == 202
    body = response.json()
    assert body["article"]["status"] == "pending"
    assert response["Location"] == body["status_url"]
    assert fake_article_submit == [
        dict(
            user=reviewer,
            text="",
            data=None,
            filename="",
            url="https://news.example.invalid/test",
            title="",
            language="ar",
        )
    ]
    status = reviewer_api.get(body["status_url"])
    assert status.status_code == 200
    assert status.json()["id"] == body["article"]["id"]


@pytest.mark.django_db
def test_an_article_can_be_uploaded_as_a_file(reviewer_api, fake_article_submit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("test.txt", b"TEST uploaded article.", content_type="text/plain")
    response = reviewer_api.post("/api/v1/articles/", {"file": upload}, format="multipart")
    assert response.status_code == 202
    assert fake_article_submit[0]["data"] == b"TEST uploaded article."
    assert fake_article_submit[0]["filename"] == "test.txt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "TEST", "url": "https://news.example.invalid/x"},
        {"url": "not a url"},
        {"title": "TEST only a title"},
    ],
)
def test_an_article_needs_exactly_one_of_text_url_or_file(reviewer_api, fake_article_submit, body):
    response = reviewer_api.post("/api/v1/articles/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert fake_article_submit == []


@pytest.mark.django_db
def test_an_ingestion_error_is_a_400_with_the_services_message(reviewer_api, fake_article_submit):
    response = reviewer_api.post("/api/v1/articles/", {"text": "TEST binary"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "ingest_failed",
        "message": "This file is not text.",
    }


@pytest.mark.django_db
def test_gathering_sources_for_a_claim_answers_202_with_its_jobs(
    reviewer_api, reviewer, monkeypatch
):
    claim = ClaimFactory()
    seen = {}

    def sources_gather(*, claims, requested_by=None, providers=None):
        seen.update(claims=list(claims), requested_by=requested_by, providers=providers)
        return [FetchJobFactory(claim=claims[0], provider=p) for p in providers]

    monkeypatch.setattr("sources.services.sources_gather", sources_gather, raising=False)
    response = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/gather/", {"providers": ["wikipedia", "gdelt"]}, format="json"
    )
    assert response.status_code == 202
    assert [job["provider"] for job in response.json()] == ["wikipedia", "gdelt"]
    assert seen == {
        "claims": [claim],
        "requested_by": reviewer,
        "providers": ["wikipedia", "gdelt"],
    }
    jobs = reviewer_api.get(f"/api/v1/claims/{claim.pk}/jobs/").json()
    assert {job["provider"] for job in jobs} == {"wikipedia", "gdelt"}


@pytest.mark.django_db
def test_a_reviewer_labels_evidence(reviewer_api, reviewer):
    evidence = EvidenceFactory()
    response = reviewer_api.post(
        f"/api/v1/evidence/{evidence.pk}/stance/", {"stance": "supports"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["stance"] == "supports"
    assert response.json()["stance_by"] == reviewer.username
    listed = reviewer_api.get(f"/api/v1/claims/{evidence.claim_id}/sources/").json()
    assert listed[0]["stance"] == "supports"
    assert listed[0]["source"]["url"] == evidence.source.url


@pytest.mark.django_db
def test_an_unknown_stance_is_a_400(reviewer_api):
    evidence = EvidenceFactory()
    response = reviewer_api.post(
        f"/api/v1/evidence/{evidence.pk}/stance/", {"stance": "maybe"}, format="json"
    )
    assert response.status_code == 400
    assert "stance" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_the_whole_workflow_from_draft_to_withdrawal(reviewer, editor, anon):
    author = token_client(reviewer)
    boss = token_client(editor)
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)

    draft = author.post(
        "/api/v1/verdicts/",
        {
            "claim": claim.pk,
            "label": "refuted",
            "summary": "TEST summary",
            "evidence": [evidence.pk],
        },
        format="json",
    )
    assert draft.status_code == 201, draft.json()
    verdict = draft.json()
    assert verdict["status"] == "draft"
    assert [e["id"] for e in verdict["cited_evidence"]] == [evidence.pk]

    def step(client, action, **body):
        nonlocal verdict
        response = client.post(
            f"/api/v1/verdicts/{verdict['id']}/{action}/",
            {"version": verdict["review"]["version"], **body},
            format="json",
        )
        assert response.status_code == 200, response.json()
        verdict = response.json()
        return verdict

    assert step(author, "submit")["status"] == "submitted"
    assert step(boss, "return", comment="TEST cite more")["status"] == "returned"
    assert verdict["review"]["return_comment"] == "TEST cite more"
    edited = author.put(
        f"/api/v1/verdicts/{verdict['id']}/",
        {
            "label": "refuted",
            "summary": "TEST better summary",
            "evidence": [evidence.pk],
            "version": verdict["review"]["version"],
        },
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    verdict = edited.json()
    assert step(author, "submit")["status"] == "submitted"
    assert step(boss, "approve")["status"] == "approved"
    assert step(boss, "publish")["status"] == "published"
    assert anon.get(f"/api/v1/verdicts/{verdict['id']}/claimreview/").status_code == 200
    assert step(boss, "withdraw", reason="TEST correction")["status"] == "withdrawn"
    assert anon.get(f"/api/v1/verdicts/{verdict['id']}/claimreview/").status_code == 410
    assert Claim.objects.get(pk=claim.pk).state == Claim.State.IN_REVIEW


@pytest.mark.django_db
def test_a_stale_version_is_a_409_carrying_the_current_verdict(reviewer_api, reviewer):
    verdict = make_verdict(status=Verdict.Status.DRAFT, author=reviewer)
    current_version = verdict.version
    response = reviewer_api.put(
        f"/api/v1/verdicts/{verdict.pk}/",
        {"summary": "TEST mine", "version": current_version + 5},
        format="json",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"]["id"] == verdict.pk
    assert error["current"]["review"]["version"] == current_version
    verdict.refresh_from_db()
    assert verdict.summary == "TEST summary of the verdict."


@pytest.mark.django_db
def test_a_transition_without_a_version_is_a_400(editor_api):
    verdict = make_verdict(status=Verdict.Status.SUBMITTED)
    response = editor_api.post(f"/api/v1/verdicts/{verdict.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_nobody_publishes_their_own_verdict(editor, editor_api):
    verdict = make_verdict(status=Verdict.Status.SUBMITTED, author=editor)
    response = editor_api.post(
        f"/api/v1/verdicts/{verdict.pk}/publish/", {"version": verdict.version}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_allowed"


@pytest.mark.django_db
def test_an_invalid_transition_is_a_409(editor_api):
    verdict = make_verdict(status=Verdict.Status.DRAFT)
    response = editor_api.post(
        f"/api/v1/verdicts/{verdict.pk}/publish/", {"version": verdict.version}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"


@pytest.mark.django_db
def test_submitting_a_refuted_verdict_without_evidence_is_a_400(reviewer, reviewer_api):
    verdict = make_verdict(status=Verdict.Status.DRAFT, author=reviewer, cite=False)
    response = reviewer_api.post(
        f"/api/v1/verdicts/{verdict.pk}/submit/", {"version": verdict.version}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_citing_unknown_or_foreign_evidence_is_a_400(reviewer_api):
    claim = ClaimFactory()
    foreign = EvidenceFactory()
    for ids in ([999999], [foreign.pk]):
        response = reviewer_api.post(
            "/api/v1/verdicts/", {"claim": claim.pk, "evidence": ids}, format="json"
        )
        assert response.status_code == 400
    assert not Verdict.objects.filter(claim=claim).exists()


@pytest.mark.django_db
def test_an_author_deletes_their_draft(reviewer, reviewer_api):
    verdict = make_verdict(status=Verdict.Status.DRAFT, author=reviewer)
    assert reviewer_api.delete(f"/api/v1/verdicts/{verdict.pk}/").status_code == 204
    assert not Verdict.objects.filter(pk=verdict.pk).exists()


@pytest.mark.django_db
def test_session_users_must_send_the_csrf_token(reviewer):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    claim = ClaimFactory()
    response = client.post("/api/v1/verdicts/", {"claim": claim.pk}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert client.get("/api/v1/claims/").status_code == 200


@pytest.mark.django_db
def test_updating_a_verdict_needs_the_version_edited(reviewer, reviewer_api):
    verdict = make_verdict(status=Verdict.Status.DRAFT, author=reviewer)
    response = reviewer_api.put(
        f"/api/v1/verdicts/{verdict.pk}/", {"summary": "TEST"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]
