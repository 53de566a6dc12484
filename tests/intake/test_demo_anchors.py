"""The demo: the article captured as the fixture source's snapshot, every quote and excerpt anchored."""

import json

import pytest
from django.core.management import call_command

from claims.models import Claim, Evidence, SourceSnapshot
from tests.conftest import ARTICLE_PATH, REPO_ROOT

pytestmark = pytest.mark.django_db


def fixture_fields(model: str) -> dict[int, dict]:
    data = json.loads((REPO_ROOT / "fixtures" / "article_claims.json").read_text(encoding="utf-8"))
    return {obj["pk"]: obj["fields"] for obj in data if obj["model"] == model}


def test_every_fixture_claim_and_excerpt_is_anchored_into_the_article_snapshot(settings, article_text, capsys):
    settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
    call_command("setup_demo")
    out = capsys.readouterr().out
    snapshot = SourceSnapshot.objects.get()
    assert snapshot.text == article_text
    claims, evidence = list(Claim.objects.all()), list(Evidence.objects.all())
    assert f"{len(claims)}/{len(claims)} claims and {len(evidence)}/{len(evidence)} evidence excerpts anchored" in out
    assert len(claims) == 17 and len(evidence) == 12
    fixture_claims = fixture_fields("claims.claim")
    for claim in claims:
        assert claim.quote_anchor_verified, claim.slug
        assert claim.quote_snapshot == snapshot
        assert article_text[claim.quote_start : claim.quote_end] == claim.quote_exact
        # The fixture's own anchors were right: anchoring kept them character for character.
        original = fixture_claims[claim.pk]
        assert (claim.quote_exact, claim.quote_prefix, claim.quote_suffix) == (
            original["quote_exact"],
            original["quote_prefix"],
            original["quote_suffix"],
        ), claim.slug
        assert claim.version == original["version"]  # anchoring is not an edit of the claim
        assert claim.history.first().history_change_reason.startswith("Demo: anchored")
    for item in evidence:
        assert item.excerpt_anchor_verified, item.pk
        assert article_text[item.excerpt_start : item.excerpt_end] == item.excerpt
        unique = item.excerpt_prefix + item.excerpt + item.excerpt_suffix
        assert article_text.count(unique) == 1


def test_setup_demo_twice_captures_once(settings):
    settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
    call_command("setup_demo", verbosity=0)
    rows = Claim.history.count()
    call_command("setup_demo", verbosity=0)
    assert SourceSnapshot.objects.count() == 1
    assert Claim.history.count() == rows


def test_without_the_article_the_demo_loads_with_unverified_anchors(settings, tmp_path, capsys):
    settings.FACTCHECK_DEMO_ARTICLE = tmp_path / "missing.txt"
    call_command("setup_demo")
    assert "the demo's quote anchors stay unverified" in capsys.readouterr().out
    assert Claim.objects.count() == 17
    assert not SourceSnapshot.objects.exists()
    assert not any(claim.quote_anchor_verified for claim in Claim.objects.all())
    assert all(claim.quote_prefix or claim.quote_suffix for claim in Claim.objects.all())  # typed anchors kept
