"""Issue 20, item 4: a correction stays in public view once its fact-check is withdrawn: listed on
/corrections/ (under the title readers last saw, never a later draft's) and on the 410 page."""

import pytest

from claims import services
from claims.models import Claim
from tests.builders import published_claim
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db

CORRECTION = "The second statement of the ministry changed the count."
NOTICE = "The report it relied on was withdrawn by its authors."


@pytest.fixture
def corrected_then_withdrawn(reviewer, editor, correct):
    claim = published_claim(reviewer=reviewer, editor=editor, claim_reviewed="Ten per cent exploded")
    claim = correct(claim, rating=RatingFactory(), reason=CORRECTION)
    # Reopened and redrafted before the withdrawal: the draft's summary never reaches readers.
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    claim = services.claim_update(
        claim=claim, user=reviewer, reason="Draft", expected_version=claim.version, claim_reviewed="Draft summary"
    )
    services.claim_withdraw(claim=claim, user=editor, reason="Source withdrawn", public_reason=NOTICE)
    return Claim.objects.get(pk=claim.pk)


def test_a_withdrawn_fact_checks_correction_stays_listed(client, corrected_then_withdrawn):
    html = client.get("/corrections/").content.decode()
    assert CORRECTION in html
    assert "We have not corrected any published verdict yet" not in html
    assert "Ten per cent exploded" in html and "Draft summary" not in html
    assert "withdrawn" in html.split(CORRECTION)[0].rsplit("<article>", 1)[1]


def test_the_410_page_lists_the_corrections_made_before_the_withdrawal(client, corrected_then_withdrawn):
    response = client.get(corrected_then_withdrawn.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert CORRECTION in html and NOTICE in html


def test_the_feed_keeps_the_correction_too(client, corrected_then_withdrawn):
    assert CORRECTION in client.get("/feeds/verdicts.atom").content.decode()
