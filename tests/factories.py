"""factory_boy factories. They save directly (no history user): use services where history matters."""

import datetime

import factory

from claims.models import Claim, Claimant, ClaimRelation, Evidence, Rating, Source, Verdict


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    slug = factory.Sequence(lambda n: f"claimant-{n}")
    kind = Claimant.Kind.PERSON
    role = "Minister"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    publisher = "Example Publisher"
    kind = Source.Kind.NEWS
    published_on = datetime.date(2021, 3, 1)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating
        django_get_or_create = ["value"]

    value = factory.Sequence(lambda n: n + 100)
    label = factory.LazyAttribute(lambda o: f"Rating {o.value}")
    slug = factory.LazyAttribute(lambda o: f"rating-{o.value}")
    definition = "A test rating."


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim text number {n}.")
    claim_reviewed = factory.Sequence(lambda n: f"Claim {n}")
    slug = factory.Sequence(lambda n: f"claim-{n}")
    claimant = factory.SubFactory(ClaimantFactory)
    appeared_in = factory.SubFactory(SourceFactory)
    stated_on = datetime.date(2021, 2, 23)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    excerpt = "An excerpt."
    stance = Evidence.Stance.SUPPORTS


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict

    claim = factory.SubFactory(ClaimFactory)
    rating = factory.SubFactory(RatingFactory)
    headline = "A headline"
    rationale = "Because of the evidence."


class ClaimRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimRelation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    kind = ClaimRelation.Kind.CONTRADICTS
