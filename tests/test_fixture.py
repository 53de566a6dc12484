"""The article's claims as a fixture: verbatim quotes, the links between them, history and feed."""

import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation, Evidence, Rating, Source, Verdict
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db

FIXTURE_REASON = "Loaded from fixture article_claims (manage.py loaddata)"
TRACKED = [Claimant, Source, Claim, Evidence, Rating, Verdict, ClaimRelation]


def test_every_quote_is_verbatim_in_the_article_with_its_anchor(article_claims, article_text):
    claims = list(Claim.objects.all())
    assert len(claims) >= 12
    for claim in claims:
        assert claim.text in article_text, claim.slug
        assert claim.quote_exact == claim.text
        anchored = claim.quote_prefix + claim.quote_exact + claim.quote_suffix
        assert article_text.count(anchored) == 1, claim.slug


def test_quotes_keep_the_articles_typography(article_claims):
    retraction = Claim.objects.get(slug="pashinyan-office-says-prime-minister-was-misinformed")
    assert "“There is no doubt that Russian weapons are one of the best in the world”" in retraction.text
    assert "Pashinyan’s office" in retraction.text


def test_the_article_is_recorded_as_an_opinion_piece_with_author_and_publisher(article_claims):
    source = Source.objects.get()
    assert source.kind == Source.Kind.OPINION
    assert source.author == "Vasif Huseynov"
    assert source.publisher
    assert source.published_on_display == "24 April 2021"
    assert set(Claim.objects.values_list("appeared_in", flat=True)) == {source.pk}


@pytest.mark.parametrize(
    ("slug", "claimant", "stated_on"),
    [
        ("pashinyan-only-ten-per-cent-of-iskander-missiles-exploded", "Nikol Pashinyan", "23 February 2021"),
        ("pashinyan-office-says-prime-minister-was-misinformed", "Office of the Prime Minister of Armenia", "2021"),
        ("hakobyan-iskander-used-in-the-war", "Movses Hakobyan", "November 2020"),
        ("aliyev-no-evidence-missiles-used-against-azerbaijan", "Ilham Aliyev", "26 February 2021"),
        ("aliyev-asks-russia-how-iskander-m-was-fired", "Ilham Aliyev", "12 April 2021"),
        (
            "anama-iskander-m-remnants-found-in-shusha",
            "Mine Action Agency of the Republic of Azerbaijan (ANAMA)",
            "2 April 2021",
        ),
        ("russian-defense-ministry-says-iskander-not-used", "Russian Defense Ministry", ""),
        ("shoigu-shipments-were-construction-materials", "Sergei Shoigu", "2020"),
        ("iskander-m-maximum-range-500-km", "Vasif Huseynov", "24 April 2021"),
        ("iskander-m-reserved-for-russian-army-export-banned", "Vasif Huseynov", "24 April 2021"),
    ],
)
def test_the_required_claims_are_there_with_claimant_and_date_precision(article_claims, slug, claimant, stated_on):
    claim = Claim.objects.select_related("claimant").get(slug=slug)
    assert claim.claimant.name == claimant
    assert claim.stated_on_display == stated_on


def test_the_offices_retraction_retracts_pashinyans_statement(article_claims):
    relation = ClaimRelation.objects.get(kind=ClaimRelation.Kind.RETRACTS)
    assert relation.from_claim.slug == "pashinyan-office-says-prime-minister-was-misinformed"
    assert relation.to_claim.slug == "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"


def test_aliyevs_later_request_is_linked_to_his_no_evidence_statement(article_claims):
    assert ClaimRelation.objects.filter(
        from_claim__slug="aliyev-asks-russia-how-iskander-m-was-fired",
        to_claim__slug="aliyev-no-evidence-missiles-used-against-azerbaijan",
    ).exists()


