"""python manage.py create_user NAME --role {reviewer,editor,admin} [--email E]
[--password-stdin | --generate]

Without --password-stdin or --generate the password is asked for twice (on a terminal only).
Admins also get ``is_staff``: the Django admin is for them alone.
"""

import getpass
import secrets
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts import roles
from accounts.services import user_create
from claims.errors import DomainError


class Command(BaseCommand):
    help = "Create a user with a role (reviewer, editor or admin)."
    stealth_options = ("stdin",)  # call_command(..., stdin=...) in tests

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="one of: " + ", ".join(roles.Role.values))
        parser.add_argument("--email", default="")
        how = parser.add_mutually_exclusive_group()
        how.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (first line).",
        )
        how.add_argument(
            "--generate", action="store_true", help="Generate a password and print it once."
        )

    def handle(self, *args, username, role, email, password_stdin, generate, **options):
        stdin = options.get("stdin") or sys.stdin
        if role not in roles.Role.values:
            raise CommandError(
                f"Unknown role {role!r}: choose one of {', '.join(roles.Role.values)}."
            )
        if generate:
            password = secrets.token_urlsafe(16)
        elif password_stdin:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        else:
            password = self._ask_password(stdin)
        try:
            user = user_create(username=username, role=role, password=password, email=email)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        role_label = roles.Role(role).label
        self.stdout.write(
            self.style.SUCCESS(f"Created user {user.get_username()} with the role {role_label}.")
        )
        if role == roles.Role.ADMIN:
            self.stdout.write("They can sign in to the admin at /admin/.")
        if generate:
            self.stdout.write(f"Password (shown once): {password}")

    def _ask_password(self, stdin) -> str:
        if not stdin.isatty():
            raise CommandError(
                "Not on a terminal: use --password-stdin to read the password from standard "
                "input, or --generate to create one."
            )
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError("Cancelled; no user created.") from exc
        if first != second:
            raise CommandError("The passwords do not match; no user created.")
        if not first:
            raise CommandError("The password cannot be empty.")
        return first
