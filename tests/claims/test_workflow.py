"""The claim and verdict workflow: roles, four-eyes, optimistic locking, transitions."""

import pytest

from claims import services
from claims.errors import InvalidInput, InvalidState, NotAllowed, StaleVersion
from claims.models import Claim, Verdict
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
Label = Verdict.Label
Status = Verdict.Status


def _submitted(claim, author, label=Label.SUPPORTED):
    evidence = EvidenceFactory(claim=claim)
    verdict = services.verdict_save_draft(
        claim=claim, user=author, label=label, summary="Test summary.", evidence=[evidence]
    )
    return services.verdict_submit(verdict=verdict, user=author)


def test_a_reviewer_drafts_and_submits_a_verdict_and_the_claim_is_reviewed(reviewer):
    claim = ClaimFactory()
    verdict = _submitted(claim, reviewer)
    claim.refresh_from_db()
    assert verdict.status == Status.SUBMITTED
    assert verdict.submitted_at is not None
    assert claim.state == Claim.State.REVIEWED


def test_a_supported_verdict_without_cited_evidence_cannot_be_submitted(reviewer):
    claim = ClaimFactory()
    verdict = services.verdict_save_draft(
        claim=claim, user=reviewer, label=Label.SUPPORTED, summary="Test summary."
    )
    with pytest.raises(InvalidInput, match="evidence"):
        services.verdict_submit(verdict=verdict, user=reviewer)


def test_an_unproven_verdict_needs_no_evidence(reviewer):
    claim = ClaimFactory()
    verdict = services.verdict_save_draft(
        claim=claim, user=reviewer, label=Label.NOT_ENOUGH_EVIDENCE, summary="Test summary."
    )
    assert services.verdict_submit(verdict=verdict, user=reviewer).status == Status.SUBMITTED


def test_evidence_of_another_claim_cannot_be_cited(reviewer):
    claim = ClaimFactory()
    foreign = EvidenceFactory()
    with pytest.raises(InvalidInput):
        services.verdict_save_draft(
            claim=claim, user=reviewer, label=Label.REFUTED, summary="x", evidence=[foreign]
        )


def test_nobody_approves_their_own_verdict(editor):
    verdict = _submitted(ClaimFactory(), editor)
    with pytest.raises(NotAllowed, match="own"):
        services.verdict_approve(verdict=verdict, user=editor)
    with pytest.raises(NotAllowed, match="own"):
        services.verdict_publish(verdict=verdict, user=editor)


def test_an_editor_cannot_publish_their_own_verdict_even_after_approval(editor, admin_user):
    verdict = _submitted(ClaimFactory(), editor)
    verdict = services.verdict_approve(verdict=verdict, user=admin_user)
    with pytest.raises(NotAllowed, match="own"):
        services.verdict_publish(verdict=verdict, user=editor)
    assert services.verdict_publish(verdict=verdict, user=admin_user).status == Status.PUBLISHED


def test_a_reviewer_cannot_approve(reviewer, second_reviewer):
    verdict = _submitted(ClaimFactory(), reviewer)
    with pytest.raises(NotAllowed):
        services.verdict_approve(verdict=verdict, user=second_reviewer)


def test_an_outsider_cannot_draft(outsider):
    with pytest.raises(NotAllowed):
        services.verdict_save_draft(claim=ClaimFactory(), user=outsider, label=Label.REFUTED)


def test_an_editor_approves_publishes_and_withdraws(reviewer, editor):
    claim = ClaimFactory()
    verdict = _submitted(claim, reviewer)
    verdict = services.verdict_approve(verdict=verdict, user=editor)
    assert verdict.approved_by == editor
    verdict = services.verdict_publish(verdict=verdict, user=editor)
    claim.refresh_from_db()
    assert verdict.status == Status.PUBLISHED and verdict.published_at
    assert claim.state == Claim.State.PUBLISHED
    with pytest.raises(InvalidInput):
        services.verdict_withdraw(verdict=verdict, user=editor, reason="  ")
    verdict = services.verdict_withdraw(verdict=verdict, user=editor, reason="New facts.")
    claim.refresh_from_db()
    assert verdict.status == Status.WITHDRAWN and verdict.withdrawn_at
    assert claim.state == Claim.State.IN_REVIEW


