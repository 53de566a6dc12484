"""Search per language on PostgreSQL (issue 21): each claim's document in its language's
configuration, each query in the reader's language (and English, and folded)."""

import pytest
from django.db import connection
from django.utils import translation

from claims.models import Claim
from claims.selectors import SEARCH_INDEX_NAME, public_claim_list, search_claims
from tests.builders import published_claim

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def multilingual(reviewer, editor):
    def build(text: str, language: str) -> Claim:
        return published_claim(reviewer=reviewer, editor=editor, text=text, language=language)

    return {
        "ru": build("Минобороны России: ракеты «Искандер» не применялись в Карабахе.", "ru"),
        "az": build("Gəncə şəhərinə atılan raketlərin qalıqları göstərildi; İsgəndər sübut olunmadı.", "az"),
        "hy": build("Իսկանդեր հրթիռները չեն պայթել, ասաց վարչապետը։", "hy"),
        "en": build("The missiles exploded over the city.", "en"),
    }


def found(query: str, language: str) -> set[str]:
    with translation.override(language):
        return {claim.language for claim in public_claim_list(query=query)}


def test_russian_word_forms_match_for_a_russian_reader(multilingual):
    assert found("ракета", "ru") == {"ru"}  # "ракеты" in the claim
    assert found("ракетами применялись", "ru") == {"ru"}
    assert found("Искандера", "ru") == {"ru"}


def test_azerbaijani_letters_match_with_and_without_diacritics(multilingual):
    for query in ("Gəncə", "Gence", "GƏNCƏ", "şəhərinə", "seherine", "İsgəndər", "Isgender", "isgəndər"):
        assert found(query, "az") == {"az"}, query
    for query in ("göstərildi", "gosterildi", "qalıqları", "qaliqlari", "sübut", "subut", "olunmadı"):
        assert found(query, "az") == {"az"}, query
    # ç and ğ: words the claim does not have are not matched by their folded neighbours either.
    assert found("çağırış", "az") == set()


def test_armenian_words_match(multilingual):
    assert found("Իսկանդեր", "hy") == {"hy"}
    assert found("հրթիռները", "hy") == {"hy"}
    assert found("հրթիռ", "hy") == set()  # no stemmer: another form is another word


def test_every_reader_finds_english_claims_stemmed(multilingual):
    for language in ("en", "ru", "az", "hy"):
        assert "en" in found("exploding missile", language), language


def test_the_document_uses_the_claims_language(multilingual):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT language, search_document::text FROM claims_claim WHERE id = ANY(%s)",
            [[c.pk for c in multilingual.values()]],
        )
        documents = dict(cursor.fetchall())
    assert "'ракет'" in documents["ru"]  # russian stemmer
    assert "'gence'" in documents["az"] and "'isgender'" in documents["az"]  # folded, not stemmed
    assert "'missil'" in documents["en"]  # english stemmer
    assert "'իսկանդեր'" in documents["hy"]


def test_a_per_language_search_can_use_the_gin_index(multilingual):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    for language in ("ru", "az"):
        with translation.override(language):
            plan = search_claims(Claim.objects.all(), "ракета Gəncə").order_by().explain()
        assert SEARCH_INDEX_NAME in plan, plan
