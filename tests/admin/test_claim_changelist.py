"""The claim list on the article's demo data: columns, filters, search, and a real desk move."""

import pytest
from django.urls import reverse

from claims.models import ChangeEvent, Claim, Verdict
from tests.admin.conftest import change_url, history_url, login, transition_url

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:claims_claim_changelist"
IN_REVIEW_SLUG = "anama-iskander-m-remnants-found-in-shusha"


def result_slugs(response) -> set[str]:
    return {claim.slug for claim in response.context["cl"].result_list}


def test_the_list_shows_status_rating_claimant_and_dates(article_claims, reviewer):
    response = login(reviewer).get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == Claim.objects.count()
    html = response.content.decode()
    published = Claim.objects.filter(status="published").select_related("claimant").first()
    rating = Verdict.objects.get(claim=published).rating
    assert "claim-status-published" in html and "claim-status-in_review" in html
    assert rating.label in html and published.claimant.name in html
    headers = [header["text"] for header in response.context["result_headers"]]
    assert headers[1:] == [
        "claim reviewed",
        "status",
        "rating",
        "claimant",
        "stated on",
        "assigned",
    ]


def test_filters_by_status_and_by_rating(article_claims, reviewer):
    client = login(reviewer)
    in_review = client.get(reverse(CHANGELIST), {"status__exact": "in_review"})
    assert result_slugs(in_review) == set(Claim.objects.filter(status="in_review").values_list("slug", flat=True))

    verdict = Verdict.objects.filter(rating__isnull=False).select_related("claim").first()
    by_rating = client.get(reverse(CHANGELIST), {"rating": verdict.rating_id})
    expected = set(Claim.objects.filter(verdict__rating=verdict.rating).values_list("slug", flat=True))
    assert verdict.claim.slug in result_slugs(by_rating) and result_slugs(by_rating) == expected

    unrated = client.get(reverse(CHANGELIST), {"rating": "none"})
    assert verdict.claim.slug not in result_slugs(unrated)
    assert result_slugs(unrated) == set(Claim.objects.values_list("slug", flat=True)) - set(
        Claim.objects.filter(verdict__rating__isnull=False).values_list("slug", flat=True)
    )


def test_search_finds_claims_by_text_and_by_claimant(article_claims, reviewer):
    client = login(reviewer)
    assert IN_REVIEW_SLUG in result_slugs(client.get(reverse(CHANGELIST), {"q": "Shusha"}))
    claim = Claim.objects.select_related("claimant").get(slug=IN_REVIEW_SLUG)
    by_claimant = result_slugs(client.get(reverse(CHANGELIST), {"q": claim.claimant.name}))
    assert by_claimant == set(Claim.objects.filter(claimant=claim.claimant).values_list("slug", flat=True))


def test_an_editor_publishes_the_articles_claim_in_review(article_claims, editor):
    claim = Claim.objects.get(slug=IN_REVIEW_SLUG)
    client = login(editor)
    page = client.get(change_url(claim))
    assert [t.to_status for t in page.context["workflow"]["transitions"]] == ["researching", "published", "archived"]
    response = client.post(
        transition_url(claim),
        {"to_status": "published", "change_reason": "Approved on the desk", "expected_version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "published"
    assert Verdict.objects.get(claim=claim).approved_by == editor
    assert ChangeEvent.objects.filter(claim_id=claim.pk).last().kind == "published"
    history = client.get(history_url(claim)).content.decode()
    assert "Approved on the desk" in history and "Loaded from fixture article_claims" in history


def test_an_editable_claims_history_offers_revert_links(article_claims, reviewer):
    claim = Claim.objects.filter(status="researching").first()
    from claims import services

    services.claim_update(
        claim=claim, user=reviewer, reason="Note", expected_version=claim.version, internal_notes="Ask the office"
    )
    response = login(reviewer).get(history_url(claim))
    assert response.context["can_revert"]
    first = claim.history.last()
    assert reverse("admin:claims_claim_revert", args=[claim.pk, first.history_id]) in response.content.decode()


def test_every_demo_claim_page_and_history_renders_for_both_roles(article_claims, reviewer, editor):
    clients = {"reviewer": login(reviewer), "editor": login(editor)}
    for claim in Claim.objects.all():
        for role, client in clients.items():
            page = client.get(change_url(claim))
            assert page.status_code == 200, (role, claim.slug)
            editable = claim.status in {"new", "researching", "in_review"}
            assert page.context["has_change_permission"] == editable, (role, claim.slug)
            assert client.get(history_url(claim)).status_code == 200, (role, claim.slug)


def test_the_list_counts_one_page_past_the_one_shown(article_claims, reviewer, monkeypatch):
    """No full count: page 1 counts up to one page further ("4+ claims" at 2 a page), a later page
    further still, and a list that ends inside the count says exactly how long it is."""
    from claims.admin.claims import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 2)
    monkeypatch.setattr(ClaimAdmin, "list_max_show_all", 3)
    total = Claim.objects.count()
    assert total > 10
    client = login(reviewer)

    first = client.get(reverse(CHANGELIST))
    assert first.context["cl"].result_count == 4
    assert "4+ claims" in first.content.decode()
    assert len(first.context["cl"].result_list) == 2

    third = client.get(reverse(CHANGELIST), {"p": 3})
    assert "8+ claims" in third.content.decode()
    assert len(third.context["cl"].result_list) == 2

    last_page = (total + 1) // 2
    last = client.get(reverse(CHANGELIST), {"p": last_page})
    assert f"{total} claims" in last.content.decode() and f"{total}+" not in last.content.decode()

    searched = client.get(reverse(CHANGELIST), {"q": "Shusha"})
    assert searched.context["cl"].result_count < 3
    assert "+ result" not in searched.content.decode()


def test_show_all_is_offered_and_done_only_when_the_count_knows_every_row(article_claims, reviewer, monkeypatch):
    """Django offers "Show all" when the count is at most list_max_show_all; a count that stopped
    early ("4+") would pass that test with every claim behind it."""
    from claims.admin.claims import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 2)
    monkeypatch.setattr(ClaimAdmin, "list_max_show_all", 4)
    client = login(reviewer)

    unfiltered = client.get(reverse(CHANGELIST))
    assert unfiltered.context["cl"].paginator.more
    assert "showall" not in unfiltered.content.decode()
    asked_anyway = client.get(reverse(CHANGELIST), {"all": ""})
    assert len(asked_anyway.context["cl"].result_list) == 2  # a page, not every claim
    assert not asked_anyway.context["cl"].show_all
    with monkeypatch.context() as capped:  # a count capped below list_max_show_all: still a page
        from claims.admin.scale import LookaheadCountPaginator

        capped.setattr(LookaheadCountPaginator, "cap", 3)
        assert len(client.get(reverse(CHANGELIST), {"all": ""}).context["cl"].result_list) == 2

    status = next(
        status
        for status in Claim.Status.values
        if 2 < Claim.objects.filter(status=status).count() <= 4  # two pages, within the count's reach
    )
    few = Claim.objects.filter(status=status).count()
    offered = client.get(reverse(CHANGELIST), {"status__exact": status})
    assert f"{few} claims" in offered.content.decode() and "showall" in offered.content.decode()
    shown = client.get(reverse(CHANGELIST), {"status__exact": status, "all": ""})
    assert len(shown.context["cl"].result_list) == few
