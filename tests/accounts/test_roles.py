import pytest

from accounts import roles

pytestmark = pytest.mark.django_db


def test_roles_are_ordered_reviewer_editor_admin(reviewer, editor, admin_user, outsider):
    assert roles.can_review(reviewer) and not roles.can_edit(reviewer)
    assert roles.can_review(editor) and roles.can_edit(editor) and not roles.can_administer(editor)
    assert roles.can_administer(admin_user)
    assert not roles.can_review(outsider)


def test_an_inactive_user_holds_no_role(reviewer):
    reviewer.is_active = False
    reviewer._workbench_roles = None
    assert not roles.can_review(reviewer)
