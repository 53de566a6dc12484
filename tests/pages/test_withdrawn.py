"""A withdrawn fact-check is public and explained: its page answers 410 Gone with what was withdrawn,
when and why, and /corrections/ keeps listing it."""

from html import escape

import pytest

from claims import services
from claims.models import Claim
from tests.pages.conftest import ALIYEV, SHOIGU

pytestmark = pytest.mark.django_db

NOTICE = "The ANAMA report it relied on was later withdrawn by its authors."


@pytest.fixture
def withdrawn(article_claims, editor):
    claim = Claim.objects.get(slug=ALIYEV)
    services.claim_withdraw(claim=claim, user=editor, reason="Source withdrawn", public_reason=NOTICE)
    return Claim.objects.get(pk=claim.pk)


def test_a_withdrawn_fact_check_answers_410_with_what_when_and_why(client, withdrawn):
    response = client.get(withdrawn.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    withdrawal = withdrawn.withdrawal
    assert "We withdrew this fact-check" in html
    assert withdrawn.claim_reviewed in html
    assert NOTICE in html
    assert withdrawal.previous_rating.label in html and escape(withdrawal.previous_headline) in html
    assert f'datetime="{withdrawal.withdrawn_at.isoformat(timespec="seconds")}"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_an_archived_published_claim_answers_410_too(client, article_claims, editor):
    claim = Claim.objects.get(slug=SHOIGU)
    services.claim_transition(
        claim=claim, to_status="archived", user=editor, reason="Scope", public_reason="Out of our scope."
    )
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 410
    assert "we archived our fact-check" in response.content.decode()


def test_withdrawn_fact_checks_stay_listed_on_corrections(client, withdrawn):
    html = client.get("/corrections/").content.decode()
    assert "Withdrawn fact-checks" in html
    assert f'href="{withdrawn.get_absolute_url()}"' in html and NOTICE in html


@pytest.mark.parametrize("extra_withdrawals", [0, 12, 25])
def test_corrections_show_the_newest_withdrawals_and_link_to_every_one(
    client, withdrawn, reviewer, editor, extra_withdrawals, django_assert_num_queries
):
    """However many fact-checks a desk withdraws, /corrections/ lists the newest ten (three queries:
    the corrections' keys, none here, the withdrawals and their ratings' labels) and links to the page
    that has them all."""
    from claims.models import Correction
    from claims.site.views import WITHDRAWALS_ON_CORRECTIONS

    _withdraw_more(extra_withdrawals, reviewer, editor)
    total = 1 + extra_withdrawals
    assert not Correction.objects.exists()
    with django_assert_num_queries(3):
        html = client.get("/corrections/").content.decode()
    assert html.count('<h3 class="card-title">') == min(total, WITHDRAWALS_ON_CORRECTIONS)
    assert (f"Notice {extra_withdrawals - 1}." in html) == bool(extra_withdrawals)  # the newest first
    assert ('href="/corrections/withdrawn/"' in html) == (total > WITHDRAWALS_ON_CORRECTIONS)


@pytest.mark.parametrize("extra_withdrawals", [0, 25])
def test_the_withdrawals_page_lists_every_withdrawn_fact_check_page_by_page(
    client, withdrawn, reviewer, editor, extra_withdrawals, django_assert_num_queries
):
    from claims.site.views import CORRECTIONS_PER_PAGE

    _withdraw_more(extra_withdrawals, reviewer, editor)
    total = 1 + extra_withdrawals
    seen = []
    for number in range(1, -(-total // CORRECTIONS_PER_PAGE) + 1):
        with django_assert_num_queries(3):  # the page's keys (and the next pages'), its rows, their ratings' labels
            response = client.get("/corrections/withdrawn/", {"page": number})
        assert response.status_code == 200
        seen += response.content.decode().split('<h2 class="card-title">')[1:]
    assert len(seen) == total
    assert NOTICE in seen[-1]  # the first withdrawal, the oldest, comes last
    assert client.get("/corrections/withdrawn/", {"page": number + 1}).status_code == 404
    assert client.get("/corrections/withdrawn/", {"page": "x"}).status_code == 404


def test_the_withdrawals_page_says_when_there_are_none(client, article_claims, django_assert_num_queries):
    with django_assert_num_queries(1):
        html = client.get("/corrections/withdrawn/").content.decode()
    assert "We have not withdrawn any published fact-check." in html


def test_a_withdrawn_claim_leaves_the_lists_and_the_feed_entries(client, withdrawn):
    assert withdrawn.get_absolute_url() not in client.get("/claims/").content.decode()
    assert withdrawn.slug not in client.get("/feeds/verdicts.atom").content.decode()


def test_a_claim_that_was_never_published_is_still_404(client, unpublished_claims):
    assert client.get("/claims/archived-claim/").status_code == 404


def _withdraw_more(count, reviewer, editor):
    from tests.builders import published_claim

    return [
        services.claim_withdraw(
            claim=published_claim(reviewer=reviewer, editor=editor),
            user=editor,
            reason="x",
            public_reason=f"Notice {i}.",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("extra_withdrawals", [0, 3])
def test_the_410_page_and_the_api_notice_cost_a_constant_number_of_queries(
    client, withdrawn, editor, reviewer, extra_withdrawals, django_assert_num_queries
):
    _withdraw_more(extra_withdrawals, reviewer, editor)
    # the page's validators (none: not public) + the withdrawal + its corrections + the ratings' labels
    with django_assert_num_queries(4):
        assert client.get(withdrawn.get_absolute_url()).status_code == 410
    with django_assert_num_queries(2):  # the claim in scope (none) + the withdrawal
        assert client.get(f"/api/v1/claims/{withdrawn.pk}/").status_code == 410


@pytest.mark.parametrize("extra_withdrawals", [0, 3])
def test_an_unknown_slug_is_404_in_two_queries(
    client, withdrawn, editor, reviewer, extra_withdrawals, django_assert_num_queries
):
    """A slug that was never published: the validators find no public claim, the withdrawal lookup
    finds none either; the same two queries however many withdrawals there are."""
    _withdraw_more(extra_withdrawals, reviewer, editor)
    with django_assert_num_queries(2):
        assert client.get("/claims/no-such-claim/").status_code == 404
