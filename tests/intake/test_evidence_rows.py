"""Evidence typed in the claim page's rows is anchored like "Add as evidence" (issue 20, item 2).

Before: a row's excerpt was saved without an anchor, and an excerpt its source does not contain
was published as a quote.
"""

import pytest

from claims.admin.evidence_rows import UNVERIFIED_NO_CAPTURE
from claims.intake.anchoring import PASSAGE_NOT_FOUND
from claims.intake.capture import snapshot_capture
from claims.models import Evidence
from tests.admin.conftest import change_url, form_data, login, researching_claim
from tests.api.conftest import token_client
from tests.builders import published_claim
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

TEXT = "The ministry said on Monday that no Iskander-M missile was used during the war.\n\nPress office."


def post_row(user, claim, source, excerpt: str):
    client = login(user)
    data = form_data(client.get(change_url(claim)))
    data.update(
        {
            "evidence-0-source": source.pk,
            "evidence-0-excerpt": excerpt,
            "evidence-0-stance": "refutes",
            "change_reason": "Add evidence",
        }
    )
    return client, client.post(change_url(claim), data)


def test_a_row_excerpt_is_anchored_into_the_sources_latest_capture(reviewer):
    source = SourceFactory()
    snapshot_capture(source=source, user=reviewer, reason="Old capture", text="An older version of the page.")
    latest = snapshot_capture(source=source, user=reviewer, reason="Capture", text=TEXT)
    claim = researching_claim(reviewer=reviewer)
    # Typed as the reviewer has it: other whitespace and quotes than the capture.
    _, response = post_row(reviewer, claim, source, "no  Iskander-M missile was used")
    assert response.status_code == 302, response.context and response.context["errors"]
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.excerpt_snapshot == latest and evidence.excerpt_anchor_verified
    assert TEXT[evidence.excerpt_start : evidence.excerpt_end] == evidence.excerpt == "no Iskander-M missile was used"
    assert evidence.history.first().history_user == reviewer


def test_a_row_excerpt_the_capture_does_not_contain_is_refused_on_the_row(reviewer):
    source = SourceFactory()
    latest = snapshot_capture(source=source, user=reviewer, reason="Capture", text=TEXT)
    claim = researching_claim(reviewer=reviewer)
    _, response = post_row(reviewer, claim, source, "Ten per cent of the missiles exploded.")
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Evidence).formset
    assert formset.forms[0].errors["excerpt"] == [PASSAGE_NOT_FOUND.format(snapshot=latest.pk)]
    assert formset.forms[0]["excerpt"].value() == "Ten per cent of the missiles exploded."  # input kept
    assert not Evidence.objects.exists()


def test_a_row_for_a_source_never_captured_is_saved_unverified_and_the_desk_says_so(reviewer):
    claim = researching_claim(reviewer=reviewer)
    client, response = post_row(reviewer, claim, SourceFactory(), "Whatever the reviewer typed.")
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.excerpt_snapshot is None and not evidence.excerpt_anchor_verified
    assert str(UNVERIFIED_NO_CAPTURE) in client.get(change_url(claim)).content.decode()


def test_the_public_page_says_an_excerpt_is_unverified(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)  # its evidence's source has no capture
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "has not been checked against a saved copy of the source" in page


def test_the_api_evidence_carries_its_anchor(reviewer):
    source = SourceFactory()
    snapshot = snapshot_capture(source=source, user=reviewer, reason="Capture", text=TEXT)
    claim = researching_claim(reviewer=reviewer)
    post_row(reviewer, claim, source, "no Iskander-M missile")
    evidence = Evidence.objects.get(claim=claim)
    body = token_client(reviewer).get(f"/api/v1/evidence/{evidence.pk}/").json()
    start = TEXT.index("no Iskander-M missile")
    assert body["anchor"] == {
        "snapshot": snapshot.pk,
        "verified": True,
        "selectors": [
            {"type": "TextQuoteSelector", "exact": "no Iskander-M missile", "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": start, "end": start + len("no Iskander-M missile")},
        ],
    }
