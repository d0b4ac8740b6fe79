"""Dashboard, article, queue and claim pages: content, escaping, fragments, query counts."""

import pytest
from django.urls import reverse

from claims.models import Article, Claim
from claims.selectors import Segment, article_segments, claim_terms, highlight, split_points
from sources.models import FetchJob
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    FactCheckFactory,
    FetchJobFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
XSS = "<script>alert('x')</script>"


# --- pure helpers --------------------------------------------------------------------------
def test_article_segments_cut_the_text_at_the_claim_offsets():
    text = "AAA BBB CCC DDD"
    first = Claim(pk=1, start=4, end=7)
    second = Claim(pk=2, start=8, end=11)
    segments = article_segments(text, [second, first])
    assert [(s.text, s.claim) for s in segments] == [
        ("AAA ", None),
        ("BBB", first),
        (" ", None),
        ("CCC", second),
        (" DDD", None),
    ]
    assert "".join(s.text for s in segments) == text


def test_overlapping_claim_spans_never_duplicate_text():
    text = "0123456789"
    segments = article_segments(text, [Claim(pk=1, start=0, end=5), Claim(pk=2, start=3, end=8)])
    assert "".join(s.text for s in segments) == text
    assert segments == [Segment("01234", segments[0].claim), Segment("56789")]


def test_passages_highlight_the_claims_terms_across_arabic_spellings():
    terms = claim_terms("قال الوزير إن اليابان ستنتج 400 صاروخ")
    pieces = highlight("أعلنت اليابان إنتاج 400 صاروخ، وفق الوزير.", terms)
    assert [p for p, hit in pieces if hit] == ["اليابان", "400", "صاروخ", "الوزير"]
    assert "".join(p for p, _ in pieces) == "أعلنت اليابان إنتاج 400 صاروخ، وفق الوزير."


def test_split_points_are_offered_after_internal_punctuation_and_before_conjunctions():
    article = ArticleFactory(text="TEST. Prices rose, and wages fell; nobody knew.")
    start = article.text.index("Prices")
    claim = ClaimFactory(article=article, start=start, end=len(article.text))
    firsts = [first for _, first in split_points(claim)]
    assert firsts == ["Prices rose,", "Prices rose, and wages fell;"]
    for offset, first in split_points(claim):
        assert article.text[start:offset].strip() == first


# --- dashboard -----------------------------------------------------------------------------
def test_the_dashboard_shows_articles_with_progress_my_claims_and_recent_activity(
    signed_in, reviewer, article_with_claims
):
    article, (first, second) = article_with_claims
    first.assignee = reviewer
    first.state = Claim.State.IN_REVIEW
    first._history_user = reviewer
    first._change_reason = "taken"
    first.save()
    content = signed_in.get("/").content.decode()
    assert article.title in content
    assert "1 triaged · 0 reviewed · 0 published" in content
    assert reverse("claims:claim", args=[first.pk]) in content
    assert "taken" in content  # from the history table


def test_the_dashboard_escapes_untrusted_titles(signed_in):
    ArticleFactory(title=XSS)
    content = signed_in.get("/").content.decode()
    assert XSS not in content
    assert "&lt;script&gt;" in content


# --- article -------------------------------------------------------------------------------
def test_the_article_page_highlights_claims_in_place_and_escapes_the_text(signed_in):
    text = f"TEST DATA {XSS}. The test ministry bought 400 test widgets. The end."
    article = ArticleFactory(text=text, language="en")
    start = text.index("The test ministry")
    claim = ClaimFactory(article=article, start=start, end=text.index(". The end") + 1)
    content = signed_in.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert XSS not in content
    assert "TEST DATA &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;." in content
    link = f'href="{reverse("claims:claim", args=[claim.pk])}" id="c{claim.pk}"'
    assert link in content
    assert f">{claim.text}<sup" in content


