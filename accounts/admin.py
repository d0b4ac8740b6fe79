"""People, roles and API tokens in the admin.

A user's role is chosen from the three workbench roles (never by editing groups or the staff
flag by hand): ``accounts.services.user_set_role`` keeps the group and ``is_staff`` together.
API tokens are shown once, when created; only their hash is stored; revoking is final.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import roles, services
from accounts.models import ApiToken
from claims.errors import DomainError
from workbench.admin import RoleGatedMixin, WorkbenchModelAdmin, report_error, run_for_each

User = get_user_model()
NO_ROLE = ""
ROLE_CHOICES = [(NO_ROLE, gettext_lazy("No role (cannot use the workbench)")), *roles.Role.choices]


# --- users ----------------------------------------------------------------------------------
class RoleFilter(admin.SimpleListFilter):
    title = gettext_lazy("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [*roles.Role.choices, ("none", _("No role"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value in roles.Role.values:
            in_group = Q(groups__name=roles.GROUP_NAMES[roles.Role(value)])
            if value == roles.Role.ADMIN:
                in_group |= Q(is_superuser=True)  # superusers hold every role
            return queryset.filter(in_group).distinct()
        if value == "none":
            return queryset.exclude(groups__name__in=roles.GROUP_NAMES.values()).filter(
                is_superuser=False
            )
        return queryset


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=ROLE_CHOICES,
            required=False,
            label=gettext_lazy("Role"),
            help_text=gettext_lazy(
                "Reviewers check claims; editors also approve and publish; admins also run "
                "this admin site (only admins are staff)."
            ),
            **kwargs,
        )


class UserWithRoleCreationForm(UserCreationForm):
    role = RoleField()


class UserWithRoleChangeForm(UserChangeForm):
    role = RoleField()
    acting_user = None  # set by UserAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = _user_role(self.instance) or NO_ROLE

    def clean_role(self):
        """The same refusals as ``services.user_set_role``, shown on the form."""
        role = self.cleaned_data.get("role") or None
        user = self.instance
        if user.pk and role != _user_role(user):
            if user.is_superuser:
                raise forms.ValidationError(
                    _("A superuser holds every role; their role cannot be changed here.")
                )
            acting = self.acting_user
            if acting is not None and acting.pk == user.pk and role != roles.Role.ADMIN:
                raise forms.ValidationError(_("You cannot take the Admin role away from yourself."))
        return role or NO_ROLE


def _user_role(user) -> str | None:
    """The user's role from prefetched groups (no query per row)."""
    if user.is_superuser:
        return roles.Role.ADMIN
    return roles.highest_of(roles.roles_from_groups(g.name for g in user.groups.all()))


