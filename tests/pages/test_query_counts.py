"""Every public page costs a constant number of SQL queries, pinned at two data sizes with one limit.

The limits are the counts the pages make today; a new N+1 shows up as a failure at the larger size.
"""

import re

import pytest
from django.urls import reverse

from claims.models import Claimant, Rating
from tests.builders import published_claim

pytestmark = pytest.mark.django_db

# Page → the most queries it may make, whatever the data size. (Anonymous requests: no session.)
MAX_QUERIES = {
    "home": 2,  # claims + current verdicts
    "claim-list": 5,  # ratings + claimants (filter choices) + count + page + current verdicts
    # validators + claim + verdict + evidence + corrections + 2×(relations + their verdicts) + rating scale
    "claim-detail": 10,
    "claimant-detail": 3,  # claimant + claims + current verdicts
    "methodology": 1,  # ratings
    "corrections": 3,  # count + page + withdrawals
    "feed": 3,  # claims + current verdicts + corrections
}
SHOWN_AT_MOST = {"home": 10, "claim-list": 20, "feed": 15}  # feed: 30 entries, a publication and a correction each
CLAIM_LINK = re.compile(r"/claims/(claim-\d+)/")
SIZES = {"small": {"evidence": 1, "related": 1, "many": 1}, "large": {"evidence": 50, "related": 30, "many": 30}}


@pytest.fixture(params=sorted(SIZES))
def size(request):
    return SIZES[request.param]


def test_claim_detail(client, build_claim_page, correct, size, django_assert_max_num_queries):
    claim = build_claim_page(evidence=size["evidence"], related=size["related"])
    for i in range(size["many"] if size["many"] > 1 else 1):
        claim = correct(claim, rating=Rating.objects.get_or_create(value=200 + i % 2, defaults={
            "label": f"R{i % 2}", "slug": f"r{i % 2}", "definition": "."})[0], reason=f"Correction {i}")  # fmt: skip
    with django_assert_max_num_queries(MAX_QUERIES["claim-detail"]):
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="evidence stance-') == size["evidence"]
    assert html.count('class="timeline-entry') == size["related"]
    assert html.count('id="correction-') == size["many"]


@pytest.fixture
def many_claims(reviewer, editor, correct, size):
    claimant = Claimant.objects.create(name="Prolific Speaker", slug="prolific", kind="person", role="Minister")
    rating = Rating.objects.create(label="Corrected rating", slug="corrected-rating", value=300, definition=".")
    claims = []
    for _ in range(size["many"]):
        claim = published_claim(reviewer=reviewer, editor=editor, claimant=claimant, text="Iskander figures")
        claims.append(correct(claim, rating=rating))
    return claims


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("home", "/"),
        ("claim-list", "/claims/"),
        ("claim-list", "/claims/?q=Iskander&claimant=prolific&rating=corrected-rating&stated_from=2020-01-01"),
        ("claim-list", "/claims/?relation=retracts&page=2"),
        ("claimant-detail", "/claimants/prolific/"),
        ("methodology", "/methodology/"),
        ("corrections", "/corrections/"),
        ("feed", "/feeds/verdicts.atom"),
    ],
)
def test_list_pages(client, many_claims, size, name, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES[name]):
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


def test_the_list_pages_show_every_claim_at_the_larger_size(client, many_claims, size):
    html = client.get("/claims/?q=Iskander").content.decode()
    assert f"{len(many_claims)} fact-check" in html
    assert reverse("claims:claim-detail", kwargs={"slug": many_claims[-1].slug}) in html
