"""Claim actions and evidence labelling from the UI: each POST names its target state."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from sources.models import Evidence
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, VerdictFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_a_reviewer_edits_the_wording(signed_in, claim):
    response = signed_in.post(
        reverse("claims:claim_wording", args=[claim.pk]),
        {"wording": "The TEST ministry bought 400 widgets.", "version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.wording == "The TEST ministry bought 400 widgets."


def test_a_stale_wording_shows_theirs_and_keeps_mine(signed_in, second_reviewer, claim):
    old_version = claim.version
    services.claim_update_wording(claim=claim, user=second_reviewer, wording="TEST their words")
    response = signed_in.post(
        reverse("claims:claim_wording", args=[claim.pk]),
        {"wording": "TEST my words", "version": old_version},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "changed by someone else" in content
    assert "TEST their words" in content
    assert "TEST my words</textarea>" in content
    claim.refresh_from_db()
    assert claim.wording == "TEST their words"
    # The form now carries the current version: saving again is a deliberate choice.
    assert f'name="version" value="{claim.version}"' in content


def test_an_empty_wording_is_refused_with_the_form_kept(signed_in, claim):
    response = signed_in.post(
        reverse("claims:claim_wording", args=[claim.pk]), {"wording": "", "version": 1}
    )
    assert response.status_code == 400
    assert b'class="field-error"' in response.content


def test_assigning_names_the_target_and_never_toggles(signed_in, reviewer, claim):
    url = reverse("claims:claim_assign", args=[claim.pk])
    signed_in.post(url, {"to": "me", "version": claim.version})
    claim.refresh_from_db()
    assert claim.assignee == reviewer
    signed_in.post(url, {"to": "me", "version": claim.version})
    claim.refresh_from_db()
    assert claim.assignee == reviewer  # the same request again keeps it mine
    signed_in.post(url, {"to": "nobody", "version": claim.version})
    claim.refresh_from_db()
    assert claim.assignee is None
    assert signed_in.post(url, {"version": claim.version}).status_code == 400


def test_an_editor_assigns_a_claim_to_a_reviewer(editor_client, reviewer, outsider, claim):
    page = editor_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert f'<option value="{reviewer.pk}"' in page
    assert f'<option value="{outsider.pk}"' not in page  # no role, not assignable
    response = editor_client.post(
        reverse("claims:claim_assign", args=[claim.pk]),
        {"to": str(reviewer.pk), "version": claim.version},
        follow=True,
    )
    assert b"now assigned to reviewer" in response.content
    claim.refresh_from_db()
    assert claim.assignee == reviewer


def test_a_reviewer_cannot_assign_a_claim_to_someone_else(signed_in, second_reviewer, claim):
    page = signed_in.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert 'id="assign-to"' not in page
    response = signed_in.post(
        reverse("claims:claim_assign", args=[claim.pk]),
        {"to": str(second_reviewer.pk), "version": claim.version},
    )
    assert response.status_code == 400
    assert b"Only editors can assign claims to someone else." in response.content
    claim.refresh_from_db()
    assert claim.assignee is None


def test_a_stale_assignment_is_refused_with_a_message(signed_in, second_reviewer, claim):
    services.claim_assign(claim=claim, user=second_reviewer, assignee=second_reviewer)
    response = signed_in.post(
        reverse("claims:claim_assign", args=[claim.pk]), {"to": "me", "version": 1}
    )
    assert response.status_code == 409
    assert b"changed by someone else" in response.content
    claim.refresh_from_db()
    assert claim.assignee == second_reviewer


def test_marking_not_checkworthy_and_reopening(signed_in, claim):
    url = reverse("claims:claim_checkworthy", args=[claim.pk])
    signed_in.post(url, {"to": "not_checkworthy", "version": claim.version})
    claim.refresh_from_db()
    assert claim.state == Claim.State.NOT_CHECKWORTHY
    response = signed_in.post(url, {"to": "not_checkworthy", "version": claim.version})
    assert response.status_code == 400  # already there: the service says why
    assert b"new or in review" in response.content
    signed_in.post(url, {"to": "open", "version": claim.version})
    claim.refresh_from_db()
    assert claim.state == Claim.State.NEW


def test_splitting_at_an_offered_point(signed_in):
    article = ArticleFactory(text="TEST. Prices rose, and wages fell in the test town.")
    start = article.text.index("Prices")
    claim = ClaimFactory(article=article, start=start, end=len(article.text))
    at = article.text.index("and")
    response = signed_in.post(
        reverse("claims:claim_split", args=[claim.pk]), {"at": at, "version": claim.version}
    )
    parts = list(Claim.objects.filter(article=article).exclude(state="superseded"))
    assert [p.text for p in parts] == ["Prices rose,", "and wages fell in the test town."]
    assert response["Location"] == reverse("claims:claim", args=[parts[0].pk])


def test_a_superseded_claim_links_to_the_claims_that_replaced_it(
    signed_in, reviewer, article_with_claims
):
    article, (first, second) = article_with_claims
    merged = services.claim_merge(claims=[first, second], user=reviewer)
    content = signed_in.get(reverse("claims:claim", args=[first.pk])).content.decode()
    assert "This claim was split or merged" in content
    assert reverse("claims:claim", args=[merged.pk]) in content


def test_splitting_after_typed_first_part(signed_in):
    article = ArticleFactory(text="TEST. Prices rose by 4 percent and wages fell.")
    start = article.text.index("Prices")
    claim = ClaimFactory(article=article, start=start, end=len(article.text))
    signed_in.post(
        reverse("claims:claim_split", args=[claim.pk]),
        {"first_part": "Prices rose by 4 percent", "version": claim.version},
    )
    parts = Claim.objects.filter(article=article).exclude(state="superseded").order_by("start")
    assert [p.text for p in parts] == ["Prices rose by 4 percent", "and wages fell."]


def test_a_typed_first_part_that_is_not_the_beginning_is_refused_and_kept(signed_in, claim):
    response = signed_in.post(
        reverse("claims:claim_split", args=[claim.pk]),
        {"first_part": "TEST not the start", "version": claim.version},
    )
    assert response.status_code == 400
    assert b"exactly as it reads" in response.content
    assert b'value="TEST not the start"' in response.content
    assert Claim.objects.filter(pk=claim.pk, state=Claim.State.NEW).exists()


def test_merging_with_the_next_claim(signed_in, article_with_claims):
    article, (first, second) = article_with_claims
    response = signed_in.post(reverse("claims:claim_merge", args=[first.pk]), {"with": "next"})
    merged = Claim.objects.get(article=article, state=Claim.State.NEW)
    assert merged.start == first.start and merged.end == second.end
    assert response["Location"] == reverse("claims:claim", args=[merged.pk])


def test_merging_without_a_neighbour_says_so(signed_in, claim):
    response = signed_in.post(reverse("claims:claim_merge", args=[claim.pk]), {"with": "previous"})
    assert response.status_code == 400
    assert b"no adjacent claim" in response.content


def test_a_claim_with_a_verdict_cannot_be_split_and_the_reason_is_shown(signed_in, reviewer):
    claim = ClaimFactory()
    VerdictFactory(claim=claim, author=reviewer)
    response = signed_in.post(
        reverse("claims:claim_split", args=[claim.pk]),
        {"first_part": "The test ministry", "version": claim.version},
    )
    assert response.status_code == 400
    assert b"verdict in progress" in response.content


# --- evidence ------------------------------------------------------------------------------
def test_labelling_a_source_with_htmx_returns_only_its_fragment(signed_in, reviewer, claim):
    evidence = EvidenceFactory(claim=claim)
    response = signed_in.post(
        reverse("sources:evidence_stance", args=[evidence.pk]), {"stance": "refutes"}, headers=HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith(f'<article class="evidence stance-refutes" id="ev-{evidence.pk}"')
    assert 'value="refutes" class="stance stance-refutes" aria-pressed="true"' in content
    evidence.refresh_from_db()
    assert evidence.stance == "refutes" and evidence.stance_by == reviewer


def test_labelling_a_source_without_javascript_redirects_back_to_it(signed_in, claim):
    evidence = EvidenceFactory(claim=claim)
    response = signed_in.post(
        reverse("sources:evidence_stance", args=[evidence.pk]), {"stance": "context"}
    )
    assert response["Location"] == reverse("claims:claim", args=[claim.pk]) + f"#ev-{evidence.pk}"
    evidence.refresh_from_db()
    assert evidence.stance == "context"


def test_an_unknown_stance_is_refused_and_explained(signed_in, claim):
    evidence = EvidenceFactory(claim=claim)
    response = signed_in.post(
        reverse("sources:evidence_stance", args=[evidence.pk]), {"stance": "maybe"}, headers=HTMX
    )
    assert response.status_code == 400
    assert b"Unknown stance" in response.content
    evidence.refresh_from_db()
    assert evidence.stance == ""


def test_clearing_a_stance_is_an_explicit_target(signed_in, claim):
    evidence = EvidenceFactory(claim=claim, stance="supports")
    signed_in.post(reverse("sources:evidence_stance", args=[evidence.pk]), {"stance": ""})
    evidence.refresh_from_db()
    assert evidence.stance == Evidence.Stance.UNLABELLED


def test_an_outsider_cannot_label_evidence(client, outsider, claim):
    evidence = EvidenceFactory(claim=claim)
    client.force_login(outsider)
    response = client.post(
        reverse("sources:evidence_stance", args=[evidence.pk]), {"stance": "supports"}
    )
    assert response.status_code == 403
    evidence.refresh_from_db()
    assert evidence.stance == ""


def test_a_form_missing_its_version_is_refused_with_a_message(signed_in, claim):
    response = signed_in.post(
        reverse("claims:claim_wording", args=[claim.pk]), {"wording": "TEST kept wording"}
    )
    assert response.status_code == 400
    assert b"The form was incomplete" in response.content
    assert b"TEST kept wording</textarea>" in response.content
    claim.refresh_from_db()
    assert claim.wording == ""
