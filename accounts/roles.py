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
        roles = roles_from_groups(user.groups.values_list("name", flat=True))
    user._workbench_roles = roles
    return roles


def roles_from_groups(group_names) -> frozenset[str]:
    """The roles named by a user's group names (for lists that prefetch the groups)."""
    return frozenset(ROLE_BY_GROUP[name] for name in group_names if name in ROLE_BY_GROUP)


def highest_of(roles) -> str | None:
    """The highest of ``roles``, or None."""
    return max(roles, key=_RANK.__getitem__) if roles else None


def highest_role(user) -> str | None:
    return highest_of(roles_of(user))


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


def can_publish(user, verdict) -> bool:
    """Editors publish verdicts, never one they wrote (also for admins)."""
    return can_edit(user) and four_eyes_ok(user, verdict)


def can_withdraw(user, verdict) -> bool:
    """Editors withdraw published verdicts (their own included: taking one down is safe)."""
    return can_edit(user)


def can_access_admin(user) -> bool:
    """The Django admin is for Admins only: the Admin role *and* ``is_staff``.

    ``is_staff`` is set with the role by ``create_user --role admin`` (and the admin's
    "set role" actions) and cleared when the role is taken away; a staff flag without the
    role, or the role without the flag, gives no access."""
    return bool(user is not None and user.is_authenticated and user.is_active) and bool(
        user.is_staff and can_administer(user)
    )


def can_manage_users(user) -> bool:
    """Create users, change roles, issue and revoke API tokens."""
    return can_administer(user)


# The Django model permissions each role's group holds (assigned by the data migration
# accounts/0003_role_permissions; a test checks the database matches this table). They keep
# Django's own permission checks (the admin, DRF's model permissions) in line with the
# predicates above, which remain the rule the UI, the API and the admin ask.
_VIEW_DESK = [
    "claims.view_article",
    "claims.view_claim",
    "claims.view_verdict",
    "claims.view_historicalclaim",
    "claims.view_historicalverdict",
    "sources.view_source",
    "sources.view_evidence",
    "sources.view_factcheck",
    "sources.view_factcheckmatch",
    "sources.view_fetchjob",
]
_REVIEW = [
    "claims.add_article",  # submit an article for extraction
    "claims.change_claim",  # wording, split, merge, triage
    "claims.add_claim",  # split and merge create claims
    "claims.add_verdict",
    "claims.change_verdict",
    "claims.delete_verdict",  # delete one's own draft
    "sources.add_source",  # paste a URL, upload a document
    "sources.add_evidence",
    "sources.change_evidence",  # stance labels
    "sources.add_fetchjob",  # gather sources
]
ROLE_PERMISSIONS: dict[str, tuple[str, ...] | None] = {
    Role.REVIEWER: tuple(_VIEW_DESK + _REVIEW),
    # Approving, returning, publishing and withdrawing change verdicts and claims, which
    # reviewers may already do; editors also retry failed jobs.
    Role.EDITOR: tuple(_VIEW_DESK + _REVIEW + ["sources.change_fetchjob"]),
    # None: every permission (users, groups, tokens, jobs included).
    Role.ADMIN: None,
}
