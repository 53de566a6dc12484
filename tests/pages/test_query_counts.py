"""Every public page costs an exact number of SQL queries, the same at two data sizes.

A first request renders the page; a second one (pages cached by the public revision) reads the
revision and the cache only. A new N+1, or a count that grows with the data, fails here.
"""

import re

import pytest
from django.urls import reverse

from claims.models import Claimant, Rating
from claims.roles import EDITOR, REVIEWER
from tests.builders import published_claim
from tests.conftest import make_user
from tests.pages.conftest import correct_verdict
from tests.shared_rows import rows_for_the_module

pytestmark = pytest.mark.django_db

# Page → (queries when rendered, queries when served from the page cache). Anonymous: no session.
QUERIES = {
    # Every page that shows ratings reads their labels in every language once (issue 21): "+ labels".
    "home": (3, 1),  # revision + claims with claimant, source, verdict, rating + labels | revision
    # A page is its keys (and the next pages' keys: no count), then its rows with their joins
    # (claims.site.pagination: a look-ahead and a deferred join).
    # The filter's ratings come with their labels, which the cards reuse: no query per card.
    "claim-list": (5, 1),  # revision + ratings (filter) + labels + page keys + page rows | revision
    "claim-list-filtered": (5, 5),  # ratings + labels + claimant by name or slug + page keys + rows (not cached)
    "claim-list-relation": (3, 3),  # ratings + labels + page keys; an empty page runs no other query (not cached)
    # revision + claim + evidence + corrections + 2 × relations + rating scale | revision
    # + other fact-checkers' confirmed reviews + published translations + rating translations (issue 21)
    "claim-detail": (10, 1),
    "claimant-detail": (4, 4),  # claimant + page keys + page rows + labels
    "methodology": (2, 2),  # ratings + their translations (issue 21)
    "corrections": (4, 4),  # page keys + page rows + withdrawals (issue 14: on the first page) + labels
    "feed": (4, 1),  # revision + claims + corrections + labels | revision
}
SHOWN_AT_MOST = {
    "home": 10,
    "claim-list": 20,
    "claim-list-filtered": 20,
    "claimant-detail": 20,
    "corrections": 20,
    "feed": 15,
}
CLAIM_LINK = re.compile(r"/claims/(claim-\d+)/")
# A claim page shows all its evidence, related claims and corrections (a count that grew with them would
# show at 10 as at 50); the lists show up to one page (20) of `many` claims, so 30 spans two pages.
SIZES = {
    "small": {"evidence": 1, "related": 1, "corrections": 1, "many": 1},
    "large": {"evidence": 20, "related": 10, "corrections": 10, "many": 30},
}


@pytest.fixture(scope="module", params=sorted(SIZES))
def size(request):
    """Module-scoped, so pytest runs the tests of one size together and `many_claims` is built once per size."""
    return SIZES[request.param]


def test_claim_detail(client, build_claim_page, correct, size, django_assert_num_queries):
    claim = build_claim_page(evidence=size["evidence"], related=size["related"])
    for i in range(size["corrections"]):
        claim = correct(claim, rating=Rating.objects.get_or_create(value=200 + i % 2, defaults={
            "label": f"R{i % 2}", "slug": f"r{i % 2}", "definition": "."})[0], reason=f"Correction {i}")  # fmt: skip
    rendered, cached = QUERIES["claim-detail"]
    with django_assert_num_queries(rendered):
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="evidence stance-') == size["evidence"]
    assert html.count('class="timeline-entry') == size["related"]
    assert html.count('id="correction-') == size["corrections"]
    with django_assert_num_queries(cached):
        again = client.get(claim.get_absolute_url())
    assert again.content == response.content
    with django_assert_num_queries(1):
        not_modified = client.get(claim.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert not_modified.status_code == 304


@pytest.fixture(scope="module")
def many_claims(size, django_db_setup, django_db_blocker):
    """`size["many"]` published and corrected claims of one claimant, built once for the module's tests
    of that size (they only read them)."""
    with rows_for_the_module(django_db_blocker):
        reviewer, editor = make_user("mo-reviewer", REVIEWER), make_user("mo-editor", EDITOR)
        claimant = Claimant.objects.create(name="Prolific Speaker", slug="prolific", kind="person", role="Minister")
        rating = Rating.objects.create(label="Corrected rating", slug="corrected-rating", value=300, definition=".")
        claims = []
        for _ in range(size["many"]):
            claim = published_claim(reviewer=reviewer, editor=editor, claimant=claimant, text="Iskander figures")
            claims.append(correct_verdict(claim, editor=editor, rating=rating))
        yield claims


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("home", "/"),
        ("claim-list", "/claims/"),
        ("claim-list-filtered", "/claims/?q=Iskander&claimant=prolific&rating=corrected-rating&stated_from=2020-01-01"),
        ("claim-list-filtered", "/claims/?claimant=Prolific+speaker&page=1"),
        ("claim-list-relation", "/claims/?relation=retracts"),
        ("claimant-detail", "/claimants/prolific/"),
        ("methodology", "/methodology/"),
        ("corrections", "/corrections/"),
        ("feed", "/feeds/verdicts.atom"),
    ],
)
def test_list_pages(client, many_claims, size, name, url, django_assert_num_queries):
    rendered, cached = QUERIES[name]
    with django_assert_num_queries(rendered):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    if name == "methodology":
        assert "Corrected rating" in html
    elif "relation=" in url:  # no claim here has relations: that list is empty
        assert "0 fact-checks" in html
    else:  # the page really lists the data it was given (up to one page of it)
        shown = min(size["many"], SHOWN_AT_MOST.get(name, size["many"]))
        assert len(set(CLAIM_LINK.findall(html))) >= shown
    with django_assert_num_queries(cached):
        again = client.get(url)
    assert again.content == response.content


def test_the_list_pages_show_every_claim_at_the_larger_size(client, many_claims, size):
    html = client.get("/claims/?q=Iskander").content.decode()
    assert f"{len(many_claims)} fact-check" in html
    assert reverse("claims:claim-detail", kwargs={"slug": many_claims[-1].slug}) in html
