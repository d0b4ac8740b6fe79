"""Users in the admin: a role column and filter, roles set through the service."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts import roles
from tests.admin.conftest import change_url, changelist_url, messages_of, run_action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_user_list_shows_and_filters_by_role(admin_client, reviewer, editor):
    response = admin_client.get(changelist_url("auth.user"))
    body = response.content.decode()
    assert "Reviewer" in body and "Editor" in body
    response = admin_client.get(changelist_url("auth.user"), {"role": "editor"})
    assert list(response.context["cl"].result_list) == [editor]
    response = admin_client.get(changelist_url("auth.user"), {"role": "none"})
    assert reviewer not in response.context["cl"].result_list


def test_adding_a_user_with_a_role(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "test-new-admin",
            "email": "",
            "role": "admin",
            "password1": "TEST-correct-horse-battery-41",
            "password2": "TEST-correct-horse-battery-41",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="test-new-admin")
    assert roles.highest_role(user) == "admin" and user.is_staff


def test_changing_the_role_in_the_form_moves_the_staff_flag(admin_client, reviewer):
    data = {
        "username": reviewer.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "admin",
        "is_active": "on",
    }
    response = admin_client.post(change_url(reviewer), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reviewer.refresh_from_db()
    reviewer._workbench_roles = None
    assert reviewer.is_staff and roles.highest_role(reviewer) == "admin"

    response = admin_client.post(change_url(reviewer), {**data, "role": "reviewer"})
    reviewer.refresh_from_db()
    reviewer._workbench_roles = None
    assert not reviewer.is_staff and roles.highest_role(reviewer) == "reviewer"


def test_the_staff_and_superuser_flags_cannot_be_set_by_hand(admin_client, editor):
    data = {
        "username": editor.username,
        "role": "editor",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    admin_client.post(change_url(editor), data)
    editor.refresh_from_db()
    assert not editor.is_staff and not editor.is_superuser


def test_role_actions_and_their_limits(client, role_admin, admin_user, reviewer):
    client.force_login(role_admin)
    response = run_action(client, "auth.user", "make_editor", [reviewer, role_admin, admin_user])
    found = messages_of(response)
    assert "1 user now has the role Editor." in found
    assert any("cannot take the Admin role away from yourself" in m for m in found)
    assert any("is a superuser and holds every role" in m for m in found)
    reviewer._workbench_roles = None
    assert roles.highest_role(reviewer) == "editor"
    role_admin.refresh_from_db()
    admin_user.refresh_from_db()
    assert role_admin.is_staff and admin_user.is_staff


def test_deactivating_keeps_the_user_and_their_work(admin_client, reviewer):
    response = run_action(admin_client, "auth.user", "deactivate", [reviewer])
    assert "1 user deactivated." in messages_of(response)
    reviewer.refresh_from_db()
    assert not reviewer.is_active


def test_users_are_not_deleted_from_the_admin(admin_client, reviewer):
    url = reverse("admin:auth_user_delete", args=[reviewer.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=reviewer.pk).exists()


def test_a_non_superuser_admin_cannot_make_anyone_superuser(client, db):
    admin = UserFactory(username="role-admin-2", role="admin", is_staff=True)
    target = UserFactory(username="target", role="reviewer")
    client.force_login(admin)
    client.post(
        change_url(target),
        {"username": "target", "role": "reviewer", "is_active": "on", "is_superuser": "on"},
    )
    target.refresh_from_db()
    assert not target.is_superuser


def test_the_admin_role_filter_includes_superusers(admin_client, admin_user, role_admin, reviewer):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)  # in no group
    response = admin_client.get(changelist_url("auth.user"), {"role": "admin"})
    assert set(response.context["cl"].result_list) == {admin_user, role_admin, root}


def test_the_form_refuses_to_demote_yourself_or_a_superuser(client, admin_user, role_admin):
    client.force_login(role_admin)
    data = {"username": role_admin.username, "role": "editor", "is_active": "on"}
    response = client.post(change_url(role_admin), data)
    assert response.status_code == 200
    assert "You cannot take the Admin role away from yourself." in response.content.decode()
    data = {"username": admin_user.username, "role": "reviewer", "is_active": "on"}
    response = client.post(change_url(admin_user), data)
    assert "A superuser holds every role" in response.content.decode()
    role_admin.refresh_from_db()
    admin_user.refresh_from_db()
    assert role_admin.is_staff and admin_user.is_staff