class UserAdmin(RoleGatedMixin, DjangoUserAdmin):
    allow_add = True
    allow_change = True
    allow_delete = False  # deactivate instead: verdicts keep their authors
    form = UserWithRoleChangeForm
    add_form = UserWithRoleCreationForm
    list_display = [
        "username",
        "email",
        "role",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]
    list_filter = [RoleFilter, "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "email", "first_name", "last_name"]
    date_hierarchy = "date_joined"
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (gettext_lazy("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (
            gettext_lazy("Role and access"),
            {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (gettext_lazy("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "email", "role", "password1", "password2"],
            },
        ),
    ]
    # The role decides the groups and the staff flag; superuser is for the command line.
    readonly_fields = ["is_staff", "is_superuser", "groups", "last_login", "date_joined"]
    actions = ["make_reviewer", "make_editor", "make_admin", "remove_role", "deactivate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    @admin.display(description=gettext_lazy("role"))
    def role(self, obj):
        role = _user_role(obj)
        return roles.Role(role).label if role else "-"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        role = form.cleaned_data.get("role", NO_ROLE)
        current = _user_role(obj) if change else None
        if change and (role or None) == current:
            return
        services.user_set_role(user=obj, role=role or None, by=request.user)

    def _set_role(self, request, queryset, role):
        label = roles.Role(role).label if role else _("no role")
        run_for_each(
            self,
            request,
            list(queryset),
            lambda user: services.user_set_role(user=user, role=role, by=request.user),
            done=lambda n: (
                ngettext(
                    "%(n)d user now has the role %(role)s.",
                    "%(n)d users now have the role %(role)s.",
                    n,
                )
                % {"n": n, "role": label}
            ),
            what=_("changing the role"),
            log=f"Role set to {label} (admin action).",
        )

    @admin.action(description=gettext_lazy("Make reviewer"), permissions=["manage"])
    def make_reviewer(self, request, queryset):
        self._set_role(request, queryset, roles.Role.REVIEWER)

    @admin.action(description=gettext_lazy("Make editor"), permissions=["manage"])
    def make_editor(self, request, queryset):
        self._set_role(request, queryset, roles.Role.EDITOR)

    @admin.action(
        description=gettext_lazy("Make admin (gives admin-site access)"), permissions=["manage"]
    )
    def make_admin(self, request, queryset):
        self._set_role(request, queryset, roles.Role.ADMIN)

    @admin.action(description=gettext_lazy("Remove role"), permissions=["manage"])
    def remove_role(self, request, queryset):
        self._set_role(request, queryset, None)

    @admin.action(description=gettext_lazy("Deactivate (cannot sign in)"), permissions=["manage"])
    def deactivate(self, request, queryset):
        run_for_each(
            self,
            request,
            list(queryset),
            lambda user: services.user_deactivate(user=user, by=request.user),
            done=lambda n: (
                ngettext("%(n)d user deactivated.", "%(n)d users deactivated.", n) % {"n": n}
            ),
            what=_("deactivation"),
            log="Deactivated (admin action).",
        )


class GroupAdmin(RoleGatedMixin, DjangoGroupAdmin):
    """The role groups are fixed (their permissions come from a migration): view only."""


for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(User, UserAdmin)
admin.site.register(Group, GroupAdmin)


# --- API tokens -----------------------------------------------------------------------------
class TokenStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("revoked", _("Revoked")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        value = self.value()
        if value == "active":
            return queryset.active()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())
        return queryset


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # the add form (a token is never changed)
            self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
            self.fields["user"].help_text = _("The token acts as this user, with their role.")

    def clean_expires_at(self):
        from django.utils import timezone

        value = self.cleaned_data.get("expires_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return value


@admin.register(ApiToken)
class ApiTokenAdmin(WorkbenchModelAdmin):
    allow_add = True  # never change: the key cannot be edited, a token can only be revoked
    form = ApiTokenForm
    list_display = [
        "name",
        "key_prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "active",
    ]
    list_filter = [TokenStateFilter]
    search_fields = ["name", "prefix", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and roles.can_manage_users(request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return [
            "name",
            "key_prefix",
            "user",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "active",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description=gettext_lazy("key"), ordering="prefix")
    def key_prefix(self, obj):
        return f"{obj.prefix}…"

    @admin.display(description=gettext_lazy("active"), boolean=True)
    def active(self, obj):
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if change:  # not reachable (no change permission); never touch a key
            raise ValueError("API tokens cannot be changed")
        token, key = services.api_token_create(
            user=obj.user, name=obj.name, expires_at=obj.expires_at, by=request.user
        )
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        obj._plain_key = key

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as exc:
            report_error(self, request, exc, subject=_("New API token"), what=_("creation"))
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.path)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the key on this one page (never in a redirect, a message or the session)."""
        self.message_user(
            request,
            _(
                "API token “%(name)s” created. Copy the key now: it is not stored and will not "
                "be shown again."
            )
            % {"name": obj.name},
            messages.SUCCESS,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("API token created"),
            "opts": self.model._meta,
            "token": obj,
            "key": obj._plain_key,
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/key_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Revoke (final)"), permissions=["manage"])
    def revoke(self, request, queryset):
        run_for_each(
            self,
            request,
            list(queryset.select_related("user")),
            lambda token: services.api_token_revoke(token=token, by=request.user),
            done=lambda n: ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", n) % {"n": n},
            what=_("revoking"),
            log="Revoked (admin action).",
        )
