"""Every write to people, roles and API tokens. Keyword-only, typed, atomic.

``by`` is the person acting (None for the command line, run by whoever holds the server).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import ApiToken
from claims.errors import InvalidInput, InvalidState, NotAllowed


def _require_manager(by) -> None:
    if by is not None and not roles.can_manage_users(by):
        raise NotAllowed(_("Only admins can manage users and API tokens."))


def _check_role(role: str) -> str:
    if role not in roles.Role.values:
        raise InvalidInput(
            _("Unknown role %(role)s: choose one of %(choices)s.")
            % {"role": role, "choices": ", ".join(roles.Role.values)}
        )
    return role


def _apply_role(user, role: str | None) -> None:
    """Put the user in exactly one role group (none for None); only Admins are staff."""
    workbench_groups = Group.objects.filter(name__in=roles.GROUP_NAMES.values())
    user.groups.remove(*workbench_groups)
    if role is not None:
        user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[roles.Role(role)]))
    user.is_staff = role == roles.Role.ADMIN
    user.save(update_fields=["is_staff"])
    user._workbench_roles = None  # forget the cached roles


@transaction.atomic
def user_create(*, username: str, role: str, password: str, email: str = "", by=None):
    """Create a user holding ``role``. The password is checked by Django's validators."""
    _require_manager(by)
    User = get_user_model()
    username = username.strip()
    if not username:
        raise InvalidInput(_("A user name is required."))
    _check_role(role)
    try:
        User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    if User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
        raise InvalidInput(_("A user named %(name)s already exists.") % {"name": username})
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(
                _("%(email)s is not a valid e-mail address.") % {"email": email}
            ) from exc
    user = User(**{User.USERNAME_FIELD: username}, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    _apply_role(user, role)
    return user


@transaction.atomic
def user_set_role(*, user, role: str | None, by=None):
    """Give ``user`` exactly ``role``, or no role for None (``is_staff`` follows: only Admins
    reach the admin site). A superuser keeps every role whatever their groups."""
    _require_manager(by)
    if role is not None:
        _check_role(role)
    if user.is_superuser:
        raise InvalidInput(
            _("%(name)s is a superuser and holds every role; their role cannot be changed here.")
            % {"name": user.get_username()}
        )
    if by is not None and by.pk == user.pk and role != roles.Role.ADMIN:
        raise InvalidInput(_("You cannot take the Admin role away from yourself."))
    _apply_role(user, role)
    return user


@transaction.atomic
def user_deactivate(*, user, by=None):
    """The user can no longer sign in and their API tokens stop working; nothing they wrote
    is deleted."""
    _require_manager(by)
    if by is not None and by.pk == user.pk:
        raise InvalidInput(_("You cannot deactivate yourself."))
    if not user.is_active:
        raise InvalidState(_("This user is already inactive."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def api_token_create(
    *, user, name: str, expires_at: datetime | None = None, by=None
) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns it with the plain key, which is never stored."""
    _require_manager(by)
    name = name.strip()
    if not name:
        raise InvalidInput(_("Name the token after who or what will use it."))
    if not user.is_active:
        raise InvalidInput(_("Tokens can only be issued to active users."))
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("The expiry date must be in the future."))
    return ApiToken.issue(user=user, name=name, expires_at=expires_at)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by=None) -> ApiToken:
    """Revoke a token for good (a revoked token is never enabled again)."""
    _require_manager(by)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise InvalidState(_("This token was already revoked."))
    token.revoke()
    return token