def test_at_least_four_verdicts_are_published_and_the_rest_at_other_stages(article_claims):
    published = Claim.objects.published()
    assert published.count() >= 4
    other_statuses = set(Claim.objects.exclude(status="published").values_list("status", flat=True))
    assert {"new", "researching", "in_review"} <= other_statuses
    for claim in published:
        verdict = claim.verdict
        assert verdict.rating and verdict.rationale and verdict.approved_by != verdict.author
        assert claim.evidence.exists()


def test_every_verdicts_evidence_quotes_the_article(article_claims, article_text):
    for evidence in Evidence.objects.all():
        assert evidence.excerpt in article_text, evidence.pk


def test_the_scale_can_say_retracted_and_contradicted_by_later_evidence(article_claims):
    labels = set(Rating.objects.values_list("label", flat=True))
    assert {"Retracted by the claimant", "Contradicted by later evidence"} <= labels
    assert all(Rating.objects.values_list("definition", flat=True))
    pashinyan = Verdict.objects.get(claim__slug="pashinyan-only-ten-per-cent-of-iskander-missiles-exploded")
    assert pashinyan.rating.slug == "retracted-by-claimant"


def test_the_articles_slant_is_not_taken_as_fact(article_claims):
    """The author calls Shoigu's explanation "unconvincing"; the verdict rests on evidence, not that word."""
    shoigu = Verdict.objects.get(claim__slug="shoigu-shipments-were-construction-materials")
    assert shoigu.rating.slug == "unproven"


def test_every_loaded_object_has_its_initial_history_row_saying_it_came_from_the_fixture(article_claims):
    for model in TRACKED:
        for obj in model.objects.all():
            rows = list(obj.history.all())
            assert [(r.history_type, r.history_change_reason) for r in rows] == [("+", FIXTURE_REASON)], obj


def test_published_verdicts_from_the_fixture_reach_the_change_feed(article_claims):
    published_ids = set(Claim.objects.published().values_list("id", flat=True))
    events = ChangeEvent.objects.all()
    assert {e.claim_id for e in events} == published_ids
    assert {e.kind for e in events} == {ChangeEvent.Kind.PUBLISHED}
    for event in events:
        assert event.payload["verdict"]["rating"]["slug"]


def desk_data(model) -> list[dict]:
    """The rows without the public revision (derived: a reload moves it, so cached pages are rebuilt)."""
    return [
        {k: v for k, v in row.items() if k not in {"public_revision", "public_changed_at"}}
        for row in model.objects.order_by("pk").values()
    ]


def test_loading_the_fixture_again_changes_no_data_and_adds_no_feed_events(article_claims):
    before = {m: desk_data(m) for m in TRACKED}
    events = ChangeEvent.objects.count()
    call_command("loaddata", "article_claims", verbosity=0)
    assert {m: desk_data(m) for m in TRACKED} == before
    assert ChangeEvent.objects.count() == events


def test_loading_into_empty_tables_asks_once_per_table_whether_anything_is_stored():
    """Not once per object: what a load keeps is only what was stored before it (ratings come with
    the migrations; claims, sources and the rest do not)."""
    labels = {obj["model"] for obj in json.loads((REPO_ROOT / "fixtures" / "article_claims.json").read_text("utf-8"))}
    empty = [apps.get_model(label) for label in labels if not apps.get_model(label).objects.exists()]
    assert Claim in empty and Evidence in empty
    with CaptureQueriesContext(connection) as queries:
        call_command("loaddata", "article_claims", verbosity=0)
    quote = connection.ops.quote_name
    for model in empty:
        table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
        per_object = f"SELECT 1 AS {quote('a')} FROM {table} WHERE {table}.{key} = "
        assert not [q for q in queries.captured_queries if q["sql"].startswith(per_object)], model
    assert Claim.objects.count() == 17


def test_the_fixture_file_is_valid_json_without_invented_urls():
    data = json.loads((REPO_ROOT / "fixtures" / "article_claims.json").read_text(encoding="utf-8"))
    urls = [value for obj in data for key, value in obj["fields"].items() if "url" in key or key == "same_as"]
    assert all(not re.match(r"https?://", u or "") for u in urls), "the article gives no URLs"
