"""The claim's history page lists the newest history rows of its verdict, evidence, relations and
corrections, however many there are, each change with its diff against the object's previous row."""

import pytest

from claims import services
from claims.admin.history import RELATED_HISTORY_LIMIT
from claims.models import Evidence
from claims.services.history import save_with_history
from tests.admin.conftest import history_url, login, researching_claim
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

ROWS = 205


def test_the_newest_related_rows_are_shown_when_there_are_more_than_the_limit(reviewer):
    assert ROWS > RELATED_HISTORY_LIMIT
    claim = researching_claim(reviewer=reviewer)
    evidence = services.evidence_attach(
        claim=claim, source=SourceFactory(), excerpt="E", stance="context", user=reviewer, reason="Row 0", note="n0"
    )
    for row in range(1, ROWS):
        evidence = Evidence.objects.get(pk=evidence.pk)
        evidence.note = f"n{row}"
        save_with_history(evidence, user=reviewer, reason=f"Row {row}")

    related = login(reviewer).get(history_url(claim)).context["related_history"]

    assert len(related) == RELATED_HISTORY_LIMIT
    assert [entry["reason"] for entry in related] == [f"Row {row}" for row in range(ROWS - 1, ROWS - 1 - 200, -1)]
    newest, oldest_shown = related[0], related[-1]
    assert newest["changes"] == [{"field": "Note", "old": f"n{ROWS - 2}", "new": f"n{ROWS - 1}"}]
    # The oldest row shown still has its diff: its previous row lies outside the page's window.
    first = ROWS - RELATED_HISTORY_LIMIT
    assert oldest_shown["changes"] == [{"field": "Note", "old": f"n{first - 1}", "new": f"n{first}"}]
