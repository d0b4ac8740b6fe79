from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People, roles and API tokens")
    default = True


class WorkbenchAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the workbench's site (access decided by accounts.roles).

    Listed in INSTALLED_APPS in place of ``django.contrib.admin``."""

    default = False
    default_site = "workbench.admin.WorkbenchAdminSite"
