import pytest

from workbench import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part_and_is_public(client, settings):
    response = client.get("/healthz")
    body = response.json()
    assert set(body["parts"]) == {"database", "redis", "workers"}
    assert body["parts"]["database"]["ok"] is True
    assert response.status_code == (200 if body["ok"] else 503)


def test_healthz_says_503_when_the_broker_is_unreachable(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = f"redis+socket://{tmp_path}/nothing-here.sock"
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["parts"]["redis"]["ok"] is False
    assert body["parts"]["workers"]["detail"] == "broker unavailable"


def test_healthz_sees_a_real_redis(client, settings):
    import os

    settings.CELERY_BROKER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
    assert health.check_redis() == "pong"
