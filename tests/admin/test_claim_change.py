"""The claim's change page: edits with a reason and a version, inlines through the services, conflicts."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from claims import services
from claims.intake.validators import ATTACHMENT_CONTENT_MISMATCH, ATTACHMENT_TOO_LARGE, ATTACHMENT_TYPE_NOT_ALLOWED
from claims.models import Claim, Evidence, Source, Verdict
from claims.services.errors import ARCHIVED_IS_READ_ONLY, REASON_REQUIRED
from tests.admin.conftest import change_url, drafted_claim, form_data, login, researching_claim
from tests.builders import claim_in_review, published_claim
from tests.factories import EvidenceFactory, RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_the_change_page_shows_the_claim_its_inlines_and_the_version_it_was_loaded_with(reviewer_client, reviewer):
    claim = drafted_claim(reviewer=reviewer)
    response = reviewer_client.get(change_url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="expected_version" value="{claim.version}"' in html
    assert 'name="change_reason"' in html
    assert "piece of evidence" in html.lower() or "evidence" in html
    assert "Not supported by the record" in html  # the draft verdict inline


def test_a_reviewer_edits_a_claim_with_a_reason_and_the_history_records_both(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update(claim_reviewed="Ten per cent of the missiles exploded", change_reason="Tighter summary")
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.claim_reviewed == "Ten per cent of the missiles exploded"
    assert claim.version == 3  # created 1, research 2, this edit 3
    last = claim.history.first()
    assert (last.history_user, last.history_change_reason) == (reviewer, "Tighter summary")


def test_a_save_without_a_reason_is_refused_on_the_form(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update(claim_reviewed="Changed", change_reason="   ")
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["change_reason"] == [REASON_REQUIRED]
    claim.refresh_from_db()
    assert claim.claim_reviewed != "Changed"


def test_a_stale_save_is_refused_naming_who_changed_it_and_keeps_the_input(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    first, second = login(reviewer), login(second_reviewer)
    first_data = form_data(first.get(change_url(claim)))
    second_data = form_data(second.get(change_url(claim)))

    first_data.update(claim_reviewed="First reviewer's summary", change_reason="First")
    assert first.post(change_url(claim), first_data).status_code == 302

    second_data.update(internal_notes="Second reviewer's note", change_reason="Second")
    response = second.post(change_url(claim), second_data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert reviewer.username in errors[0] and "you edited version 2" in errors[0] and "now version 3" in errors[0]
    assert "Second reviewer&#x27;s note" in response.content.decode()  # the input is still on the page
    claim.refresh_from_db()
    assert claim.claim_reviewed == "First reviewer's summary"
    assert claim.internal_notes == ""
    assert claim.history.count() == 3


def test_attaching_evidence_with_a_new_source_goes_through_the_service(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    # The "+" next to the source opens the source's add form; it too asks for a reason. What the page
    # prefills (the language, issue 21) is sent as the browser would.
    response = reviewer_client.post(
        "/admin/claims/source/add/",
        {
            **form_data(reviewer_client.get("/admin/claims/source/add/")),
            "title": "Ministry of Defence statement",
            "kind": "official_statement",
            "reliability": "credible",
            "published_on_precision": "day",
            "change_reason": "Cited by the evidence",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Ministry of Defence statement")
    assert source.history.first().history_change_reason == "Cited by the evidence"

    data = form_data(reviewer_client.get(change_url(claim)))
    data.update(
        {
            "evidence-0-source": source.pk,
            "evidence-0-excerpt": "No Iskander-M was used.",
            "evidence-0-stance": "refutes",
            "evidence-0-note": "Official denial.",
            "evidence-0-attachment": SimpleUploadedFile("statement.pdf", b"%PDF-1.4 test", "application/pdf"),
            "change_reason": "Attach the ministry's denial",
        }
    )
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=claim)
    assert (evidence.source, evidence.added_by, evidence.stance) == (source, reviewer, "refutes")
    # Stored under a random name (issue 11); the uploader's name is only offered on download.
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", evidence.attachment.name)
    assert evidence.attachment_name == "statement.pdf"
    row = evidence.history.get()
    assert (row.history_user, row.history_change_reason) == (reviewer, "Attach the ministry's denial")
    claim.refresh_from_db()
    assert claim.version == 2  # evidence does not touch the claim's own fields


@override_settings(EVIDENCE_ATTACHMENT_MAX_BYTES=10)
@pytest.mark.parametrize(
    ("filename", "content", "message_start"),
    [
        ("big.pdf", b"%PDF-" + b"x" * 20, ATTACHMENT_TOO_LARGE.split("{")[0]),
        ("script.exe", b"MZ", ATTACHMENT_TYPE_NOT_ALLOWED.split("{")[0]),
        ("renamed.pdf", b"MZ\x90", ATTACHMENT_CONTENT_MISMATCH.split("{")[0]),
    ],
)
def test_an_attachment_over_the_limits_is_refused_with_a_clear_error(
    reviewer_client, reviewer, filename, content, message_start
):
    claim = researching_claim(reviewer=reviewer)
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update(
        {
            "evidence-0-source": SourceFactory().pk,
            "evidence-0-excerpt": "An excerpt.",
            "evidence-0-stance": "context",
            "evidence-0-attachment": SimpleUploadedFile(filename, content),
            "change_reason": "Attach",
        }
    )
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Evidence).formset
    errors = formset.forms[0].errors["attachment"]
    assert errors[0].startswith(message_start)
    assert not Evidence.objects.exists()


def test_deleting_evidence_on_the_page_leaves_a_history_row_with_the_reason(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    evidence = services.evidence_attach(
        claim=claim, source=SourceFactory(), excerpt="x", stance="context", user=reviewer, reason="Attach"
    )
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update({"evidence-0-DELETE": "on", "change_reason": "Wrong source"})
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    deleted = Evidence.history.get(id=evidence.pk, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (reviewer, "Wrong source")


def test_existing_evidence_is_shown_read_only_so_nobody_overwrites_it(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    services.evidence_attach(
        claim=claim, source=SourceFactory(), excerpt="Original excerpt", stance="context", user=reviewer, reason="A"
    )
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update({"evidence-0-excerpt": "Tampered", "change_reason": "Try to edit in place"})
    assert reviewer_client.post(change_url(claim), data).status_code == 302
    assert Evidence.objects.get(claim=claim).excerpt == "Original excerpt"


def test_drafting_the_verdict_on_the_page_makes_the_reviewer_its_author(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    rating = RatingFactory()
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update(
        {
            "verdict-0-rating": rating.pk,
            "verdict-0-headline": "Misleading",
            "verdict-0-rationale": "The figure is not in the report.",
            "change_reason": "First draft",
        }
    )
    assert reviewer_client.post(change_url(claim), data).status_code == 302
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.author, verdict.rating, verdict.version) == (reviewer, rating, 1)
    assert verdict.history.get().history_change_reason == "First draft"


def test_concurrent_verdict_edits_refuse_the_second_with_the_conflict(reviewer, second_reviewer):
    claim = drafted_claim(reviewer=reviewer)
    first, second = login(reviewer), login(second_reviewer)
    first_data = form_data(first.get(change_url(claim)))
    second_data = form_data(second.get(change_url(claim)))
    first_data.update({"verdict-0-headline": "First headline", "change_reason": "Sharper"})
    second_data.update({"verdict-0-rationale": "Second rationale", "change_reason": "Longer"})
    assert first.post(change_url(claim), first_data).status_code == 302
    response = second.post(change_url(claim), second_data)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Verdict).formset
    message = formset.forms[0].non_field_errors()[0]
    assert message.startswith("Verdict was changed by rita-reviewer")
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.headline, verdict.rationale, verdict.version) == (
        "First headline",
        "The cited report says otherwise.",
        2,
    )


def test_a_second_first_draft_is_refused_when_somebody_created_the_verdict_meanwhile(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    client = login(second_reviewer)
    data = form_data(client.get(change_url(claim)))
    services.verdict_save_draft(
        claim=claim, user=reviewer, reason="Mine", rating=None, headline="Reviewer's", rationale="Reviewer's"
    )
    data.update({"verdict-0-headline": "Second's", "verdict-0-rationale": "Second's", "change_reason": "Mine too"})
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert Verdict.objects.get(claim=claim).headline == "Reviewer's"


def test_a_published_claim_is_read_only_on_its_page(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    client = login(editor)
    response = client.get(change_url(claim))
    assert response.status_code == 200
    assert 'name="change_reason"' not in response.content.decode().split('id="workflow-panel"')[0]
    assert not response.context["has_change_permission"]
    assert client.post(change_url(claim), {"claim_reviewed": "x", "change_reason": "y"}).status_code == 403


def test_an_archived_claim_offers_no_transition_and_refuses_evidence(editor, reviewer):
    claim = services.claim_transition(
        claim=researching_claim(reviewer=reviewer), to_status="archived", user=editor, reason="Out of scope"
    )
    response = login(editor).get(change_url(claim))
    assert response.context["workflow"]["transitions"] == []
    with pytest.raises(services.WorkflowError) as excinfo:
        services.evidence_attach(
            claim=claim, source=SourceFactory(), excerpt="x", stance="context", user=reviewer, reason="r"
        )
    assert excinfo.value.messages == [ARCHIVED_IS_READ_ONLY]


def test_adding_a_claim_goes_through_the_service_with_its_reason(reviewer_client, reviewer):
    from tests.factories import ClaimantFactory

    claimant = ClaimantFactory()
    data = form_data(reviewer_client.get("/admin/claims/claim/add/"))
    data.update(
        {
            "claim_reviewed": "Ninety per cent failed",
            "text": "Ninety per cent of them failed.",
            "slug": "ninety-per-cent",
            "claimant": claimant.pk,
            "change_reason": "Seen in the article",
        }
    )
    response = reviewer_client.post("/admin/claims/claim/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get(slug="ninety-per-cent")
    assert (claim.status, claim.version) == ("new", 1)
    assert claim.history.get().history_change_reason == "Seen in the article"


def test_relations_are_added_and_removed_through_the_services(reviewer_client, reviewer):
    claim = researching_claim(reviewer=reviewer)
    other = researching_claim(reviewer=reviewer)
    data = form_data(reviewer_client.get(change_url(claim)))
    data.update(
        {
            "relations_from-TOTAL_FORMS": "1",
            "relations_from-0-kind": "retracts",
            "relations_from-0-to_claim": other.pk,
            "relations_from-0-date_precision": "day",
            "change_reason": "The office retracted it",
        }
    )
    response = reviewer_client.post(change_url(claim), data)
    assert response.status_code == 302
    relation = claim.relations_from.get()
    assert relation.history.get().history_change_reason == "The office retracted it"

    data = form_data(reviewer_client.get(change_url(claim)))
    data.update({"relations_from-0-DELETE": "on", "change_reason": "Linked the wrong claim"})
    assert reviewer_client.post(change_url(claim), data).status_code == 302
    assert not claim.relations_from.exists()
    assert relation.history.filter(history_type="-").get().history_change_reason == "Linked the wrong claim"


def test_claim_in_review_can_still_be_edited_but_evidence_factory_rows_show(reviewer_client, reviewer):
    claim = claim_in_review(reviewer=reviewer)
    EvidenceFactory(claim=claim)
    response = reviewer_client.get(change_url(claim))
    assert response.status_code == 200
    assert response.context["has_change_permission"]


def test_a_new_claim_can_be_saved_with_its_first_evidence(reviewer_client, reviewer):
    from tests.factories import ClaimantFactory

    data = form_data(reviewer_client.get("/admin/claims/claim/add/"))
    source = SourceFactory()
    data.update(
        {
            "claim_reviewed": "Remnants were found",
            "text": "Remnants were found.",
            "slug": "remnants-found",
            "claimant": ClaimantFactory().pk,
            "change_reason": "From the article",
            "evidence-0-source": source.pk,
            "evidence-0-excerpt": "The agency reported the find.",
            "evidence-0-stance": "supports",
        }
    )
    response = reviewer_client.post("/admin/claims/claim/add/", data)
    assert response.status_code == 302
    claim = Claim.objects.get(slug="remnants-found")
    evidence = Evidence.objects.get(claim=claim)
    assert (evidence.source, evidence.added_by) == (source, reviewer)
    assert evidence.history.get().history_change_reason == "From the article"