def test_an_arabic_article_is_rendered_right_to_left(signed_in):
    article = ArticleFactory(text="نص اختباري. قالت الوزارة إنها اشترت 400 جهاز.", language="ar")
    content = signed_in.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert 'class="card article-text" dir="rtl" lang="ar"' in content


def test_a_pending_article_polls_its_status_with_htmx_and_a_real_link(signed_in):
    article = ArticleFactory(status=Article.Status.PENDING)
    content = signed_in.get(reverse("claims:article", args=[article.pk])).content.decode()
    status_url = reverse("claims:article_status", args=[article.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in content
    assert f'href="{reverse("claims:article", args=[article.pk])}"' in content
    fragment = signed_in.get(status_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b"every 2s" in fragment.content


def test_the_status_fragment_reloads_the_page_once_the_article_is_ready(signed_in):
    article = ArticleFactory(status=Article.Status.READY)
    url = reverse("claims:article_status", args=[article.pk])
    assert signed_in.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert signed_in.get(url)["Location"] == reverse("claims:article", args=[article.pk])


def test_a_failed_article_shows_why(signed_in):
    article = ArticleFactory(status=Article.Status.FAILED, status_error="TEST: unreachable")
    content = signed_in.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert "TEST: unreachable" in content
    assert "every 2s" not in content


def test_the_article_page_runs_a_bounded_number_of_queries(
    signed_in, django_assert_max_num_queries
):
    text = " ".join(f"Test sentence {n} about 400 widgets." for n in range(80))
    article = ArticleFactory(text=text)
    cursor = 0
    for n in range(80):
        sentence = f"Test sentence {n} about 400 widgets."
        start = text.index(sentence, cursor)
        ClaimFactory(
            article=article,
            start=start,
            end=start + len(sentence),
            assignee=UserFactory(role="reviewer") if n % 2 else None,
        )
        cursor = start + len(sentence)
    with django_assert_max_num_queries(8):
        response = signed_in.get(reverse("claims:article", args=[article.pk]))
    assert response.content.count(b'class="claim-mark') == 80


# --- queue ---------------------------------------------------------------------------------
@pytest.fixture
def queue_claims(reviewer, second_reviewer):
    article = ArticleFactory(title="TEST queue article")
    other = ArticleFactory(title="TEST other article", language="ar")
    text = article.text
    mine = ClaimFactory(
        article=article, checkworthiness=0.9, assignee=reviewer, state=Claim.State.IN_REVIEW
    )
    theirs = ClaimFactory(
        article=article,
        start=0,
        end=9,
        checkworthiness=0.5,
        assignee=second_reviewer,
        state=Claim.State.IN_REVIEW,
    )
    free = ClaimFactory(article=other, checkworthiness=0.2, language="ar")
    done = ClaimFactory(
        article=other,
        start=0,
        end=9,
        checkworthiness=0.7,
        state=Claim.State.NOT_CHECKWORTHY,
        language="ar",
    )
    ClaimFactory(article=article, start=0, end=4, state=Claim.State.SUPERSEDED)
    assert text
    return {"mine": mine, "theirs": theirs, "free": free, "done": done, "article": article}


def _queue_ids(client, **params):
    response = client.get(reverse("claims:queue"), params)
    assert response.status_code == 200
    return [c.pk for c in response.context["page"].object_list]


def test_the_queue_lists_live_claims_best_first(signed_in, queue_claims):
    q = queue_claims
    assert _queue_ids(signed_in) == [q["mine"].pk, q["done"].pk, q["theirs"].pk, q["free"].pk]


def test_the_queue_filters_by_assignee_state_language_article_and_score(signed_in, queue_claims):
    q = queue_claims
    assert _queue_ids(signed_in, assignee="me") == [q["mine"].pk]
    assert _queue_ids(signed_in, assignee="unassigned") == [q["done"].pk, q["free"].pk]
    assert _queue_ids(signed_in, state="not_checkworthy") == [q["done"].pk]
    assert _queue_ids(signed_in, language="ar") == [q["done"].pk, q["free"].pk]
    assert _queue_ids(signed_in, article=q["article"].pk) == [q["mine"].pk, q["theirs"].pk]
    assert _queue_ids(signed_in, min_score="0.6") == [q["mine"].pk, q["done"].pk]


def test_the_queue_sorts_by_position(signed_in, queue_claims):
    q = queue_claims
    ids = _queue_ids(signed_in, article=q["article"].pk, sort="position")
    assert ids == [q["theirs"].pk, q["mine"].pk]


def test_an_invalid_filter_is_reported_not_ignored(signed_in, queue_claims):
    response = signed_in.get(reverse("claims:queue"), {"min_score": "lots"})
    assert response.status_code == 200
    assert b'class="field-error"' in response.content


def test_the_queue_paginates_and_serves_only_the_results_to_htmx(signed_in):
    article = ArticleFactory(text="x" * 400)
    for n in range(55):
        ClaimFactory(article=article, start=n, end=n + 1, checkworthiness=n / 100)
    page2 = signed_in.get(reverse("claims:queue"), {"page": 2})
    assert len(page2.context["page"].object_list) == 5
    fragment = signed_in.get(reverse("claims:queue"), headers={"HX-Request": "true"})
    assert fragment.content.startswith(b'<section id="queue-results"')
    assert b"?page=2" in fragment.content
    assert b"<html" not in fragment.content


def test_the_queue_shows_keyboard_shortcuts(signed_in, queue_claims):
    content = signed_in.get(reverse("claims:queue")).content.decode()
    assert "data-nav-list" in content
    assert "<kbd>j</kbd>" in content and "<kbd>o</kbd>" in content


def test_the_queue_runs_a_bounded_number_of_queries(signed_in, django_assert_max_num_queries):
    for n in range(60):
        ClaimFactory(assignee=UserFactory(role="reviewer") if n % 2 else None)
    with django_assert_max_num_queries(10):
        response = signed_in.get(reverse("claims:queue"))
    assert len(response.context["page"].object_list) == 50


def test_taking_the_next_claim_assigns_the_best_one_to_me(signed_in, reviewer):
    low = ClaimFactory(checkworthiness=0.3)
    high = ClaimFactory(checkworthiness=0.9)
    response = signed_in.post(reverse("claims:take_next"))
    assert response["Location"] == reverse("claims:claim", args=[high.pk])
    high.refresh_from_db()
    low.refresh_from_db()
    assert high.assignee == reviewer and high.state == Claim.State.IN_REVIEW
    assert low.assignee is None


def test_taking_the_next_claim_when_none_is_left_says_so(signed_in):
    response = signed_in.post(reverse("claims:take_next"), follow=True)
    assert b"no unassigned new claim left" in response.content


def test_taking_the_next_claim_needs_a_post(signed_in):
    assert signed_in.get(reverse("claims:take_next")).status_code == 405


# --- claim detail --------------------------------------------------------------------------
def test_the_claim_page_shows_context_reasons_sources_and_earlier_factchecks(signed_in, claim):
    claim.reasons = [{"code": "quantity", "weight": 0.2, "evidence": "400"}]
    claim.save()
    source = SourceFactory(title="TEST source title", publisher="TEST publisher", language="en")
    EvidenceFactory(claim=claim, source=source, passage="The test ministry bought 400 widgets.")
    factcheck = FactCheckFactory(rating="TEST False")
    claim.factcheck_matches.create(factcheck=factcheck, score=0.8, provider="test")
    content = signed_in.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "Already checked elsewhere" in content
    assert "TEST False" in content
    assert content.index("Already checked elsewhere") < content.index("Candidate sources")
    assert f"<mark>{claim.text}</mark>" in content
    assert '<q dir="auto">400</q>' in content
    assert "TEST source title" in content and "TEST publisher" in content
    assert "<mark>ministry</mark>" in content and "<mark>400</mark>" in content


def test_the_claim_page_escapes_every_untrusted_text(signed_in, reviewer):
    article = ArticleFactory(text=f"TEST {XSS}. The test ministry bought 400 test widgets.")
    claim = ClaimFactory(article=article, start=len(f"TEST {XSS}. "), wording=XSS)
    source = SourceFactory(title=XSS, publisher=XSS, text=f"TEST {XSS} 400 ministry")
    EvidenceFactory(claim=claim, source=source, passage=f"{XSS} 400 ministry")
    FactCheckFactory().matches.create(claim=claim, score=1, provider="t")
    from claims import services

    services.verdict_save_draft(claim=claim, user=reviewer, summary=XSS, rationale=XSS)
    content = signed_in.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert XSS not in content
    assert "<script>" not in content
    assert content.count("&lt;script&gt;") >= 5


def test_an_evidence_passage_falls_back_to_the_snapshot_span_then_the_snippet(signed_in, claim):
    source = SourceFactory(text="TEST snapshot: the ministry bought 400 widgets.", snippet="")
    EvidenceFactory(claim=claim, source=source, passage="", passage_start=15, passage_end=47)
    snippet_only = SourceFactory(text="", snippet="TEST snippet about widgets")
    EvidenceFactory(claim=claim, source=snippet_only, passage="", passage_start=0, passage_end=0)
    content = signed_in.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert (
        "<mark>ministry</mark> <mark>bought</mark> <mark>400</mark> <mark>widgets</mark>" in content
    )
    assert "snippet about <mark>widgets</mark>" in content


def test_the_claim_page_with_fifty_sources_runs_a_bounded_number_of_queries(
    signed_in, reviewer, claim, django_assert_max_num_queries
):
    evidence = [
        EvidenceFactory(claim=claim, stance_by=reviewer, stance="supports") for _ in range(50)
    ]
    for n in range(5):
        FetchJobFactory(claim=claim, status=FetchJob.Status.FAILED, last_error=f"TEST {n}")
        FactCheckFactory().matches.create(claim=claim, score=0.5, provider="test")
    from claims import services

    services.verdict_save_draft(
        claim=claim, user=reviewer, label="supported", summary="TEST", evidence=evidence[:3]
    )
    with django_assert_max_num_queries(16):
        response = signed_in.get(reverse("claims:claim", args=[claim.pk]))
    assert response.content.count(b'class="evidence ') == 50


def test_the_history_page_shows_who_changed_what(signed_in, reviewer, claim):
    from claims import services

    services.claim_update_wording(claim=claim, user=reviewer, wording="TEST new wording")
    content = signed_in.get(reverse("claims:claim_history", args=[claim.pk])).content.decode()
    assert "wording edited" in content
    assert "TEST new wording" in content
    assert "reviewer" in content
    fragment = signed_in.get(
        reverse("claims:claim_history", args=[claim.pk]), headers={"HX-Request": "true"}
    )
    assert fragment.content.startswith(b'<ol class="history"')


def test_an_unknown_claim_is_a_404(signed_in):
    assert signed_in.get(reverse("claims:claim", args=[999999])).status_code == 404


def test_links_from_stored_urls_are_only_ever_http(signed_in, claim):
    source = SourceFactory(url="javascript:alert(1)", title="TEST js source")
    EvidenceFactory(claim=claim, source=source)
    FactCheckFactory(url="data:text/html,TEST").matches.create(claim=claim, score=1, provider="t")
    claim.article.url = "javascript:alert(2)"
    claim.article.save()
    for url in (
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:article", args=[claim.article_id]),
    ):
        content = signed_in.get(url).content.decode()
        assert 'href="javascript:' not in content
        assert 'href="data:text' not in content
    content = signed_in.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "TEST js source" in content
