"""What a reader sees on a claim page: the claim, the verdict, the evidence, the timeline, corrections."""

import datetime

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimRelation, Rating
from tests.pages.conftest import ALIYEV, HAKOBYAN, OFFICE_RETRACTION, PASHINYAN

pytestmark = pytest.mark.django_db


def page(client, slug: str) -> str:
    response = client.get(reverse("claims:claim-detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_claim_page_shows_quote_claimant_role_date_and_where_it_appeared(client, article_claims):
    html = page(client, PASHINYAN)
    assert (
        "Pashinyan admitted the use of Iskander but regretted that only ten per cent of the missiles exploded" in html
    )
    assert 'href="/claimants/nikol-pashinyan/">Nikol Pashinyan</a>, Prime Minister of Armenia' in html
    assert '<time datetime="2021-02-23">23 February 2021</time>' in html
    assert "Iskander-M mystery looms over Russia-Azerbaijan relations" in html
    assert "Eurasia Review" in html


def test_dates_keep_their_precision(client, article_claims):
    assert '<time datetime="2020-11">November 2020</time>' in page(client, HAKOBYAN)
    html = page(client, OFFICE_RETRACTION)
    assert '<time datetime="2021">2021</time>' in html
    assert "1 January 2021" not in html and "2021-01-01" not in html


def test_appearance_links_to_the_source_when_it_has_a_url(client, build_claim_page):
    claim = build_claim_page()
    html = page(client, claim.slug)
    assert f'<a href="{claim.appeared_in.url}">{claim.appeared_in.title}</a>' in html


def test_verdict_shows_rating_headline_and_rationale(client, article_claims):
    html = page(client, PASHINYAN)
    assert "Retracted by the claimant" in html
    assert "Retracted by his office, which said the prime minister had been misinformed" in html
    assert "we rate the retraction, not the performance of the missiles" in html
    # The badge's colour comes from the rating stylesheet (no inline styles under the CSP).
    assert '<span class="badge rating-retracted-by-claimant">' in html
    assert "--badge: #a16207" in client.get("/ratings.css").content.decode()


def test_evidence_list_shows_source_publisher_date_stance_excerpt_and_link(client, article_claims, build_claim_page):
    html = page(client, PASHINYAN)
    assert "Refutes the claim" in html and "Context" in html
    assert "His derogatory remarks about Russia’s well-known military product" in html
    assert "The reaction that preceded the retraction." in html
    assert "Opinion piece" in html
    claim = build_claim_page(evidence=2)
    html = page(client, claim.slug)
    evidence = claim.evidence.select_related("source").first()
    assert f'<a href="{evidence.source.url}">{evidence.source.title}</a></cite>, {evidence.source.publisher}' in html
    assert '<time datetime="2021-03-01">1 March 2021</time>' in html
    assert html.count('class="evidence stance-refutes"') == 2


def test_retraction_appears_on_both_claims_phrased_for_each_side(client, article_claims):
    assert "Retracted in 2021 by the Office of the Prime Minister of Armenia" in page(client, PASHINYAN)
    html = page(client, OFFICE_RETRACTION)
    assert "Retracts, in 2021, a statement by Nikol Pashinyan" in html
    assert f'href="/claims/{PASHINYAN}/"' in html


def test_timeline_is_in_date_order_with_undated_relations_last(client, article_claims):
    html = page(client, PASHINYAN)
    assert html.index("Retracted in 2021") < html.index("Corroborated by Movses Hakobyan")
    assert "Date not given" in html


def test_day_precise_relation_reads_on_its_day(client, build_claim_page, editor):
    claim = build_claim_page()
    other = build_claim_page()
    services.relation_create(
        from_claim=other,
        to_claim=claim,
        kind=ClaimRelation.Kind.CONTRADICTS,
        user=editor,
        reason="Related",
        date=datetime.date(2021, 4, 12),
    )
    assert f"Contradicted on 12 April 2021 by {other.claimant.name}" in page(client, claim.slug)


def test_corrections_log_on_the_claim_page(client, article_claims, correct):
    claim = Claim.objects.get(slug=ALIYEV)
    html = page(client, claim.slug)
    assert "No corrections have been made to this verdict." in html
    unproven = Rating.objects.get(slug="unproven")
    correct(claim, rating=unproven, reason="We had misread the date of the ANAMA report.")
    html = page(client, claim.slug)
    assert "We had misread the date of the ANAMA report." in html
    assert "rating changed from" in html
    assert html.index("Contradicted by later evidence", html.index("rating changed from")) < html.index(
        "Unproven", html.index("rating changed from")
    )
    assert "corrected 1 time" in html


def test_claimant_page(client, article_claims):
    response = client.get("/claimants/nikol-pashinyan/")
    html = response.content.decode()
    assert "<h1>Nikol Pashinyan</h1>" in html
    assert "Prime Minister of Armenia" in html
    assert f'href="/claims/{PASHINYAN}/"' in html


def test_methodology_lists_the_scale_with_definitions_and_the_corrections_policy(client, article_claims):
    html = client.get("/methodology/").content.decode()
    for rating in Rating.objects.all():
        assert rating.label in html
        assert rating.definition in html
    assert "Corrections policy" in html
    labels = [r.label for r in Rating.objects.order_by("value")]
    positions = [html.index(f">{label}</span>") for label in labels]
    assert positions == sorted(positions)


def test_corrections_page_newest_first_with_reasons(client, article_claims, correct):
    aliyev = Claim.objects.get(slug=ALIYEV)
    hakobyan = Claim.objects.get(slug=HAKOBYAN)
    correct(aliyev, rating=Rating.objects.get(slug="unproven"), reason="First correction reason.")
    correct(hakobyan, rating=Rating.objects.get(slug="accurate"), reason="Second correction reason.")
    html = client.get("/corrections/").content.decode()
    assert html.index("Second correction reason.") < html.index("First correction reason.")
    assert f"/claims/{ALIYEV}/#correction-" in html


def test_home_shows_the_latest_fact_checks(client, article_claims, build_claim_page):
    newest = build_claim_page(claim_reviewed="The newest fact-check")
    html = client.get("/").content.decode()
    assert html.index("The newest fact-check") < html.index("Iskander was used in the war")
    assert newest.get_absolute_url() in html


def test_unknown_pages_are_404(client, db):
    assert client.get("/claims/no-such-claim/").status_code == 404
    assert client.get("/claimants/no-such-person/").status_code == 404


def test_timeline_entries_cite_their_source(client, article_claims):
    html = page(client, PASHINYAN)
    timeline = html[html.index('<ol class="timeline">') : html.index("</ol>", html.index('<ol class="timeline">'))]
    assert "Source: <cite>Iskander-M mystery looms over Russia-Azerbaijan relations – OPINION</cite>" in timeline
