"""The workflow on the claim's admin page and in the list: buttons, reasons, refusals, history, revert,
corrections and deletion."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.models import ChangeEvent, Claim, Correction, Verdict
from claims.services.errors import (
    AUTHOR_CANNOT_APPROVE,
    PUBLISH_NEEDS_EVIDENCE,
    REASON_REQUIRED,
    STALE_VERSION,
)
from tests.admin.conftest import change_url, drafted_claim, history_url, login, researching_claim, transition_url
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimFactory, RatingFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def buttons(response) -> list[str]:
    return [t.to_status for t in response.context["workflow"]["transitions"]]


def test_a_reviewer_sees_research_and_review_buttons_but_not_publish(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    assert buttons(login(reviewer).get(change_url(claim))) == ["researching"]
    assert buttons(login(editor).get(change_url(claim))) == ["researching", "published", "archived"]


def test_the_buttons_move_the_claim_with_the_reason_in_history(reviewer):
    claim = researching_claim(reviewer=reviewer)
    client = login(reviewer)
    response = client.post(
        transition_url(claim),
        {"to_status": "in_review", "change_reason": "Evidence complete", "expected_version": claim.version},
    )
    assert response.status_code == 302 and response.url == change_url(claim)
    claim.refresh_from_db()
    assert claim.status == "in_review"
    last = claim.history.first()
    assert (last.status, last.history_user, last.history_change_reason) == (
        "in_review",
        reviewer,
        "Evidence complete",
    )


def test_a_transition_without_a_reason_is_refused_with_the_message(reviewer):
    claim = researching_claim(reviewer=reviewer)
    response = login(reviewer).post(transition_url(claim), {"to_status": "in_review", "change_reason": " "})
    assert messages_of(response) == [REASON_REQUIRED]
    claim.refresh_from_db()
    assert claim.status == "researching"


def test_a_transition_from_a_stale_page_is_refused(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    stale_version = claim.version
    services.claim_update(
        claim=claim, user=second_reviewer, reason="Typo", expected_version=stale_version, internal_notes="x"
    )
    response = login(reviewer).post(
        transition_url(claim),
        {"to_status": "in_review", "change_reason": "Go", "expected_version": stale_version},
    )
    [message] = messages_of(response)
    assert message.startswith("Claim was changed by rob-reviewer")
    assert message.endswith(STALE_VERSION.split("}). ")[-1])
    claim.refresh_from_db()
    assert claim.status == "researching"


def test_a_reviewer_posting_publish_is_refused(reviewer, second_reviewer):
    claim = claim_in_review(reviewer=second_reviewer)
    response = login(reviewer).post(transition_url(claim), {"to_status": "published", "change_reason": "Go"})
    assert messages_of(response) == ["You do not have permission to approve and publish a verdict."]
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_an_editor_who_wrote_the_verdict_cannot_publish_it(editor):
    claim = claim_in_review(reviewer=editor)
    response = login(editor).post(transition_url(claim), {"to_status": "published", "change_reason": "Approve"})
    assert messages_of(response) == [AUTHOR_CANNOT_APPROVE]
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_an_editor_publishes_and_the_feed_hears_of_it(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    response = login(editor).post(
        transition_url(claim),
        {"to_status": "published", "change_reason": "Approved", "expected_version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "published"
    assert Verdict.objects.get(claim=claim).approved_by == editor
    assert ChangeEvent.objects.filter(claim_id=claim.pk, kind="published").count() == 1


def test_republishing_asks_for_a_public_correction_note(reviewer, editor, second_editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Again")
    page = login(second_editor).get(change_url(claim))
    assert page.context["workflow"]["asks_correction_reason"]
    assert 'name="public_reason"' in page.content.decode()
    response = login(second_editor).post(
        transition_url(claim),
        {"to_status": "published", "change_reason": "Republish", "public_reason": "Date fixed"},
    )
    assert response.status_code == 302
    assert Correction.objects.get(claim=claim).reason == "Date fixed"


def test_list_actions_move_valid_claims_and_report_each_refused_one(reviewer, editor):
    ready = claim_in_review(reviewer=reviewer)
    no_evidence = claim_in_review(reviewer=reviewer, evidence_count=0)
    own = claim_in_review(reviewer=editor)
    client = login(editor)
    url = reverse("admin:claims_claim_changelist")
    selected = [ready.pk, no_evidence.pk, own.pk]

    confirm = client.post(url, {"action": "move_to_published", "_selected_action": selected})
    assert confirm.status_code == 200
    assert 'name="change_reason"' in confirm.content.decode()

    response = client.post(
        url,
        {"action": "move_to_published", "_selected_action": selected, "apply": "yes", "change_reason": "Approved"},
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        f"“{no_evidence}” was not moved: {PUBLISH_NEEDS_EVIDENCE}",
        f"“{own}” was not moved: {AUTHOR_CANNOT_APPROVE}",
        "1 claim moved to “Published”.",
    ]
    statuses = dict(Claim.objects.filter(pk__in=selected).values_list("pk", "status"))
    assert statuses == {ready.pk: "published", no_evidence.pk: "in_review", own.pk: "in_review"}


def test_a_list_action_without_a_reason_moves_nothing(reviewer):
    claim = researching_claim(reviewer=reviewer)
    response = login(reviewer).post(
        reverse("admin:claims_claim_changelist"),
        {"action": "move_to_in_review", "_selected_action": [claim.pk], "apply": "yes", "change_reason": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["change_reason"] == [REASON_REQUIRED]
    assert Claim.objects.get(pk=claim.pk).status == "researching"


def test_reviewers_are_not_offered_the_publish_or_archive_actions(reviewer, editor):
    url = reverse("admin:claims_claim_changelist")
    ClaimFactory()
    reviewer_actions = {name for name, _ in login(reviewer).get(url).context["action_form"].fields["action"].choices}
    editor_actions = {name for name, _ in login(editor).get(url).context["action_form"].fields["action"].choices}
    assert "move_to_published" not in reviewer_actions and "move_to_archived" not in reviewer_actions
    assert {"move_to_published", "move_to_archived", "move_to_in_review"} <= editor_actions
    assert "delete_selected" not in editor_actions  # each deletion asks for its own reason


def test_the_history_page_shows_who_when_why_and_a_field_diff(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved by the desk")
    response = login(editor).get(history_url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ready for review" in html and "Approved by the desk" in html
    assert "eddie-editor" in html and "rita-reviewer" in html
    diff = " ".join(html.split("Approved by the desk", 1)[1].split())
    assert diff.startswith("</td> <td> <ul> <li> <strong>Status:</strong> In review &nbsp;&rarr;&nbsp;&nbsp;Published")
    # The verdict's and the evidence's history rows are on the same page.
    related = response.context["related_history"]
    assert {entry["reason"] for entry in related} >= {"Found it", "Draft verdict", "Approved by the desk"}


def test_revert_goes_through_the_same_version_and_status_checks(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer, claim_reviewed="Original summary")
    services.claim_update(
        claim=claim, user=second_reviewer, reason="Worse", expected_version=claim.version, claim_reviewed="Worse"
    )
    original = claim.history.get(history_type="+")
    url = reverse("admin:claims_claim_revert", args=[claim.pk, original.history_id])
    client = login(reviewer)
    page = client.get(url)
    assert page.status_code == 200 and "Original summary" in page.content.decode()
    expected_version = page.context["form"].initial["expected_version"]

    # Somebody saves in between: the revert is refused like any stale edit.
    current = Claim.objects.get(pk=claim.pk)
    services.claim_update(
        claim=current, user=second_reviewer, reason="Again", expected_version=current.version, internal_notes="n"
    )
    stale = client.post(url, {"change_reason": "Back", "expected_version": expected_version})
    assert stale.status_code == 200 and "rob-reviewer" in stale.context["form"].non_field_errors()[0]

    fresh = Claim.objects.get(pk=claim.pk)
    response = client.post(url, {"change_reason": "Back to the original", "expected_version": fresh.version})
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert (fresh.claim_reviewed, fresh.status, fresh.version) == ("Original summary", "researching", 5)
    assert fresh.history.first().history_change_reason == "Back to the original"


def test_a_published_claim_is_not_offered_revert_and_a_revert_post_is_refused(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    response = login(editor).get(history_url(claim))
    assert not response.context["can_revert"]
    assert "Revert to this version" not in response.content.decode()
    first = claim.history.last()
    url = reverse("admin:claims_claim_revert", args=[claim.pk, first.history_id])
    refused = login(editor).post(url, {"change_reason": "x", "expected_version": claim.version})
    assert "published" in refused.context["form"].non_field_errors()[0]


def test_an_editor_corrects_a_published_verdict_with_a_public_note(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = Verdict.objects.get(claim=claim)
    new_rating = RatingFactory()
    client = login(editor)
    page = client.get(change_url(claim))
    assert page.context["workflow"]["can_correct"]
    url = reverse("admin:claims_claim_correct", args=[claim.pk])
    response = client.post(
        url,
        {
            "rating": new_rating.pk,
            "headline": "Corrected",
            "rationale": "A new report changes the picture.",
            "public_reason": "A later report was published.",
            "expected_version": verdict.version,
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get(claim=claim)
    assert (correction.reason, correction.new_rating) == ("A later report was published.", new_rating)
    assert Claim.objects.get(pk=claim.pk).status == "published"
    assert ChangeEvent.objects.filter(claim_id=claim.pk).last().kind == "corrected"


def test_a_reviewer_cannot_correct_a_published_verdict(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = Verdict.objects.get(claim=claim)
    client = login(reviewer)
    assert not client.get(change_url(claim)).context["workflow"]["can_correct"]
    response = client.post(
        reverse("admin:claims_claim_correct", args=[claim.pk]),
        {
            "rating": verdict.rating_id,
            "rationale": "x",
            "public_reason": "y",
            "expected_version": verdict.version,
        },
    )
    assert response.status_code == 200
    assert "permission" in response.context["form"].non_field_errors()[0]
    assert not Correction.objects.exists()


def test_deleting_a_never_published_claim_needs_a_reason_and_leaves_history(editor, reviewer):
    claim = drafted_claim(reviewer=reviewer)
    client = login(editor)
    url = reverse("admin:claims_claim_delete", args=[claim.pk])
    assert 'name="change_reason"' in client.get(url).content.decode()
    refused = client.post(url, {"post": "yes", "change_reason": ""})
    assert messages_of(refused) == [REASON_REQUIRED]
    assert Claim.objects.filter(pk=claim.pk).exists()

    response = client.post(url, {"post": "yes", "change_reason": "Duplicate"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert Claim.history.get(id=claim.pk, history_type="-").history_change_reason == "Duplicate"
    assert Verdict.history.get(claim_id=claim.pk, history_type="-").history_user == editor


def test_a_claim_that_was_published_cannot_be_deleted_in_the_admin(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    reopened = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    url = reverse("admin:claims_claim_delete", args=[reopened.pk])
    client = login(editor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes", "change_reason": "Gone"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_reviewer_cannot_delete_claims(reviewer):
    claim = researching_claim(reviewer=reviewer)
    url = reverse("admin:claims_claim_delete", args=[claim.pk])
    assert login(reviewer).post(url, {"post": "yes", "change_reason": "x"}).status_code == 403


def test_a_past_version_page_is_read_only(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer, claim_reviewed="Original")
    services.claim_update(
        claim=claim, user=second_reviewer, reason="Edit", expected_version=claim.version, claim_reviewed="Edited"
    )
    first = claim.history.get(history_type="+")
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first.history_id])
    client = login(reviewer)
    assert client.get(url).status_code == 200
    current = Claim.objects.get(pk=claim.pk)
    response = client.post(
        url,
        {
            "claim_reviewed": "Original",
            "text": current.text,
            "slug": current.slug,
            "claimant": current.claimant_id,
            "stated_on_precision": "day",
            "language": "en",
            "change_reason": "Sneak a revert past the checks",
            "expected_version": current.version,
        },
    )
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).claim_reviewed == "Edited"


def test_a_source_cannot_be_changed_through_its_past_version_page(reviewer):
    from claims.models import Source
    from tests.factories import SourceFactory

    source = SourceFactory(title="Right title")
    record = source.history.first()
    url = reverse("admin:claims_source_simple_history", args=[source.pk, record.history_id])
    response = login(reviewer).post(url, {"title": "Wrong", "kind": "news", "change_reason": "x"})
    assert response.status_code == 403
    assert Source.objects.get(pk=source.pk).title == "Right title"


def test_evidence_deleted_from_its_own_admin_page_goes_through_the_service(reviewer, editor):
    from claims.models import Evidence
    from tests.factories import SourceFactory

    claim = researching_claim(reviewer=reviewer)
    evidence = services.evidence_attach(
        claim=claim, source=SourceFactory(), excerpt="x", stance="context", user=reviewer, reason="Attach"
    )
    url = reverse("admin:claims_evidence_delete", args=[evidence.pk])
    response = login(reviewer).post(url, {"post": "yes", "change_reason": "Duplicate evidence"})
    assert response.status_code == 302
    assert Evidence.history.get(id=evidence.pk, history_type="-").history_change_reason == "Duplicate evidence"

    published = published_claim(reviewer=reviewer, editor=editor)
    kept = Evidence.objects.get(claim=published)
    url = reverse("admin:claims_evidence_delete", args=[kept.pk])
    refused = login(editor).post(url, {"post": "yes", "change_reason": "Remove it"})
    assert messages_of(refused) == [services.errors.PUBLISHED_IS_READ_ONLY]
    assert Evidence.objects.filter(pk=kept.pk).exists()


def test_a_list_action_refuses_a_claim_changed_since_the_confirmation_page(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    client = login(reviewer)
    url = reverse("admin:claims_claim_changelist")
    confirm = client.post(url, {"action": "move_to_in_review", "_selected_action": [claim.pk]})
    assert f'name="version-{claim.pk}" value="{claim.version}"' in confirm.content.decode()
    services.claim_update(
        claim=claim, user=second_reviewer, reason="Meanwhile", expected_version=claim.version, internal_notes="n"
    )
    response = client.post(
        url,
        {
            "action": "move_to_in_review",
            "_selected_action": [claim.pk],
            f"version-{claim.pk}": claim.version,
            "apply": "yes",
            "change_reason": "Ready",
        },
    )
    [message] = messages_of(response)
    assert message.startswith(f"“{claim}” was not moved: Claim was changed by rob-reviewer")
    assert Claim.objects.get(pk=claim.pk).status == "researching"


def test_a_change_form_post_without_its_version_is_refused(reviewer_client, reviewer):
    from tests.admin.conftest import form_data

    claim = researching_claim(reviewer=reviewer)
    data = form_data(reviewer_client.get(change_url(claim)))
    del data["expected_version"]
    data.update(claim_reviewed="Blind overwrite", change_reason="No version")
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "expected_version" in response.context["adminform"].form.errors
    assert Claim.objects.get(pk=claim.pk).claim_reviewed != "Blind overwrite"
