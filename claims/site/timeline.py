"""The related-claims timeline of a claim page, phrased for the side of the relation being read.

"X retracts Y" is one row; on X's page it reads "Retracts, in 2021, a statement by …", on Y's
page "Retracted in 2021 by the Office of …". Dates keep their precision and are never invented.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, pgettext_lazy

from claims.feed.representations import claim_verdict
from claims.models import (
    Claim,
    Claimant,
    ClaimRelation,
    DatePrecision,
    Verdict,
    format_partial_date,
    iso_partial_date,
)

PASSIVE = {
    ClaimRelation.Kind.RETRACTS: pgettext_lazy("timeline: the claim was …", "Retracted"),
    ClaimRelation.Kind.CONTRADICTS: pgettext_lazy("timeline: the claim was …", "Contradicted"),
    ClaimRelation.Kind.CORROBORATES: pgettext_lazy("timeline: the claim was …", "Corroborated"),
    ClaimRelation.Kind.CLARIFIES: pgettext_lazy("timeline: the claim was …", "Clarified"),
    ClaimRelation.Kind.REPEATS: pgettext_lazy("timeline: the claim was …", "Repeated"),
    ClaimRelation.Kind.SUPERSEDES: pgettext_lazy("timeline: the claim was …", "Superseded"),
}
ACTIVE = {
    ClaimRelation.Kind.RETRACTS: pgettext_lazy("timeline: the claim …", "Retracts"),
    ClaimRelation.Kind.CONTRADICTS: pgettext_lazy("timeline: the claim …", "Contradicts"),
    ClaimRelation.Kind.CORROBORATES: pgettext_lazy("timeline: the claim …", "Corroborates"),
    ClaimRelation.Kind.CLARIFIES: pgettext_lazy("timeline: the claim …", "Clarifies"),
    ClaimRelation.Kind.REPEATS: pgettext_lazy("timeline: the claim …", "Repeats"),
    ClaimRelation.Kind.SUPERSEDES: pgettext_lazy("timeline: the claim …", "Supersedes"),
}


def claimant_reference(claimant: Claimant) -> str:
    """How a sentence names a claimant: organisations take the article ("the Office of …")."""
    name = claimant.name
    if claimant.kind == Claimant.Kind.ORGANISATION and not name.lower().startswith("the "):
        # Translators: English puts "the" before an organisation's name; most languages just keep {name}.
        return gettext("the {name}").format(name=name)
    return name


def date_phrase(value: datetime.date | None, precision: str) -> str:
    """ "on 23 February 2021", "in November 2020", "in 2021"; "" when the date is unknown."""
    if value is None:
        return ""
    date = format_partial_date(value, precision)
    return (
        gettext("on {date}").format(date=date)
        if precision == DatePrecision.DAY
        else gettext("in {date}").format(date=date)
    )


@dataclass(frozen=True)
class TimelineEntry:
    relation: ClaimRelation
    other: Claim
    sentence: str
    date_display: str
    date_iso: str | None
    sort_key: tuple

    @property
    def other_verdict(self) -> Verdict | None:
        return claim_verdict(self.other)


def relation_timeline(claim: Claim) -> list[TimelineEntry]:
    """Entries for the relations a selector prefetched as `public_relations_from`/`_to`."""
    entries = []
    for relation in getattr(claim, "public_relations_from", []):
        other = relation.to_claim
        when = date_phrase(relation.date, relation.date_precision)
        template = (
            gettext("{verb}, {when}, a statement by {claimant}")
            if when
            else gettext("{verb} a statement by {claimant}")
        )
        sentence = template.format(verb=ACTIVE[relation.kind], when=when, claimant=claimant_reference(other.claimant))
        entries.append(_entry(relation, other, sentence))
    for relation in getattr(claim, "public_relations_to", []):
        other = relation.from_claim
        when = date_phrase(relation.date, relation.date_precision)
        template = gettext("{verb} {when} by {claimant}") if when else gettext("{verb} by {claimant}")
        sentence = template.format(verb=PASSIVE[relation.kind], when=when, claimant=claimant_reference(other.claimant))
        entries.append(_entry(relation, other, sentence))
    return sorted(entries, key=lambda e: e.sort_key)


def _entry(relation: ClaimRelation, other: Claim, sentence: str) -> TimelineEntry:
    return TimelineEntry(
        relation=relation,
        other=other,
        sentence=sentence,
        date_display=format_partial_date(relation.date, relation.date_precision),
        date_iso=iso_partial_date(relation.date, relation.date_precision),
        # Undated relations go last; ties keep the order they were recorded in.
        sort_key=(relation.date is None, relation.date or datetime.date.min, relation.pk),
    )
