import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "providers"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_json(name: str):
    return json.loads(fixture_text(name))


@pytest.fixture
def server_url(httpserver):
    """Base URL of the local test server, by IP (no localhost IPv4/IPv6 ambiguity)."""
    return f"http://127.0.0.1:{httpserver.port}"
