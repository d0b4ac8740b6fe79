"""Role groups hold the model permissions roles.py describes; role predicates and services."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles, services
from claims.errors import InvalidInput, InvalidState, NotAllowed
from tests.factories import UserFactory, VerdictFactory

pytestmark = pytest.mark.django_db


def _perms(group_name):
    return {
        f"{app}.{code}"
        for app, code in Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("role", [roles.Role.REVIEWER, roles.Role.EDITOR])
def test_role_groups_hold_exactly_the_permissions_roles_py_lists(role):
    assert _perms(roles.GROUP_NAMES[role]) == set(roles.ROLE_PERMISSIONS[role])


def test_the_admin_group_holds_every_permission():
    every = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    held = _perms("Admin")
    for name in [
        "auth.change_user",
        "auth.change_group",
        "accounts.add_apitoken",
        "sources.change_fetchjob",
        "claims.delete_article",
    ]:
        assert name in held
    assert held == every


def test_reviewers_may_not_manage_users_tokens_or_jobs(reviewer):
    assert reviewer.has_perm("claims.change_verdict")
    assert reviewer.has_perm("sources.change_evidence")
    assert not reviewer.has_perm("auth.change_user")
    assert not reviewer.has_perm("accounts.add_apitoken")
    assert not reviewer.has_perm("sources.change_fetchjob")
    assert not reviewer.has_perm("claims.delete_article")


def test_editors_also_retry_jobs_but_do_not_manage_users(editor):
    assert editor.has_perm("sources.change_fetchjob")
    assert not editor.has_perm("auth.change_user")


def test_can_publish_combines_the_editor_role_and_four_eyes(reviewer, editor, admin_user):
    by_reviewer = VerdictFactory(author=reviewer)
    by_editor = VerdictFactory(author=editor)
    assert roles.can_publish(editor, by_reviewer)
    assert not roles.can_publish(editor, by_editor)
    assert not roles.can_publish(reviewer, by_editor)
    by_admin = VerdictFactory(author=admin_user)
    assert not roles.can_publish(admin_user, by_admin)
    assert roles.can_publish(admin_user, by_reviewer)


def test_only_admins_with_the_staff_flag_reach_the_admin(reviewer, editor, admin_user, outsider):
    assert roles.can_access_admin(admin_user)
    assert not any(roles.can_access_admin(u) for u in (reviewer, editor, outsider, None))
    staff_editor = UserFactory(username="staff-editor", role="editor", is_staff=True)
    assert not roles.can_access_admin(staff_editor)


def test_setting_a_role_moves_the_groups_and_the_staff_flag(reviewer, admin_user):
    services.user_set_role(user=reviewer, role="admin", by=admin_user)
    reviewer.refresh_from_db()
    assert reviewer.is_staff and roles.highest_role(reviewer) == "admin"
    assert list(reviewer.groups.values_list("name", flat=True)) == ["Admin"]
    services.user_set_role(user=reviewer, role="editor", by=admin_user)
    reviewer.refresh_from_db()
    assert not reviewer.is_staff and roles.highest_role(reviewer) == "editor"
    assert roles.can_review(reviewer) and not roles.can_administer(reviewer)
    services.user_set_role(user=reviewer, role=None, by=admin_user)
    reviewer.refresh_from_db()
    assert roles.roles_of(reviewer) == frozenset() and not reviewer.is_staff


def test_only_admins_change_roles(reviewer, editor):
    with pytest.raises(NotAllowed):
        services.user_set_role(user=reviewer, role="admin", by=editor)
    with pytest.raises(NotAllowed):
        services.api_token_create(user=editor, name="TEST", by=editor)


def test_an_admin_cannot_demote_or_deactivate_themselves(admin_user):
    with pytest.raises(InvalidInput):
        services.user_set_role(user=admin_user, role="editor", by=admin_user)
    with pytest.raises(InvalidInput):
        services.user_deactivate(user=admin_user, by=admin_user)


def test_deactivating_twice_is_reported(reviewer, admin_user):
    services.user_deactivate(user=reviewer, by=admin_user)
    with pytest.raises(InvalidState):
        services.user_deactivate(user=reviewer, by=admin_user)


def test_a_superusers_role_is_not_changed(admin_user):
    other = UserFactory(username="second-admin", role="admin", is_staff=True)
    with pytest.raises(InvalidInput, match="superuser"):
        services.user_set_role(user=admin_user, role="reviewer", by=other)
    admin_user.refresh_from_db()
    assert admin_user.is_staff
