"""Pagination edges of the public lists: empty, the last page, out of range, and the cap."""

import pytest

from claims.site import views
from claims.site.pagination import PAGE_NOT_FOUND
from tests.builders import published_claim

pytestmark = pytest.mark.django_db


def test_an_empty_list_has_one_empty_page(client, db):
    response = client.get("/claims/", {"q": "nothing"})
    assert response.status_code == 200
    assert "0 fact-checks" in response.content.decode()
    assert client.get("/corrections/").status_code == 200


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", "99999999999999999999"])
def test_a_page_out_of_range_is_404_with_a_message(client, db, page):
    response = client.get("/claims/", {"q": "nothing", "page": page})
    assert response.status_code == 404
    assert response.context["exception"] == PAGE_NOT_FOUND.format(number=page)
    assert client.get("/corrections/", {"page": page}).status_code == 404


def test_the_last_page_holds_the_rest(client, reviewer, editor, settings, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    claims = [published_claim(reviewer=reviewer, editor=editor) for _ in range(5)]
    last = client.get("/claims/", {"page": 3})
    assert last.status_code == 200
    assert len(last.context["page"].object_list) == 1
    assert "Page 3 of 3" in last.content.decode()
    assert client.get("/claims/", {"page": 4}).status_code == 404
    assert claims


def test_claimant_pages_are_paginated(client, reviewer, editor, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    first = published_claim(reviewer=reviewer, editor=editor)
    for _ in range(4):
        published_claim(reviewer=reviewer, editor=editor, claimant=first.claimant)
    url = first.claimant.get_absolute_url()
    page_one = client.get(url)
    assert len(page_one.context["page"].object_list) == 2
    assert "Fact-checked statements (5)" in page_one.content.decode()
    assert len(client.get(url, {"page": 3}).context["page"].object_list) == 1
    assert client.get(url, {"page": 4}).status_code == 404


def test_lists_stop_at_the_cap_and_say_so(client, reviewer, editor, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    monkeypatch.setattr(views, "MAX_LIST_PAGES", 2)
    for _ in range(5):
        published_claim(reviewer=reviewer, editor=editor, text="Iskander capped")
    response = client.get("/claims/", {"q": "Iskander"})
    assert "4+ fact-checks" in response.content.decode()
    assert response.context["page"].paginator.num_pages == 2
    assert client.get("/claims/", {"q": "Iskander", "page": 3}).status_code == 404


def test_pages_read_by_their_keys_keep_the_lists_order(client, reviewer, editor, monkeypatch):
    """A page is read as its keys then its rows (a deferred join): page after page, the claims come in
    the list's order (newest statement first), each once."""
    import datetime

    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 3)
    for day in (5, 1, 9, 3, 7, 2, 8):
        published_claim(reviewer=reviewer, editor=editor, stated_on=datetime.date(2024, 1, day))
    shown = [
        claim.stated_on.day for page in (1, 2, 3) for claim in client.get("/claims/", {"page": page}).context["page"]
    ]
    assert shown == [9, 8, 7, 5, 3, 2, 1]


def test_a_list_longer_than_its_look_ahead_says_how_much_it_knows(client, reviewer, editor, monkeypatch):
    """No count: page 1 reads its keys and the next two pages' keys, so 8 claims at 2 a page show
    as "6+" until a later page reaches the end of the list."""
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    for _ in range(8):
        published_claim(reviewer=reviewer, editor=editor)
    first = client.get("/claims/").content.decode()
    assert "6+ fact-checks" in first
    assert "Page 1</span>" in first
    assert 'rel="next"' in first
    assert "showing the first" not in first  # more exist, but the list does not stop here
    third = client.get("/claims/", {"page": 3}).content.decode()
    assert "8 fact-checks" in third
    assert "Page 3 of 4" in third
    last = client.get("/claims/", {"page": 4})
    assert "Page 4 of 4" in last.content.decode()
    assert 'rel="next"' not in last.content.decode()


def test_list_pages_never_count_their_rows(client, reviewer, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        published_claim(reviewer=reviewer, editor=editor, text="Iskander counted")
    claimant = published_claim(reviewer=reviewer, editor=editor).claimant
    for url in ("/claims/?q=Iskander", "/claims/?page=1", claimant.get_absolute_url(), "/corrections/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()], url
