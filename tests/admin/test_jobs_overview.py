"""The jobs overview: counts by status and provider, the oldest waiting job, failures, health."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.models import FetchJob
from tests.factories import FetchJobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def health(monkeypatch):
    report = {
        "ok": False,
        "parts": {
            "database": {"ok": True, "detail": "sqlite", "ms": 0.4},
            "redis": {"ok": False, "detail": "ConnectionError: TEST refused", "ms": 2.0},
            "workers": {"ok": False, "detail": "broker unavailable", "ms": 0.0},
        },
    }
    monkeypatch.setattr("workbench.health.check_all", lambda: report)
    return report


def test_the_overview_counts_jobs_and_names_the_oldest_waiting_and_failures(admin_client, health):
    old = FetchJobFactory(key="TEST:oldest", provider="wikipedia", status="queued")
    FetchJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    FetchJobFactory(key="TEST:newer", provider="wikipedia", status="queued")
    FetchJobFactory(
        provider="gdelt",
        status="running",
        lease_expires_at=timezone.now() - timedelta(minutes=5),
    )
    FetchJobFactory(provider="gdelt", status="succeeded")
    FetchJobFactory(
        key="TEST:broken",
        provider="gdelt",
        status="failed",
        last_error="<script>alert(1)</script> TEST HTTP 429",
        finished_at=timezone.now(),
    )

    response = admin_client.get(reverse("admin:jobs_overview"))
    assert response.status_code == 200
    context = response.context
    counts = {value: n for value, _label, n in context["statuses"]}
    assert counts == {"queued": 2, "running": 1, "retrying": 0, "succeeded": 1, "failed": 1}
    providers = {row["name"]: row for row in context["providers"]}
    assert providers["wikipedia"]["total"] == 2 and providers["gdelt"]["total"] == 3
    assert context["oldest_waiting"].key == "TEST:oldest"
    assert [j.key for j in context["recent_failures"]] == ["TEST:broken"]

    body = response.content.decode()
    assert "TEST:oldest" in body and "TEST:broken" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; TEST HTTP 429" in body
    assert "<script>alert(1)" not in body
    assert "ConnectionError: TEST refused" in body
    assert "/healthz answers 503" in body
    assert context["stale_leases"] == 1
    assert "1 running job has an expired lease" in body


def test_the_overview_with_no_jobs_says_so(admin_client, health):
    health["ok"] = True
    body = admin_client.get(reverse("admin:jobs_overview")).content.decode()
    assert "Nothing is waiting." in body and "No failures." in body
