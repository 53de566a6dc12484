"""The demo (issue 21): the article's published fact-checks in Russian, Azerbaijani and Armenian,
loaded as reviewed translations, with the rating scale in each language."""

import pytest
from django.utils import translation as i18n

from claims.models import ChangeEvent, Claim, Rating, RatingTranslation, Verdict, VerdictTranslation
from tests.pages.conftest import PASHINYAN

pytestmark = pytest.mark.django_db

LANGUAGES = {"ru", "az", "hy"}


def test_every_published_fact_check_is_translated_into_each_desk_language(article_claims):
    published = Verdict.objects.filter(claim__in=Claim.objects.published())
    for verdict in published:
        translations = VerdictTranslation.objects.published().filter(verdict=verdict)
        assert {t.language for t in translations} == LANGUAGES, verdict
        for t in translations:
            assert t.translator.username != t.approved_by.username  # reviewed by someone else
            assert t.history.first().history_change_reason.startswith("Loaded from fixture")
    # The article's English quotes stay verbatim: the claims themselves are not translated.
    assert set(Claim.objects.values_list("language", flat=True)) == {"en"}


def test_the_rating_scale_reads_in_each_language(article_claims):
    for rating in Rating.objects.all():
        assert {t.language for t in RatingTranslation.objects.filter(rating=rating)} == LANGUAGES


def test_the_feed_carries_the_translations_the_fixture_loaded(article_claims):
    event = ChangeEvent.objects.filter(kind="published", payload__slug=PASHINYAN).get()
    assert {t["language"] for t in event.payload["translations"]} == LANGUAGES


@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("ru", "Отозвано его офисом"),
        ("az", "Ofisi tərəfindən geri götürülüb"),
        ("hy", "Հետ է վերցվել նրա գրասենյակի կողմից"),
    ],
)
def test_the_claim_page_in_each_language(client, article_claims, language, headline):
    with i18n.override(language):
        html = client.get(Claim.objects.get(slug=PASHINYAN).get_absolute_url()).content.decode()
    assert f'<p class="verdict-headline" lang="{language}">{headline}' in html
    assert 'class="translation-note"' in html
