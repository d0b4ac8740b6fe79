"""Give the Reviewer, Editor and Admin groups their Django model permissions.

A frozen copy of ``accounts.roles.ROLE_PERMISSIONS`` (tests/accounts check they agree).
Permissions are normally created after migrating (post_migrate), so they are created here
first. Admin gets every permission that exists at this point.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_DESK = [
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
REVIEW = [
    "claims.add_article",
    "claims.change_claim",
    "claims.add_claim",
    "claims.add_verdict",
    "claims.change_verdict",
    "claims.delete_verdict",
    "sources.add_source",
    "sources.add_evidence",
    "sources.change_evidence",
    "sources.add_fetchjob",
]
GROUP_PERMISSIONS = {
    "Reviewer": VIEW_DESK + REVIEW,
    "Editor": VIEW_DESK + REVIEW + ["sources.change_fetchjob"],
    "Admin": None,  # every permission
}


def assign(apps, schema_editor):
    db = schema_editor.connection.alias
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.using(db).get_or_create(name=group_name)
        if names is None:
            group.permissions.set(Permission.objects.using(db).all())
            continue
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(
                Permission.objects.using(db).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)


def unassign(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0002_initial"),
        ("sources", "0001_initial"),
        # So that Admin also gets the permissions of these apps' models.
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("axes", "0010_accessattemptexpiration"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
