"""manage.py create_user: every way of giving the password, and every error."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts import roles

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD = "TEST-correct-horse-battery-41"


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def _run(*args, stdin=None):
    out = io.StringIO()
    call_command("create_user", *args, stdout=out, stdin=stdin or io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("role", ["reviewer", "editor", "admin"])
def test_generate_creates_the_user_with_the_role_and_prints_the_password_once(role):
    out = _run("test-person", "--role", role, "--email", "person@test.invalid", "--generate")
    user = User.objects.get(username="test-person")
    password = out.split("Password (shown once): ")[1].strip()
    assert user.check_password(password)
    assert user.email == "person@test.invalid"
    assert roles.highest_role(user) == role
    assert user.is_staff is (role == "admin")
    assert not user.is_superuser
    assert roles.can_access_admin(user) is (role == "admin")


def test_password_stdin_reads_the_first_line():
    out = _run(
        "test-reader", "--role", "reviewer", "--password-stdin", stdin=io.StringIO(GOOD + "\n")
    )
    assert User.objects.get(username="test-reader").check_password(GOOD)
    assert GOOD not in out


def test_empty_stdin_is_refused():
    with pytest.raises(CommandError, match="No password on standard input"):
        _run("test-empty", "--role", "reviewer", "--password-stdin", stdin=io.StringIO(""))
    assert not User.objects.filter(username="test-empty").exists()


def test_on_a_terminal_the_password_is_asked_twice(monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run("test-tty", "--role", "editor", stdin=FakeTTY())
    assert User.objects.get(username="test-tty").check_password(GOOD)


def test_passwords_that_do_not_match_are_refused(monkeypatch):
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        _run("test-mismatch", "--role", "editor", stdin=FakeTTY())
    assert not User.objects.filter(username="test-mismatch").exists()


def test_without_a_terminal_it_asks_for_a_flag():
    with pytest.raises(CommandError, match="--password-stdin"):
        _run("test-notty", "--role", "editor", stdin=io.StringIO(GOOD))
    assert not User.objects.filter(username="test-notty").exists()


@pytest.mark.parametrize(
    "password, message",
    [("short", "too short"), ("password123", "too common"), ("73829104657", "entirely numeric")],
)
def test_weak_passwords_fail_djangos_validators(password, message):
    with pytest.raises(CommandError, match=message):
        _run("test-weak", "--role", "reviewer", "--password-stdin", stdin=io.StringIO(password))
    assert not User.objects.filter(username="test-weak").exists()


def test_an_existing_user_is_refused_and_left_alone():
    _run("test-taken", "--role", "reviewer", "--generate")
    before = User.objects.get(username="test-taken").password
    with pytest.raises(CommandError, match="already exists"):
        _run("Test-Taken", "--role", "admin", "--generate")
    user = User.objects.get(username="test-taken")
    assert user.password == before and not user.is_staff
    assert User.objects.count() == 1


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="Unknown role 'boss'"):
        _run("test-boss", "--role", "boss", "--generate")
    assert not User.objects.exists()


def test_an_invalid_email_is_refused():
    with pytest.raises(CommandError, match="not a valid e-mail"):
        _run("test-mail", "--role", "reviewer", "--email", "nope", "--generate")


def test_generate_and_stdin_cannot_be_combined():
    with pytest.raises(CommandError):
        _run("test-both", "--role", "reviewer", "--generate", "--password-stdin")


def test_errors_exit_non_zero(capsys):
    from accounts.management.commands.create_user import Command

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            ["manage.py", "create_user", "test-exit", "--role", "nobody", "--generate"]
        )
    assert exit_info.value.code != 0
    assert "Unknown role" in capsys.readouterr().err
