"""Who may see what: sign-in, roles, CSRF, CSP, login throttling, language."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, VerdictFactory

pytestmark = pytest.mark.django_db


def _pages(claim):
    return [
        reverse("claims:dashboard"),
        reverse("claims:queue"),
        reverse("claims:article_new"),
        reverse("claims:article", args=[claim.article_id]),
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:claim_history", args=[claim.pk]),
        reverse("claims:approvals"),
    ]


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, claim):
    for url in _pages(claim):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_anonymous_posts_change_nothing_and_redirect_to_sign_in(client, claim):
    response = client.post(reverse("claims:claim_assign", args=[claim.pk]), {"to": "me"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee is None


def test_a_signed_in_user_without_a_role_gets_a_clear_403(client, outsider, claim):
    client.force_login(outsider)
    for url in _pages(claim):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"no role in the workbench" in response.content


def test_a_reviewer_cannot_open_the_approval_queue(signed_in):
    response = signed_in.get(reverse("claims:approvals"))
    assert response.status_code == 403
    assert b"does not allow" in response.content


def test_an_editor_sees_the_approval_link_and_a_reviewer_does_not(client, reviewer, editor):
    client.force_login(reviewer)
    assert reverse("claims:approvals").encode() not in client.get("/").content
    client.force_login(editor)
    assert reverse("claims:approvals").encode() in client.get("/").content


def test_a_reviewer_signs_in_with_the_right_password(client, reviewer):
    response = client.post(
        reverse("login"), {"username": "reviewer", "password": "test-password-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_shows_an_error_and_keeps_the_username(client, reviewer):
    response = client.post(reverse("login"), {"username": "reviewer", "password": "nope"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert b'value="reviewer"' in response.content


def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_message(client, reviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "reviewer", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "reviewer", "password": "test-password-123"}
    )
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post(signed_in):
    assert signed_in.get(reverse("logout")).status_code == 405
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert signed_in.get("/").status_code == 302


def test_forms_are_refused_without_the_csrf_token(reviewer, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:claim_assign", args=[claim.pk]), {"to": "me", "version": claim.version}
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.assignee is None


def test_every_page_carries_the_csrf_token_for_htmx_and_a_strict_csp(signed_in, claim):
    response = signed_in.get(reverse("claims:claim", args=[claim.pk]))
    assert b'hx-headers=\'{"X-CSRFToken": "' in response.content
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_htmx_and_the_shortcuts_come_from_our_own_static_files(signed_in):
    content = signed_in.get("/").content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in content
    assert "/static/js/app.js" in content
    assert "<script>" not in content  # no inline script at all


def test_the_language_switch_turns_the_page_arabic_and_right_to_left(signed_in):
    response = signed_in.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302
    content = signed_in.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "لوحة المتابعة" in content


def test_the_verdict_actions_refuse_a_reviewer_on_the_server(signed_in, reviewer):
    verdict = VerdictFactory(author=UserFactory(role="reviewer"), status="submitted")
    response = signed_in.post(
        reverse("claims:verdict_action", args=[verdict.pk, "publish"]),
        {"version": verdict.version},
    )
    assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.status == "submitted"
