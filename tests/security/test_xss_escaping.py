"""Stored XSS, seen from the HTML the server sends: no payload ever appears unescaped, and a
``javascript:`` URL never becomes a link. (The browser checks are in tests/e2e/test_xss.py.)"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.security.hostile_data import (
    JS_URL,
    PAYLOADS,
    admin_pages,
    make_hostile_world,
    public_pages,
    reviewer_pages,
)

pytestmark = pytest.mark.django_db

JS_LINK = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


@pytest.fixture
def world(reviewer, editor):
    return make_hostile_world(author=reviewer, approver=editor)


def _check(html: str, path: str):
    # The escaped form must be there (the payload is shown as text), the raw one never.
    for payload in PAYLOADS:
        assert payload not in html, f"{path}: unescaped {payload!r}"
    assert not JS_LINK.search(html), f"{path}: a javascript: URL became a link"


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_reviewer_pages_escape_every_stored_payload(world, editor):
    client = Client()
    client.force_login(editor)
    shown = 0
    for path in reviewer_pages(world):
        html = _get(client, path)
        _check(html, path)
        shown += "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    # The payloads are displayed (escaped), so the checks above looked at real content.
    assert shown >= 4


def test_the_public_verdict_page_and_its_json_ld_escape_every_payload(world):
    for path in public_pages(world):
        html = _get(Client(), path)
        _check(html, path)
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
        # Inside the JSON-LD <script> nothing can close the element.
        for block in re.findall(r"<script[^>]*ld\+json[^>]*>(.*?)</script>", html, re.S):
            assert "<" not in block and ">" not in block


def test_admin_pages_escape_every_stored_payload(world, admin_user):
    client = Client()
    client.force_login(admin_user)
    for path in admin_pages(world):
        _check(_get(client, path), path)


def test_the_api_returns_payloads_as_json_strings_not_html(world, reviewer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get(f"/api/v1/verdicts/{world.submitted.pk}/")
    assert response["Content-Type"].startswith("application/json")
    assert PAYLOADS[0] in response.json()["summary"]  # data, unchanged, typed as JSON


def test_a_javascript_url_is_shown_but_never_linked(world, editor):
    client = Client()
    client.force_login(editor)
    html = _get(client, f"/articles/{world.article.pk}/")
    assert not JS_LINK.search(html)
    assert JS_URL.split("//")[0] not in re.findall(r'href="([^"]*)"', html)
