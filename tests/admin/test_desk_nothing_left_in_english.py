"""The desk in Russian and Armenian (issue 21): the claim page's inline headings, help texts and
the tips inbox's names are translated, and the Armenian desk gets the admin's own words that
Django's Armenian catalog lacks from locale_overrides/hy. Each string listed here was English."""

import pytest
from django.urls import reverse

from tests.admin.conftest import change_url, drafted_claim, login

pytestmark = pytest.mark.django_db

# On the claim's change page (the inlines' headings, the reason's help text).
CLAIM_PAGE_ENGLISH = [
    "relations to other claims",
    "Recorded in the history with your name.",
    "Search the claim, its summary",
]
# On the admin's index and lists: Django's own words, which its Armenian catalog lacks.
DJANGO_ENGLISH = ["Recent actions", "My actions", "Skip to main content", "Toggle theme"]


@pytest.mark.parametrize("language", ["ru", "hy"])
def test_the_claim_page_and_the_inbox_have_no_english_left(reviewer, editor, language):
    claim = drafted_claim(reviewer=reviewer)
    desk = login(editor)
    pages = {
        "claim": desk.get(change_url(claim), headers={"accept-language": language}),
        "claims": desk.get(reverse("admin:claims_claim_changelist"), headers={"accept-language": language}),
        "inbox": desk.get(reverse("admin:claims_tipcluster_changelist"), headers={"accept-language": language}),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    html = {name: page.content.decode() for name, page in pages.items()}
    assert [text for text in CLAIM_PAGE_ENGLISH if text in html["claim"] + html["claims"]] == []
    # The inbox is named by the model's translated verbose name, not "tip cluster(s)".
    assert "tip cluster" not in html["inbox"].lower()


@pytest.mark.parametrize("language", ["ru", "hy"])
def test_djangos_own_words_on_the_desk_are_translated(editor, language):
    html = login(editor).get(reverse("admin:index"), headers={"accept-language": language}).content.decode()
    assert f'<html lang="{language}"' in html
    assert [text for text in DJANGO_ENGLISH if text in html] == []
