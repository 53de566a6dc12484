"""Readers see the quote in context and a link that scrolls the original to it (text fragments)."""

import json

import pytest
from django.core.management import call_command

from claims.intake.anchoring import encode_text_directive_part, text_fragment
from claims.intake.quotes import with_fragment
from claims.models import Claim, Source
from tests.conftest import ARTICLE_PATH

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("Iskander-M", "Iskander%2DM"),  # "-" marks prefix/suffix in the directive
        ("one, two", "one%2C%20two"),  # "," separates start and end
        ("Q&A", "Q%26A"),  # "&" separates directives
        ("100% sure", "100%25%20sure"),
        ("“quoted”", "%E2%80%9Cquoted%E2%80%9D"),
        ("Փաշինյան", "%D5%93%D5%A1%D5%B7%D5%AB%D5%B6%D5%B5%D5%A1%D5%B6"),
        ("a#b?c=d", "a%23b%3Fc%3Dd"),
    ],
)
def test_text_directive_parts_are_percent_encoded_per_the_spec(value, encoded):
    assert encode_text_directive_part(value) == encoded


def test_a_short_quote_is_the_whole_text_start_with_one_word_of_context_either_side():
    fragment = text_fragment(exact="Iskander-M with a range", before="the facts that ", after=" is considered")
    assert fragment == "#:~:text=that-,Iskander%2DM%20with%20a%20range,-is"


def test_a_long_quote_uses_start_and_end_words():
    exact = "Pashinyan admitted the use of Iskander but regretted that only ten per cent of the missiles exploded"
    fragment = text_fragment(exact=exact, before="in favour of Armenia, ", after=". His")
    assert fragment == (
        "#:~:text=Armenia%2C-,Pashinyan%20admitted%20the%20use,of%20the%20missiles%20exploded"
    )  # no suffix: "." follows the quote directly, not a whole word


def test_context_cut_mid_word_is_not_used_and_whitespace_is_collapsed():
    fragment = text_fragment(exact="line one\nline\u00a0two", before="artial", after="ext")
    assert fragment == "#:~:text=line%20one%20line%20two"


def test_a_links_own_fragment_is_replaced():
    assert with_fragment("https://example.org/a?b=1#top", "#:~:text=x") == "https://example.org/a?b=1#:~:text=x"


@pytest.fixture
def demo_with_url(settings, editor):
    settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
    call_command("setup_demo", verbosity=0)
    source = Source.objects.get()
    source.url = "https://www.example.org/opinion/iskander-m-mystery"
    source.save()
    return source


def test_the_claim_page_shows_the_quote_in_context_and_links_to_it_in_the_original(client, demo_with_url):
    claim = Claim.objects.get(slug="pashinyan-only-ten-per-cent-of-iskander-missiles-exploded")
    response = client.get(claim.get_absolute_url())
    context = response.context["quote_context"]
    assert context.exact == claim.quote_exact
    assert context.before.endswith("in favour of Armenia, ")
    assert context.after.startswith(". His derogatory remarks")
    assert len(context.before.split()) <= 8 and len(context.after.split()) <= 8
    html = response.content.decode()
    assert f"<mark>{claim.quote_exact}</mark>" in html
    assert context.original_url == (
        "https://www.example.org/opinion/iskander-m-mystery"
        "#:~:text=Armenia%2C-,Pashinyan%20admitted%20the%20use,of%20the%20missiles%20exploded"
    )
    assert 'class="original-link"' in html
    # The public never gets the whole captured article.
    assert "The Second Karabakh War (September 27" not in html


def test_claimreview_appearance_carries_the_source_url(client, demo_with_url):
    claim = Claim.objects.get(slug="pashinyan-only-ten-per-cent-of-iskander-missiles-exploded")
    html = client.get(claim.get_absolute_url()).content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["itemReviewed"]["appearance"]["url"] == demo_with_url.url


def test_an_unverified_anchor_shows_the_quote_only(client, article_claims):
    claim = Claim.objects.get(slug="pashinyan-only-ten-per-cent-of-iskander-missiles-exploded")
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert response.context["quote_context"] is None