def test_a_returned_verdict_goes_back_to_its_author_with_the_comment(reviewer, editor):
    verdict = _submitted(ClaimFactory(), reviewer)
    verdict = services.verdict_return(verdict=verdict, user=editor, comment="Cite the source.")
    assert verdict.status == Status.RETURNED and verdict.return_comment == "Cite the source."
    verdict = services.verdict_save_draft(
        claim=verdict.claim,
        user=reviewer,
        label=Label.NOT_ENOUGH_EVIDENCE,
        summary="Better.",
        expected_version=verdict.version,
    )
    assert services.verdict_submit(verdict=verdict, user=reviewer).status == Status.SUBMITTED


def test_a_published_verdict_cannot_be_edited(reviewer, editor):
    verdict = _submitted(ClaimFactory(), reviewer)
    services.verdict_publish(verdict=verdict, user=editor)
    with pytest.raises(InvalidState):
        services.verdict_save_draft(claim=verdict.claim, user=reviewer, label=Label.REFUTED)


def test_a_stale_save_is_refused_and_shows_the_current_version(reviewer):
    claim = ClaimFactory()
    services.claim_update_wording(claim=claim, user=reviewer, wording="First", expected_version=1)
    with pytest.raises(StaleVersion) as excinfo:
        services.claim_update_wording(
            claim=claim, user=reviewer, wording="Second", expected_version=1
        )
    assert excinfo.value.current.wording == "First"
    claim.refresh_from_db()
    assert claim.wording == "First"


def test_every_change_to_a_claim_is_kept_in_its_history_with_who_did_it(reviewer):
    claim = ClaimFactory()
    services.claim_update_wording(claim=claim, user=reviewer, wording="Spelled out")
    latest = claim.history.first()
    assert latest.wording == "Spelled out"
    assert latest.history_user == reviewer


def test_splitting_a_claim_keeps_the_offset_invariant_and_supersedes_the_original(reviewer):
    claim = ClaimFactory()
    middle = claim.text.index(" in ") + claim.start
    parts = services.claim_split(claim=claim, user=reviewer, at=[middle])
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUPERSEDED
    assert len(parts) == 2
    for part in parts:
        assert claim.article.text[part.start : part.end] == part.text
        assert part.origin == Claim.Origin.SPLIT


def test_merging_two_adjacent_claims_gives_one_spanning_both(reviewer):
    claim = ClaimFactory()
    a, b = services.claim_split(claim=claim, user=reviewer, at=[claim.start + 20])
    merged = services.claim_merge(claims=[b, a], user=reviewer)
    assert (merged.start, merged.end) == (a.start, b.end)
    assert merged.article.text[merged.start : merged.end] == merged.text


def test_split_points_outside_the_claim_are_refused(reviewer):
    claim = ClaimFactory()
    with pytest.raises(InvalidInput):
        services.claim_split(claim=claim, user=reviewer, at=[claim.end + 1])


def test_take_next_assigns_the_most_checkworthy_unassigned_claim(reviewer):
    low = ClaimFactory(checkworthiness=0.2)
    high = ClaimFactory(checkworthiness=0.9)
    taken = services.claim_take_next(user=reviewer)
    assert taken.pk == high.pk and taken.assignee == reviewer
    assert services.claim_take_next(user=reviewer).pk == low.pk
    assert services.claim_take_next(user=reviewer) is None


def test_a_claim_with_a_live_verdict_cannot_be_marked_not_checkworthy(reviewer):
    claim = ClaimFactory()
    services.verdict_save_draft(claim=claim, user=reviewer, label=Label.REFUTED)
    with pytest.raises(InvalidState):
        services.claim_mark_not_checkworthy(claim=claim, user=reviewer)


def test_the_wording_of_a_claim_with_a_published_verdict_is_frozen(reviewer, editor):
    verdict = _submitted(ClaimFactory(), reviewer)
    with pytest.raises(InvalidState):
        services.claim_update_wording(claim=verdict.claim, user=reviewer, wording="Changed")
    services.verdict_publish(verdict=verdict, user=editor)
    with pytest.raises(InvalidState):
        services.claim_update_wording(claim=verdict.claim, user=editor, wording="Changed")
