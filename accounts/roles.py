"""Who may do what: the one place the UI, the API and the admin ask.

Roles are Django groups (created by a data migration). Superusers hold every role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Admin")


GROUP_NAMES = {Role.REVIEWER: "Reviewer", Role.EDITOR: "Editor", Role.ADMIN: "Admin"}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}

# Each role includes the powers of the ones before it.
_RANK = {Role.REVIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


def roles_of(user) -> frozenset[str]:
    """The roles a user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_workbench_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        roles = frozenset(Role)
    else:
        names = user.groups.values_list("name", flat=True)
        roles = frozenset(ROLE_BY_GROUP[name] for name in names if name in ROLE_BY_GROUP)
    user._workbench_roles = roles
    return roles


def highest_role(user) -> str | None:
    roles = roles_of(user)
    return max(roles, key=_RANK.__getitem__) if roles else None


def has_role(user, role: str) -> bool:
    """True when the user holds ``role`` or a role above it."""
    best = highest_role(user)
    return best is not None and _RANK[best] >= _RANK[Role(role)]


def can_review(user) -> bool:
    """Label evidence, edit claims, add sources, draft and submit verdicts."""
    return has_role(user, Role.REVIEWER)


def can_edit(user) -> bool:
    """Approve, return, publish and withdraw verdicts (never one's own: see four_eyes_ok)."""
    return has_role(user, Role.EDITOR)


def can_administer(user) -> bool:
    return has_role(user, Role.ADMIN)


def four_eyes_ok(user, verdict) -> bool:
    """Nobody approves or publishes a verdict they wrote."""
    return verdict.author_id != user.pk
