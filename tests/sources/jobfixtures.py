"""Fixtures shared by the jobs tests (imported by the test modules that use them)."""

from __future__ import annotations

import pytest

from sources.robots import clear_robots_cache
from tests.sources.fakes import FakeProvider


@pytest.fixture
def fake_providers(settings):
    """Providers 'alpha' and 'beta' answer what the test sets in FakeProvider.answers."""
    settings.SOURCES_PROVIDERS = ["alpha", "beta"]
    settings.SOURCES_PROVIDER_CLASSES = {
        "alpha": "tests.sources.fakes.FakeProvider",
        "beta": "tests.sources.fakes.FakeProvider",
        "unconfigured": "tests.sources.fakes.UnconfiguredProvider",
    }
    FakeProvider.answers = {}
    FakeProvider.calls = []
    yield FakeProvider.answers
    FakeProvider.answers = {}
    FakeProvider.calls = []


@pytest.fixture
def sent(monkeypatch):
    """Messages that would go to the broker: [(job_id, countdown)]."""
    from sources.tasks import run_fetch_job

    messages = []

    def apply_async(args=None, countdown=None, **kwargs):
        messages.append((args[0], countdown))

    monkeypatch.setattr(run_fetch_job, "apply_async", apply_async)
    monkeypatch.setattr("workbench.broker.broker_available", lambda: True)
    return messages


@pytest.fixture
def local_pages(settings, httpserver):
    """A local HTTP server the page fetcher may reach (robots.txt allows everything)."""
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    settings.SOURCES_HTTP_TIMEOUT = 5
    clear_robots_cache()
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    yield httpserver
    clear_robots_cache()


def html_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body><nav>TEST menu</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )
