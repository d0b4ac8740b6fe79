"""Integration tests: a real Redis and real Celery worker processes.

The worker processes must see the test database: on PostgreSQL they connect to it by name;
on SQLite the test database is made a file (under WORKBENCH_VAR_DIR) instead of memory.
"""

import os

import pytest
import redis
from django.conf import settings
from django.db import connections

_db = connections["default"].settings_dict
if _db["ENGINE"].endswith("sqlite3"):
    _path = settings.VAR_DIR / "test-integration" / "workbench.sqlite3"
    _path.parent.mkdir(parents=True, exist_ok=True)
    _db.setdefault("TEST", {})["NAME"] = str(_path)


@pytest.fixture
def redis_url():
    """TEST_REDIS_URL (default redis://127.0.0.1:6379), with the queues emptied."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"The integration tests need Redis at {url}: {exc}")
    _purge(client)
    yield url
    _purge(client)
    client.close()


def _purge(client) -> None:
    for key in client.scan_iter(match="*", count=500):
        name = key.decode(errors="replace")
        if name.split("\x06")[0] in {"io", "cpu", "unacked", "unacked_index", "unacked_mutex"}:
            client.delete(key)


@pytest.fixture
def role_groups(transactional_db):
    """The role groups a data migration creates (a transactional test's flush removes them)."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    editor = SimpleNamespace(connection=connections["default"])
    for module, function in (("0001_roles", "create_groups"), ("0003_role_permissions", "assign")):
        migration = importlib.import_module(f"accounts.migrations.{module}")
        getattr(migration, function)(apps, editor)
