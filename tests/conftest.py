import pytest

from tests.factories import UserFactory


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role="reviewer")


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="reviewer2", role="reviewer")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="editor")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-user", role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role."""
    return UserFactory(username="outsider")


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    """Fast password hashing and plain static storage (no collectstatic manifest) in tests."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _broker_probe_forgets_failures():
    """Each test starts with no remembered broker failure: a failed probe is remembered for a
    few seconds (workbench.broker), which would otherwise leak into the next test."""
    from workbench.broker import forget_failures

    forget_failures()
    yield
    forget_failures()
