"""Writing, submitting, approving, returning, publishing and withdrawing verdicts."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Verdict
from tests.factories import ClaimFactory, EvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Verdict.Status


def _post_verdict(client, claim, **fields):
    data = {"label": "", "summary": "", "rationale": "", "version": 0, "action": "save"}
    data.update(fields)
    return client.post(reverse("claims:verdict_edit", args=[claim.pk]), data)


def _submitted(author, claim=None):
    claim = claim or ClaimFactory()
    evidence = EvidenceFactory(claim=claim)
    verdict = services.verdict_save_draft(
        claim=claim, user=author, label="refuted", summary="TEST summary", evidence=[evidence]
    )
    return services.verdict_submit(verdict=verdict, user=author)


def test_a_reviewer_saves_a_draft(signed_in, reviewer, claim):
    response = _post_verdict(signed_in, claim, label="not_enough_evidence", summary="TEST draft")
    assert response.status_code == 302
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.status == Status.DRAFT and verdict.author == reviewer
    assert verdict.summary == "TEST draft"


def test_a_reviewer_submits_a_verdict_citing_evidence(signed_in, claim):
    evidence = EvidenceFactory(claim=claim)
    response = _post_verdict(
        signed_in,
        claim,
        label="supported",
        summary="TEST ok",
        evidence=[evidence.pk],
        action="submit",
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.status == Status.SUBMITTED
    assert list(verdict.cited_evidence.all()) == [evidence]
    claim.refresh_from_db()
    assert claim.state == Claim.State.REVIEWED


def test_submitting_a_true_verdict_without_evidence_shows_why_and_keeps_the_input(signed_in, claim):
    EvidenceFactory(claim=claim)
    response = _post_verdict(
        signed_in,
        claim,
        label="supported",
        summary="TEST my summary",
        rationale="TEST my reasons",
        action="submit",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "must cite at least one evidence item" in content
    assert "TEST my summary</textarea>" in content
    assert "TEST my reasons</textarea>" in content
    assert 'value="supported" required' not in content
    assert 'value="supported" id="id_label_1" checked' in content
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.status == Status.DRAFT  # the draft is kept, not lost
    assert f'name="version" value="{verdict.version}"' in content


def test_evidence_of_another_claim_cannot_be_cited(signed_in, claim):
    foreign = EvidenceFactory()
    response = _post_verdict(signed_in, claim, label="supported", evidence=[foreign.pk])
    assert response.status_code == 400
    assert not Verdict.objects.filter(claim=claim).exists()


def test_a_stale_verdict_shows_the_current_one_and_keeps_my_text(signed_in, reviewer, claim):
    verdict = services.verdict_save_draft(claim=claim, user=reviewer, summary="TEST first")
    stale = verdict.version
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        summary="TEST saved elsewhere",
        rationale="TEST theirs",
        expected_version=stale,
    )
    response = _post_verdict(signed_in, claim, summary="TEST typed here", version=stale)
    assert response.status_code == 409
    content = response.content.decode()
    assert "changed by someone else" in content
    assert "TEST saved elsewhere" in content and "TEST theirs" in content
    assert "TEST typed here</textarea>" in content
    assert Verdict.objects.get(claim=claim).summary == "TEST saved elsewhere"


def test_another_reviewer_cannot_edit_someones_draft(client, second_reviewer, reviewer, claim):
    services.verdict_save_draft(claim=claim, user=reviewer, summary="TEST mine")
    client.force_login(second_reviewer)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "is writing this verdict" in page
    response = _post_verdict(client, claim, summary="TEST hijack", version=1)
    assert response.status_code in (400, 409)
    assert Verdict.objects.get(claim=claim).summary == "TEST mine"


def test_an_editor_approves_then_publishes(editor_client, reviewer):
    verdict = _submitted(reviewer)
    url = reverse("claims:verdict_action", args=[verdict.pk, "approve"])
    response = editor_client.post(url, {"version": verdict.version, "next": "approvals"})
    assert response["Location"] == reverse("claims:approvals")
    verdict.refresh_from_db()
    assert verdict.status == Status.APPROVED
    editor_client.post(
        reverse("claims:verdict_action", args=[verdict.pk, "publish"]), {"version": verdict.version}
    )
    verdict.refresh_from_db()
    assert verdict.status == Status.PUBLISHED
    assert Claim.objects.get(pk=verdict.claim_id).state == Claim.State.PUBLISHED


def test_the_approval_queue_lists_submitted_verdicts_with_their_actions(editor_client, reviewer):
    verdict = _submitted(reviewer)
    assert b"1 verdict is waiting for approval." in editor_client.get("/").content
    content = editor_client.get(reverse("claims:approvals")).content.decode()
    assert "TEST summary" in content
    assert reverse("claims:verdict_action", args=[verdict.pk, "publish"]) in content
    assert reverse("claims:verdict_action", args=[verdict.pk, "approve"]) in content


def test_nobody_sees_approve_buttons_on_their_own_verdict_and_the_server_refuses(
    editor_client, editor
):
    verdict = _submitted(editor)
    queue = editor_client.get(reverse("claims:approvals")).content.decode()
    assert "another editor must approve it" in queue
    assert reverse("claims:verdict_action", args=[verdict.pk, "publish"]) not in queue
    page = editor_client.get(reverse("claims:claim", args=[verdict.claim_id])).content.decode()
    assert reverse("claims:verdict_action", args=[verdict.pk, "approve"]) not in page
    response = editor_client.post(
        reverse("claims:verdict_action", args=[verdict.pk, "publish"]), {"version": verdict.version}
    )
    assert response.status_code == 400
    assert b"Nobody publishes their own verdict" in response.content
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_returning_needs_a_comment_and_the_author_then_sees_it(client, editor, reviewer):
    verdict = _submitted(reviewer)
    client.force_login(editor)
    url = reverse("claims:verdict_action", args=[verdict.pk, "return"])
    response = client.post(url, {"comment": "", "version": verdict.version})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    client.post(url, {"comment": "TEST please cite a second source", "version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.status == Status.RETURNED
    client.force_login(reviewer)
    page = client.get(reverse("claims:claim", args=[verdict.claim_id])).content.decode()
    assert "Returned by the editor" in page
    assert "TEST please cite a second source" in page
    assert reverse("claims:verdict_edit", args=[verdict.claim_id]) in page


def test_a_stale_approval_is_refused(editor_client, reviewer):
    verdict = _submitted(reviewer)
    response = editor_client.post(
        reverse("claims:verdict_action", args=[verdict.pk, "approve"]),
        {"version": verdict.version - 1},
    )
    assert response.status_code == 409
    assert b"changed by someone else" in response.content
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_withdrawing_a_published_verdict_needs_a_reason(editor_client, reviewer, editor):
    verdict = _submitted(reviewer)
    verdict = services.verdict_publish(verdict=verdict, user=editor)
    url = reverse("claims:verdict_action", args=[verdict.pk, "withdraw"])
    page = editor_client.get(reverse("claims:claim", args=[verdict.claim_id])).content.decode()
    assert url in page
    response = editor_client.post(url, {"reason": "  ", "version": verdict.version})
    assert response.status_code == 400
    editor_client.post(url, {"reason": "TEST source retracted", "version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.status == Status.WITHDRAWN
    page = editor_client.get(reverse("claims:claim", args=[verdict.claim_id])).content.decode()
    assert "TEST source retracted" in page


def test_an_unknown_verdict_action_is_a_404(editor_client, reviewer):
    verdict = _submitted(reviewer)
    url = reverse("claims:verdict_action", args=[verdict.pk, "delete"])
    assert editor_client.post(url, {"version": 1}).status_code == 404


def test_the_claim_history_records_the_verdicts_life(editor_client, editor):
    author = UserFactory(username="TEST-author", role="reviewer")
    verdict = _submitted(author)
    services.verdict_publish(verdict=verdict, user=editor)
    content = editor_client.get(
        reverse("claims:claim_history", args=[verdict.claim_id])
    ).content.decode()
    for reason in ("draft saved", "submitted", "published"):
        assert reason in content
    assert "TEST-author" in content and ">editor</bdi>" in content


def test_the_author_deletes_a_draft_and_the_history_keeps_it(signed_in, reviewer, claim):
    services.verdict_save_draft(claim=claim, user=reviewer, summary="TEST to delete")
    response = signed_in.post(reverse("claims:verdict_delete", args=[claim.pk]))
    assert response.status_code == 302
    assert not Verdict.objects.filter(claim=claim).exists()
    history = signed_in.get(reverse("claims:claim_history", args=[claim.pk])).content.decode()
    assert "TEST to delete" in history
    again = signed_in.post(reverse("claims:verdict_delete", args=[claim.pk]))
    assert again.status_code == 400
    assert b"no draft to delete" in again.content


def test_a_submitted_verdict_cannot_be_deleted(signed_in, reviewer):
    verdict = _submitted(reviewer)
    response = signed_in.post(reverse("claims:verdict_delete", args=[verdict.claim_id]))
    assert response.status_code == 400
    assert b"Only a draft or returned verdict can be deleted." in response.content
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_the_approval_queue_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries
):
    for n in range(20):
        _submitted(UserFactory(username=f"TEST-author-{n}", role="reviewer"))
    with django_assert_max_num_queries(8):
        response = editor_client.get(reverse("claims:approvals"))
    assert response.content.count(b'class="card" data-nav-item') == 20
