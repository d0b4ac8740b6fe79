import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users' passwords need no real key stretching (it dominates these tests' time)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
