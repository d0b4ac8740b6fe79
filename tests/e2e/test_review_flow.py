"""A reviewer labels a source and submits a verdict; an editor approves and publishes it.

Run in the English and the Arabic UI. The article is the real seed article (Arabic), ingested by
the product's own service; its candidate sources are TEST data."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import GROUP_NAMES
from claims.models import Article, Claim, Verdict
from claims.services import article_ingest
from sources.models import Evidence
from tests.factories import EvidenceFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_50f76b988ce1c267.txt"
SOURCE_TEXT = (
    "TEST source text (invented for this test): Japan bought 400 Tomahawk cruise missiles; "
    "نص مصدر اختباري: اشترت اليابان 400 صاروخ توماهوك."
)


def _seed_article():
    """The real seed article, ingested as the product does; the candidate sources are TEST data
    (no provider can be reached from a test)."""
    article = article_ingest(text=SEED.read_text(encoding="utf-8"), title="Seed article").article
    claims = list(article.claims.exclude(state=Claim.State.SUPERSEDED).order_by("start"))
    tomahawk = next(claim for claim in claims if "توماهوك" in claim.text)
    for n in range(3):
        source = SourceFactory(
            title=f"TEST source {n} <script>alert(1)</script>",
            text=SOURCE_TEXT,
            language="en",
            publisher="Test Publisher",
        )
        EvidenceFactory(claim=tomahawk, source=source, score=0.9 - n * 0.1, provider="test")
    return article, claims, tomahawk


def _sign_in(page, base, username, screenshot=None):
    page.goto(f"{base}/accounts/login/")
    if screenshot:
        page.screenshot(path=screenshot)
    page.fill("#id_username", username)
    page.fill("#id_password", "test-password-123")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_reviewer_submits_a_verdict_and_an_editor_publishes_it(
    browser, live_server, screenshot_dir, language, settings
):
    settings.API_FEED_MAX_STALENESS = 0  # the feed shows the new verdict at once
    # A transactional test flushes the tables, the role groups of the data migration included.
    for name in GROUP_NAMES.values():
        Group.objects.get_or_create(name=name)
    UserFactory(username="e2e-reviewer", role="reviewer")
    UserFactory(username="e2e-editor", role="editor")
    article, claims, tomahawk = _seed_article()
    base = live_server.url
    problems = []

    def watch(page):
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

    # --- the reviewer -----------------------------------------------------------------
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch(page)
    _sign_in(page, base, "e2e-reviewer", screenshot_dir / f"{language}-login.png")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.screenshot(path=screenshot_dir / f"{language}-dashboard.png", full_page=True)

    page.click(f"a[href='/articles/{article.pk}/']")
    page.wait_for_selector(".article-text")
    # The seed article is Arabic: right to left whatever the UI language.
    assert page.locator(".article-text").get_attribute("dir") == "rtl"
    assert page.locator(".claim-mark").count() == len(claims)
    page.screenshot(path=screenshot_dir / f"{language}-article.png", full_page=True)

    page.goto(f"{base}/claims/")
    page.keyboard.press("j")
    assert page.locator("tr.nav-current").count() == 1
    page.screenshot(path=screenshot_dir / f"{language}-queue.png", full_page=True)
    page.keyboard.press("o")  # opens the selected claim
    page.wait_for_url(re.compile(r"/claims/\d+/$"))

    page.goto(f"{base}/articles/{article.pk}/")
    page.click(f"#c{tomahawk.pk}")
    page.wait_for_selector("#verdict")
    url_before = page.url
    first = Evidence.objects.filter(claim=tomahawk).order_by("-score").first()
    # htmx POST swaps only the evidence fragment: no navigation.
    page.click(f"#ev-{first.pk} button[name=stance][value=supports]")
    page.wait_for_selector(f"#ev-{first.pk} button[value=supports][aria-pressed=true]")
    assert page.url == url_before
    first.refresh_from_db()
    assert first.stance == Evidence.Stance.SUPPORTS
    # The untrusted title is shown as text, not run.
    assert "<script>" in page.locator(f"#ev-{first.pk} h3").inner_text()

    page.check("input[name=label][value=supported]")
    page.fill(
        "#id_summary",
        "TEST summary: the test source confirms it."
        if language == "en"
        else "ملخص اختباري: المصدر التجريبي يؤكد ذلك.",
    )
    page.fill("#id_rationale", "TEST rationale.")
    page.check(f"input[name=evidence][value='{first.pk}']")
    page.screenshot(path=screenshot_dir / f"{language}-claim.png", full_page=True)
    page.click("button[name=action][value=submit]")
    page.wait_for_selector(".message.success")
    verdict = Verdict.objects.get(claim=tomahawk)
    assert verdict.status == Verdict.Status.SUBMITTED
    context.close()

    # --- the editor -------------------------------------------------------------------
    # The editor works on a tablet (portrait): one column.
    context = browser.new_context(locale=language, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    watch(page)
    _sign_in(page, base, "e2e-editor")
    page.goto(f"{base}/verdicts/")
    page.screenshot(path=screenshot_dir / f"{language}-approval.png", full_page=True)
    page.click(f"form[action='/verdicts/{verdict.pk}/publish/'] button")
    page.wait_for_selector(".message.success")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED
    assert Claim.objects.get(pk=tomahawk.pk).state == Claim.State.PUBLISHED
    page.goto(f"{base}/claims/{tomahawk.pk}/")
    page.screenshot(path=screenshot_dir / f"{language}-claim-published.png", full_page=True)
    context.close()

    # --- an API client (anonymous) now finds the published verdict ----------------------
    context = browser.new_context()
    page = context.new_page()
    feed = json.loads(page.goto(f"{base}/api/v1/verdicts/").text())
    assert verdict.pk in [item["id"] for item in feed["results"]]
    response = page.goto(f"{base}/api/v1/verdicts/{verdict.pk}/claimreview/")
    assert response.headers["content-type"].startswith("application/ld+json")
    review = json.loads(response.text())
    assert review["@type"] == "ClaimReview"
    assert "توماهوك" in review["claimReviewed"]
    assert review["reviewRating"]["ratingValue"] == 5
    context.close()

    assert Article.objects.filter(pk=article.pk).exists()
    assert not problems, problems
