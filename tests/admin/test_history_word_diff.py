"""Issue 20, item 5: the history page shows a long text change whole, with a word-level diff (the
words removed in <del>, the words added in <ins>), never shortened with an ellipsis."""

import pytest

from claims import services
from tests.admin.conftest import history_url, login, researching_claim

pytestmark = pytest.mark.django_db

BEFORE = " ".join(f"word{i}" for i in range(80)) + " Only ten per cent of the missiles exploded at the end."
AFTER = BEFORE.replace("ten per cent", "twelve per cent")


def test_a_long_text_change_is_shown_whole_with_its_changed_words_marked(reviewer):
    claim = researching_claim(reviewer=reviewer, text=BEFORE)
    services.claim_update(
        claim=claim, user=reviewer, reason="The quote said twelve", expected_version=claim.version, text=AFTER
    )
    html = login(reviewer).get(history_url(claim)).content.decode()
    assert "<del>ten</del>" in html and "<ins>twelve</ins>" in html
    assert "word0 word1" in html and "exploded at the end." in html  # the whole text, both sides
    assert "[" not in html.split("<del>ten</del>")[0].rsplit("<li>", 1)[1]  # no "[N chars]" shortening
