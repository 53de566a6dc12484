""" "Has this been checked before?" across languages: the service, the API, the add form, the linking."""

import pytest
from django.db import connection
from django.urls import reverse

from claims.matching.ranking import _related, find_similar_claims, fuse, names_and_numbers, shares_an_anchor
from claims.matching.vectors import embed_claims
from claims.models import Claim

from ..api.conftest import token_client
from ..factories import ClaimFactory

pytestmark = pytest.mark.django_db

PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
ALIYEV = "aliyev-no-evidence-missiles-used-against-azerbaijan"
TRANSLATIONS = [
    ("Пашинян признал применение «Искандеров», но сожалел, что взорвались лишь десять процентов ракет.", PASHINYAN),
    (
        "Paşinyan İskəndərin istifadəsini etiraf edib, amma raketlərin cəmi on faizinin partladığına təəssüflənib.",
        PASHINYAN,
    ),
    (
        "Փաշինյանը խոստովանել է «Իսկանդեր»-ի կիրառումը, բայց ափսոսել, որ հրթիռների միայն տասը տոկոսն է պայթել։",
        PASHINYAN,
    ),
    (
        "Ильхам Алиев заявил, что у азербайджанской стороны нет доказательств применения ракет против Азербайджана.",
        ALIYEV,
    ),
]
# The lexical ranking's queries (claims.similarity, see tests/intake/test_similarity.py), then: the
# index's look at changed vectors, the texts of the candidates below the "related" cut (do they share
# a name or a number with the text?), and the claims only the semantic ranking found (with verdicts).
LEXICAL_QUERIES = {"postgresql": 2, "sqlite": 1}
SEMANTIC_QUERIES = 3


def test_fusion_rewards_agreement_and_weighs_semantic_more():
    assert [claim_id for claim_id, _ in fuse([1, 2], [(2, 0.9), (3, 0.8)])] == [2, 3, 1]
    assert fuse([], []) == []


def test_a_claim_in_another_language_is_not_ranked_down_for_sharing_no_words():
    # 3 is the query's translation (another language: no lexical rank possible); 1 and 2 share its
    # language, 1 only a name. Plain RRF puts the name-sharer first; 3 gets the mean of 1's and 2's
    # lexical contributions instead of nothing, and its better semantic rank counts.
    assert fuse([1, 2], [(3, 0.8), (1, 0.7)])[0][0] == 1
    fused = fuse([1, 2], [(3, 0.8), (1, 0.7)], other_language=frozenset({3}))
    assert [claim_id for claim_id, _ in fused] == [3, 1, 2]
    assert dict(fused)[3] == pytest.approx(2 / 61 + (1 / 61 + 1 / 62) / 2)


@pytest.mark.parametrize(("text", "slug"), TRANSLATIONS)
def test_a_translation_finds_the_checked_claim_first(embedded_article_claims, text, slug):
    found = find_similar_claims(text)
    assert found[0].claim.slug == slug
    assert found[0].similarity is not None
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_the_lexical_baseline_misses_those_translations(embedded_article_claims):
    firsts = [find_similar_claims(text, mode="lexical")[:1] for text, _slug in TRANSLATIONS]
    assert (
        sum(1 for found, (_t, slug) in zip(firsts, TRANSLATIONS, strict=True) if found and found[0].claim.slug == slug)
        == 0
    )


def test_the_same_claim_is_probably_the_same_and_an_unrelated_text_finds_nothing(embedded_article_claims):
    pashinyan = Claim.objects.get(slug=PASHINYAN)
    assert find_similar_claims(pashinyan.text)[0].strength == "same"
    assert find_similar_claims(pashinyan.text, exclude_id=pashinyan.pk)[0].claim != pashinyan
    assert find_similar_claims("Bananas ripen quickly in warm kitchens") == []
    assert find_similar_claims("   ") == []


def test_a_claim_whose_vector_is_not_ready_is_still_found_lexically(article_claims):
    embed_claims(Claim.objects.exclude(slug=PASHINYAN))
    found = find_similar_claims("Pashinyan admitted Iskander was used but only ten per cent of the missiles exploded")
    match = next(m for m in found if m.claim.slug == PASHINYAN)
    assert match.similarity is None and match.strength == "related"


@pytest.mark.parametrize("extra", [0, 30])
def test_the_api_shows_each_match_language_at_a_fixed_query_count(
    embedded_article_claims, reviewer, extra, django_assert_max_num_queries
):
    embed_claims(ClaimFactory.create_batch(extra, text="Статья о ракетах вообще", language="ru"))
    client = token_client(reviewer)
    client.get("/api/v1/claims/similar/", {"text": "warm up"})
    # knox's token twice, the user and group permissions, then the matching (see above).
    with django_assert_max_num_queries(4 + LEXICAL_QUERIES[connection.vendor] + SEMANTIC_QUERIES):
        response = client.get("/api/v1/claims/similar/", {"text": TRANSLATIONS[0][0]})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["slug"] == PASHINYAN and first["language"] == "en"
    assert first["strength"] in {"same", "related"} and 0 < first["similarity"] <= 1
    assert first["verdict"]["rating"]["slug"] == "retracted-by-claimant"


def test_the_add_form_shows_matches_with_their_language(embedded_article_claims, admin_client):
    response = admin_client.post(reverse("admin:claims_claim_add"), {"text": TRANSLATIONS[1][0]})
    html = response.content.decode()
    assert "Has this been checked before?" in html
    panel = html[html.index('id="similar-claims"') :]
    assert '<span class="similar-language" lang="en"' in panel
    assert Claim.objects.get(slug=PASHINYAN).claim_reviewed in panel


def test_names_and_numbers_are_capitalised_words_after_the_first_acronyms_and_numbers() -> None:
    assert names_and_numbers("Peyvəndin içində Qeytsin çipi var, onunla hamını izləyəcəklər.") == {"qeytsin"}
    assert names_and_numbers("CSTO would not meet in 2022; Pashinyan asked 3 times") == {"csto", "2022", "pashinyan"}
    assert shares_an_anchor({"qeytsin"}, "Bill Qeyts peyvəndlər vasitəsilə insanlara mikroçip yerləşdirmək istəyir.")
    assert shares_an_anchor({"гейтс"}, "Билл Гейтса обвинили в чипировании")
    assert shares_an_anchor({"2022"}, "In 2022 the CSTO did not meet")
    assert not shares_an_anchor({"2022"}, "In 2021 the CSTO did not meet")
    assert not shares_an_anchor({"qeytsin"}, "Peyvəndlər insanları izləmək üçün deyil.")


def test_below_the_related_cut_only_the_nearest_claim_naming_each_name_is_kept(db: None) -> None:
    far, nearest, second, strong = (
        ClaimFactory(text=text)
        for text in (
            "Peyvəndlər insanları izləmək üçün hazırlanıb.",
            "Bill Qeyts peyvəndlər vasitəsilə insanlara mikroçip yerləşdirmək istəyir.",
            "Bill Qeyts dünyanın ən böyük əkin sahələrinin sahibidir.",
            "Mikroçiplər peyvəndlərin içindədir.",
        )
    )
    semantic = [(strong.pk, 0.5), (far.pk, 0.3), (nearest.pk, 0.25), (second.pk, 0.2)]
    text = "Peyvəndin içində Qeytsin çipi var, onunla hamını izləyəcəklər."
    assert _related(text, semantic) == [(strong.pk, 0.5), (nearest.pk, 0.25)]
    assert _related("peyvəndin içində çip var", semantic) == [(strong.pk, 0.5)]
