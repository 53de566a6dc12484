"""The two intake services the API and the desk share (issue 19): a source with its first capture,
and a claim anchored in a snapshot."""

import pytest
from django.core.exceptions import PermissionDenied

from claims import services
from claims.intake.anchoring import AnchorError
from claims.intake.capture import take_capture
from claims.intake.sources import source_create_with_capture
from claims.models import Source, SourceSnapshot
from tests.factories import ClaimantFactory
from tests.intake.conftest import ARTICLE_HTML

pytestmark = pytest.mark.django_db

TEXT = "The ministry said on Monday that no Iskander-M missile was used during the war."


def test_a_source_and_its_first_capture_are_saved_once_with_the_metadata_filled(reviewer):
    capture = take_capture(file_data=ARTICLE_HTML.encode(), filename="page.html")
    source, snapshot = source_create_with_capture(user=reviewer, reason="Saved page", capture=capture, kind="opinion")
    assert source.author == "Vasif Huseynov" and source.title
    history = list(source.history.values_list("history_type", "history_user", "history_change_reason"))
    assert len(history) == 1  # one save, not a save and a fill
    assert history[0][:2] == ("+", reviewer.pk) and "filled from the capture" in history[0][2]
    assert snapshot.source == source and snapshot.history.get().history_user == reviewer


def test_a_source_with_capture_needs_the_roles_and_creates_nothing_without(outsider):
    with pytest.raises(PermissionDenied):
        source_create_with_capture(user=outsider, reason="x", capture=take_capture(text=TEXT), kind="report")
    assert not Source.objects.exists() and not SourceSnapshot.objects.exists()


def test_a_claim_anchored_in_a_snapshot_takes_its_source_and_text_from_it(reviewer):
    _, snapshot = source_create_with_capture(user=reviewer, reason="x", capture=take_capture(text=TEXT), kind="report")
    claim = services.claim_create(
        user=reviewer,
        reason="From the statement",
        quote_snapshot=snapshot,
        quote_exact="no  Iskander-M missile was used",
        claim_reviewed="No Iskander-M was used",
        slug="no-iskander",
        claimant=ClaimantFactory(),
    )
    assert claim.appeared_in == snapshot.source
    assert claim.text == claim.quote_exact == "no Iskander-M missile was used"
    assert claim.quote_anchor_verified and TEXT[claim.quote_start : claim.quote_end] == claim.text
    with pytest.raises(AnchorError) as refused:
        services.claim_create(
            user=reviewer,
            reason="x",
            quote_snapshot=snapshot,
            quote_exact="Ten per cent exploded",
            claim_reviewed="x",
            slug="ten",
            claimant=ClaimantFactory(),
        )
    assert "quote_exact" in refused.value.message_dict
