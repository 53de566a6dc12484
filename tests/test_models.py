"""Database constraints and model validation: what the database itself refuses, with clear errors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Claim, ClaimRelation, DatePrecision, Rating, Verdict, format_partial_date, iso_partial_date
from tests.factories import (
    ClaimantFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    RatingFactory,
    SourceFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db


def test_a_claim_cannot_be_related_to_itself_in_the_database():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimRelation.objects.create(from_claim=claim, to_claim=claim, kind="contradicts")


def test_a_self_relation_is_a_validation_error_on_the_to_claim_field():
    claim = ClaimFactory()
    relation = ClaimRelation(from_claim=claim, to_claim=claim, kind="contradicts")
    with pytest.raises(ValidationError) as excinfo:
        relation.full_clean()
    assert "to_claim" in excinfo.value.message_dict


def test_the_same_relation_twice_is_refused():
    relation = ClaimRelationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimRelation.objects.create(from_claim=relation.from_claim, to_claim=relation.to_claim, kind=relation.kind)


def test_a_claim_has_at_most_one_verdict():
    verdict = VerdictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=verdict.claim)
    assert Verdict.objects.filter(claim=verdict.claim).count() == 1
    assert Claim.objects.get(pk=verdict.claim_id).verdict == verdict


def test_claim_slugs_are_unique():
    ClaimFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(slug="same")


def test_claimant_slugs_are_unique():
    ClaimantFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimantFactory(slug="same")


def test_rating_values_must_be_positive_and_unique():
    RatingFactory(value=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(label="Dup", slug="dup", value=3, definition="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(label="Zero", slug="zero", value=0, definition="x")


def test_rating_colour_must_be_a_hex_colour():
    rating = RatingFactory.build(colour="red")
    with pytest.raises(ValidationError) as excinfo:
        rating.full_clean()
    assert "colour" in excinfo.value.message_dict


def test_a_verdict_cannot_be_approved_by_its_author(reviewer):
    verdict = VerdictFactory(author=reviewer)
    verdict.approved_by = reviewer
    with pytest.raises(ValidationError) as excinfo:
        verdict.full_clean()
    assert "approved_by" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        verdict.save()


def test_a_published_verdict_needs_a_rating_and_an_approver_in_the_database(reviewer):
    verdict = VerdictFactory(author=reviewer, rating=None)
    verdict.published_at = datetime.datetime(2021, 4, 24, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        verdict.save()


def test_claim_reviewed_is_limited_to_75_characters_for_claimreview():
    claim = ClaimFactory.build(claim_reviewed="x" * 76)
    claim.claimant.save()
    claim.appeared_in.save()
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "claim_reviewed" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("day", "precision", "ok"),
    [
        (datetime.date(2020, 11, 1), DatePrecision.MONTH, True),
        (datetime.date(2020, 11, 14), DatePrecision.MONTH, False),
        (datetime.date(2021, 1, 1), DatePrecision.YEAR, True),
        (datetime.date(2021, 4, 1), DatePrecision.YEAR, False),
        (datetime.date(2021, 2, 23), DatePrecision.DAY, True),
    ],
)
def test_dates_known_to_the_month_or_year_are_stored_canonically(day, precision, ok):
    claim = ClaimFactory(stated_on=day, stated_on_precision=precision)
    if ok:
        claim.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            claim.full_clean()
        assert "stated_on" in excinfo.value.message_dict


def test_partial_dates_render_at_their_precision():
    assert format_partial_date(datetime.date(2020, 11, 1), DatePrecision.MONTH) == "November 2020"
    assert format_partial_date(datetime.date(2021, 1, 1), DatePrecision.YEAR) == "2021"
    assert format_partial_date(datetime.date(2021, 2, 23), DatePrecision.DAY) == "23 February 2021"
    assert iso_partial_date(datetime.date(2020, 11, 1), DatePrecision.MONTH) == "2020-11"
    assert iso_partial_date(datetime.date(2021, 1, 1), DatePrecision.YEAR) == "2021"
    assert iso_partial_date(None, DatePrecision.DAY) is None


def test_what_claims_and_evidence_depend_on_cannot_be_deleted():
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)
    verdict = VerdictFactory(claim=claim)
    with pytest.raises(ProtectedError):
        claim.claimant.delete()
    with pytest.raises(ProtectedError):
        claim.appeared_in.delete()
    with pytest.raises(ProtectedError):
        evidence.source.delete()
    with pytest.raises(ProtectedError):
        verdict.rating.delete()


def test_a_source_nothing_depends_on_can_be_deleted():
    source = SourceFactory()
    source.delete()
    assert not type(source).objects.filter(pk=source.pk).exists()


def test_published_scope_needs_status_and_a_published_current_verdict(reviewer, editor):
    from tests.builders import claim_in_review, published_claim

    draft = claim_in_review(reviewer=reviewer)
    public = published_claim(reviewer=reviewer, editor=editor)
    assert list(Claim.objects.published()) == [public]
    assert draft not in Claim.objects.published()
