"""API tokens: the key is shown once, only its hash is stored, revoking is final."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from tests.admin.conftest import change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db


def _create(client, user, name="TEST newsroom feed", **extra):
    return client.post(
        reverse("admin:accounts_apitoken_add"), {"user": user.pk, "name": name, **extra}
    )


def test_creating_a_token_shows_the_key_once_and_stores_only_its_hash(admin_client, reviewer):
    response = _create(admin_client, reviewer)
    assert response.status_code == 200
    body = response.content.decode()
    key = re.search(r'id="api-key" readonly size="60" value="([^"]+)"', body).group(1)
    assert any("Copy the key now" in m for m in messages_of(response))
    assert "no-store" in response["Cache-Control"]

    token = ApiToken.objects.get(name="TEST newsroom feed")
    assert token.user == reviewer
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert key not in stored
    assert ApiToken.authenticate(key) == token

    for url in (change_url(token), changelist_url("accounts.apitoken")):
        page = admin_client.get(url).content.decode()
        assert key not in page
        assert token.prefix in page


def test_a_token_needs_a_name_and_a_future_expiry(admin_client, reviewer):
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d")
    response = _create(
        admin_client, reviewer, name="TEST late", expires_at_0=past, expires_at_1="00:00:00"
    )
    assert response.status_code == 200
    assert "The expiry date must be in the future." in response.content.decode()
    assert _create(admin_client, reviewer, name="").status_code == 200
    assert not ApiToken.objects.exists()


def test_tokens_are_only_issued_to_active_users(admin_client, reviewer):
    reviewer.is_active = False
    reviewer.save()
    response = _create(admin_client, reviewer)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_is_final(admin_client, reviewer):
    token, key = ApiToken.issue(user=reviewer, name="TEST client")
    response = run_action(admin_client, "accounts.apitoken", "revoke", [token])
    assert "1 token revoked." in messages_of(response)
    token.refresh_from_db()
    revoked_at = token.revoked_at
    assert revoked_at is not None
    from django.contrib.admin.models import LogEntry

    entry = LogEntry.objects.get(object_id=str(token.pk))
    assert entry.change_message == "Revoked (admin action)." and entry.user.is_superuser
    assert ApiToken.authenticate(key) is None

    again = run_action(admin_client, "accounts.apitoken", "revoke", [token])
    assert any("already revoked" in m for m in messages_of(again))
    token.refresh_from_db()
    assert token.revoked_at == revoked_at


def test_a_token_cannot_be_edited_or_re_enabled(admin_client, reviewer):
    token, _key = ApiToken.issue(user=reviewer, name="TEST client")
    token.revoke()
    response = admin_client.post(change_url(token), {"name": "TEST renamed", "revoked_at": ""})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.name == "TEST client" and token.revoked_at is not None


def test_the_token_list_filters_by_state(admin_client, reviewer):
    active, _ = ApiToken.issue(user=reviewer, name="TEST active")
    revoked, _ = ApiToken.issue(user=reviewer, name="TEST revoked")
    revoked.revoke()
    response = admin_client.get(changelist_url("accounts.apitoken"), {"state": "active"})
    assert list(response.context["cl"].result_list) == [active]
    response = admin_client.get(changelist_url("accounts.apitoken"), {"state": "revoked"})
    assert list(response.context["cl"].result_list) == [revoked]


def test_only_admins_issue_tokens(client, editor, reviewer):
    client.force_login(editor)
    response = _create(client, reviewer)
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
