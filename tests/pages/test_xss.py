"""Hostile text in every public text field comes out escaped, on every page that shows it."""

import datetime

import pytest

from claims import services
from claims.models import ClaimRelation, Rating
from tests.builders import published_claim
from tests.factories import ClaimantFactory, SourceFactory

pytestmark = pytest.mark.django_db

PAYLOAD = "<img src=x onerror=alert(1)>\"'&<script>alert(2)</script>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;&quot;&#x27;&amp;&lt;script&gt;alert(2)&lt;/script&gt;"


def hostile(field: str) -> str:
    return f"{field}:{PAYLOAD}"


@pytest.fixture
def hostile_claim(reviewer, editor, second_editor):
    claimant = ClaimantFactory(
        name=hostile("name"), role=hostile("role"), affiliation=hostile("affiliation"), country=hostile("country")
    )
    source = SourceFactory(title=hostile("title"), publisher=hostile("publisher"), author=hostile("author"))
    claim = published_claim(
        reviewer=reviewer,
        editor=editor,
        claimant=claimant,
        appeared_in=source,
        text=hostile("text"),
        claim_reviewed="<b>reviewed</b>&\"'",
    )
    # Evidence, verdict, relation and correction texts, through the services.
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    services.evidence_attach(
        claim=claim,
        source=SourceFactory(title=hostile("evidence-source")),
        excerpt=hostile("excerpt"),
        stance="refutes",
        note=hostile("note"),
        user=reviewer,
        reason="Found",
    )
    rating = Rating.objects.create(
        label=hostile("label")[:80], slug="hostile", value=50, definition=hostile("definition"), colour="#123456"
    )
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Draft",
        rating=rating,
        headline=hostile("headline"),
        rationale=hostile("rationale"),
    )
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Review")
    claim = services.claim_transition(
        claim=claim,
        to_status="published",
        user=second_editor,
        reason="Approve",
        public_reason=hostile("correction"),
    )
    other = published_claim(reviewer=reviewer, editor=editor)
    services.relation_create(
        from_claim=other,
        to_claim=claim,
        kind=ClaimRelation.Kind.RETRACTS,
        user=editor,
        reason="Related",
        date=datetime.date(2021, 1, 1),
        date_precision="year",
        note=hostile("relation-note"),
    )
    return claim


FIELDS_BY_PAGE = {
    "claim": ["name", "role", "title", "publisher", "author", "text", "excerpt", "note", "evidence-source",
              "headline", "rationale", "correction", "relation-note"],
    "claimant": ["name", "role", "affiliation", "country"],
    "list": ["name", "headline"],
    "home": ["name", "headline"],
    "corrections": ["name", "correction"],
    "methodology": ["definition"],
}  # fmt: skip


def urls(claim):
    return {
        "claim": claim.get_absolute_url(),
        "claimant": claim.claimant.get_absolute_url(),
        "list": "/claims/?q=reviewed",
        "home": "/",
        "corrections": "/corrections/",
        "methodology": "/methodology/",
    }


@pytest.mark.parametrize("page_name", sorted(FIELDS_BY_PAGE))
def test_hostile_text_is_escaped(client, hostile_claim, page_name):
    response = client.get(urls(hostile_claim)[page_name])
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>reviewed</b>" not in html
    for field in FIELDS_BY_PAGE[page_name]:
        assert f"{field}:{ESCAPED}" in html, field


def test_hostile_text_in_the_search_box_is_escaped(client, db):
    html = client.get("/claims/", {"q": PAYLOAD}).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert ESCAPED in html


def test_hostile_text_in_the_feed_is_escaped(client, hostile_claim):
    body = client.get("/feeds/verdicts.atom").content.decode()
    assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;" in body or "&amp;lt;script&amp;gt;" in body
