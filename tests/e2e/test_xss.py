"""Stored XSS in a real Chromium: pages full of script payloads run none of them.

Every free-text field of the TEST records (article text/title/URL, claim wording, source
titles and passages, verdict summary and rationale, fact-check claim and publisher, job
errors) carries payloads such as ``<script>window.__xss=1</script>``; each page is loaded
and must leave ``window.__xss`` undefined, open no dialog, and show the payload as text."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import GROUP_NAMES
from tests.factories import UserFactory
from tests.security.hostile_data import (
    SCRIPT_PAYLOAD,
    admin_pages,
    make_hostile_world,
    public_pages,
    reviewer_pages,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "test-password-123")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def test_no_stored_payload_runs_in_the_browser(browser, live_server, record_property):
    for name in GROUP_NAMES.values():
        Group.objects.get_or_create(name=name)
    author = UserFactory(username="xss-author", role="reviewer")
    UserFactory(username="xss-editor", role="editor")
    admin = UserFactory(username="xss-admin", role="admin", is_staff=True, is_superuser=True)
    world = make_hostile_world(author=author, approver=admin)
    base = live_server.url
    dialogs, problems, visited = [], [], []

    def visit(page, path, *, expect_text=True):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("load")
        visited.append(path)
        flag = page.evaluate("typeof window.__xss")
        if flag != "undefined":
            problems.append(f"{path}: window.__xss is set")
        if page.url.rstrip("/").endswith("/accounts/login") or "/login/" in page.url:
            problems.append(f"{path}: sent to the login page")
        if expect_text and SCRIPT_PAYLOAD not in page.inner_text("body"):
            problems.append(f"{path}: the payload is not shown as text")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _sign_in(page, base, "xss-editor")
    for path in reviewer_pages(world):
        visit(page, path)
    context.close()

    anonymous = browser.new_context()
    page = anonymous.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in public_pages(world):
        visit(page, path)
    anonymous.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _sign_in(page, base, "xss-admin")
    for path in admin_pages(world):
        # Change lists show a few columns; the change pages show the texts.
        visit(page, path, expect_text=path.endswith("/change/"))
    context.close()

    record_property("pages", len(visited))
    print(f"xss browser check: {len(visited)} pages")
    assert not dialogs, dialogs
    assert not problems, "\n".join(problems)
