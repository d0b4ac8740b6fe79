"""Checks of the parts the workbench depends on, for /healthz and the admin."""

import time

from django.db import connection


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        detail = f"{type(exc).__name__}: {exc}"
        ok = False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_redis():
    from workbench.broker import redis_client

    client = redis_client(timeout=2.0)
    try:
        client.ping()
    finally:
        client.close()
    return "pong"


def check_workers():
    from django.conf import settings

    from workbench.celery import app

    # An explicit connection to the configured broker, without connection retries: a dead
    # broker must not keep /healthz waiting.
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1)
        replies = app.control.ping(timeout=1.0, connection=conn) or []
    names = sorted(name for reply in replies for name in reply)
    if not names:
        raise RuntimeError("no Celery worker answered")
    return names


def check_all() -> dict:
    parts = {
        "database": _timed(check_database),
        "redis": _timed(check_redis),
    }
    parts["workers"] = (
        _timed(check_workers)
        if parts["redis"]["ok"]
        else {"ok": False, "detail": "broker unavailable", "ms": 0.0}
    )
    # Workers being down delays gathering but the desk keeps working: not fatal for the web.
    return {"ok": parts["database"]["ok"] and parts["redis"]["ok"], "parts": parts}
