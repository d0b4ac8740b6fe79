"""Token authentication, throttling and the shape of every error."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.api.conftest import make_verdict
from workbench.api_throttles import _FixedWindow


def _client(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer"])
def test_a_token_authenticates_as_its_user_with_its_role(reviewer, keyword):
    _token, key = ApiToken.issue(user=reviewer, name="TEST")
    assert _client(f"{keyword} {key}").get("/api/v1/claims/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Token", "Token a b", "Token not-a-real-key", "Bearer \u00e9"])
def test_a_malformed_or_unknown_token_is_a_401(header):
    response = _client(header).get("/api/v1/claimreviews/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == 'Token realm="api"'


@pytest.mark.django_db
def test_a_revoked_or_expired_token_is_refused(reviewer):
    revoked, revoked_key = ApiToken.issue(user=reviewer, name="TEST revoked")
    revoked.revoke()
    _expired, expired_key = ApiToken.issue(
        user=reviewer, name="TEST expired", expires_at=timezone.now() - timedelta(seconds=1)
    )
    for key in (revoked_key, expired_key):
        assert _client(f"Token {key}").get("/api/v1/claims/").status_code == 401


@pytest.mark.django_db
def test_a_token_of_a_deactivated_user_is_refused(reviewer):
    _token, key = ApiToken.issue(user=reviewer, name="TEST")
    reviewer.is_active = False
    reviewer.save()
    assert _client(f"Token {key}").get("/api/v1/claims/").status_code == 401


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(reviewer, django_assert_num_queries):
    token, key = ApiToken.issue(user=reviewer, name="TEST")
    client = _client(f"Token {key}")
    client.get("/api/v1/claimreviews/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/claimreviews/")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/claimreviews/")
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_by_address_with_retry_after(anon, settings, monkeypatch):
    # Mid-minute, so the fixed window cannot roll over during the test.
    monkeypatch.setattr(_FixedWindow, "timer", staticmethod(lambda: 1_700_000_010.0))
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    codes = [anon.get("/api/v1/claimreviews/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = anon.get("/api/v1/claimreviews/")
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    other = APIClient(REMOTE_ADDR="192.0.2.10")
    assert other.get("/api/v1/claimreviews/").status_code == 200


@pytest.mark.django_db
def test_authenticated_clients_are_throttled_per_user(
    reviewer_api, editor_api, settings, monkeypatch
):
    monkeypatch.setattr(_FixedWindow, "timer", staticmethod(lambda: 1_700_000_010.0))
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "2/minute"},
    }
    assert [reviewer_api.get("/api/v1/claims/").status_code for _ in range(3)] == [200, 200, 429]
    assert editor_api.get("/api/v1/claims/").status_code == 200


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(anon):
    for path in (
        "/api/v1/nothing-here/",
        "/api/v1/verdicts/99999999999999999999999/",
        "/api/v1/verdicts/abc/",
        "/api/v2/",
    ):
        response = anon.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_an_anonymous_write_to_a_read_only_endpoint_is_a_401(anon):
    response = anon.delete("/api/v1/claimreviews/")
    assert response.status_code == 401  # nothing is said to anonymous writers but "sign in"
    response = anon.patch(f"/api/v1/verdicts/{make_verdict().pk}/claimreview/")
    assert response.status_code == 401  # nothing is said to anonymous writers but "sign in"


@pytest.mark.django_db
def test_a_wrong_method_for_a_reviewer_is_a_405_with_a_code(reviewer_api):
    response = reviewer_api.patch(f"/api/v1/verdicts/{make_verdict().pk}/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("\x00", "application/json"), ("a=b", "text/plain")],
)
def test_a_body_that_cannot_be_read_is_a_4xx_with_a_code(reviewer_api, body, content_type):
    response = reviewer_api.generic("POST", "/api/v1/verdicts/", body, content_type=content_type)
    assert response.status_code in (400, 415)
    assert response.json()["error"]["code"] in ("parse_error", "unsupported_media_type")


@pytest.mark.django_db
def test_validation_errors_list_every_field(reviewer_api):
    response = reviewer_api.post(
        "/api/v1/verdicts/", {"claim": "x", "label": "nope", "evidence": "1"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error["fields"]) == {"claim", "label", "evidence"}
    assert isinstance(error["fields"]["claim"], list)


@pytest.mark.django_db
def test_an_unknown_claim_is_a_404_for_writes(reviewer_api):
    response = reviewer_api.post("/api/v1/verdicts/", {"claim": 987654321}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
