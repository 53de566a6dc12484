"""One chunk of claims with what hangs off them: evidence, verdicts, corrections, relations, history."""

from __future__ import annotations

import datetime
import functools
import inspect
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation

from benchmarks.loadgen.rows import field_defaults, insert_rows, instance_of, with_related
from benchmarks.loadgen.shape import (
    CORRECTED_SHARE,
    ISKANDER_SHARE,
    PROLIFIC_SHARE,
    PUBLISHED_SHARE,
    RELATED_SHARE,
    UNPUBLISHED_STATUSES,
    LoadReport,
    Sentences,
)
from benchmarks.loadgen.vectors import write_placeholder_vectors
from claims.feed.representations import public_claim_representation
from claims.languages import DESK_LANGUAGES
from claims.models import Claim, ClaimRelation, Correction, Evidence, Verdict
from claims.types import User


@dataclass(frozen=True)
class Quotas:
    """Which claim indexes (0..N-1) are published, corrected (among the published), related, the
    prolific claimant's and mention Iskander: exactly round(share × N) of each, drawn with the run's
    seeded generator."""

    published: frozenset[int]
    corrected: frozenset[int]
    related: frozenset[int]
    prolific: frozenset[int]
    iskander: frozenset[int]

    @classmethod
    def draw(cls, rng: random.Random, claims: int) -> Quotas:
        def share(population: Sequence[int], fraction: float) -> frozenset[int]:
            return frozenset(rng.sample(population, round(fraction * claims)))

        published = share(range(claims), PUBLISHED_SHARE)
        return cls(
            published=published,
            corrected=share(sorted(published), CORRECTED_SHARE),
            related=share(range(claims), RELATED_SHARE),
            prolific=share(range(claims), PROLIFIC_SHARE),
            iskander=share(range(claims), ISKANDER_SHARE),
        )


@dataclass
class ChunkState:
    rng: random.Random
    sentences: Sentences
    quotas: Quotas
    run: str
    now: datetime.datetime
    claimants: list
    sources: list
    ratings: list
    reviewer: User
    editor: User
    report: LoadReport
    all_ids: list[int] = field(default_factory=list)
    claim_fields: list[tuple[str, object]] = field(default_factory=lambda: field_defaults(Claim))
    verdict_fields: list[tuple[str, object]] = field(default_factory=lambda: field_defaults(Verdict))
    # A claim page's path with `{slug}` to fill in (what Claim.get_absolute_url reverses).
    claim_path: str = field(
        default_factory=lambda: reverse("claims:claim-detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}")
    )
    # (claim id, payload JSON, published at) and (claim id, payload JSON, reason, made at), made by
    # `build_payloads` from `to_represent` (the published claims' rows) and `corrections_made`
    # (claim id → reason, made at) once the rows are written.
    published_payloads: list[tuple] = field(default_factory=list)
    corrected: list[tuple] = field(default_factory=list)
    to_represent: list[tuple] = field(default_factory=list)
    corrections_made: dict[int, tuple[str, datetime.datetime]] = field(default_factory=dict)


STANCES = list(Evidence.Stance.values)
RELATION_KINDS = list(ClaimRelation.Kind.values)
EPOCH = datetime.date(2015, 1, 1)
FIVE_YEARS_MINUTES = 5 * 365 * 24 * 60


def write_claims_chunk(state: ChunkState, *, first: int, count: int) -> None:
    rng, run, now, report, sentences = state.rng, state.run, state.now, state.report, state.sentences
    claimants, sources, ratings, quotas = state.claimants, state.sources, state.ratings, state.quotas
    prolific = claimants[0]
    # The chunk's draws at once, from the numpy generator the sentences come from: a million
    # `rng.randrange` calls were a twentieth of the main thread at 100k claims.
    draw = sentences.draw
    claimant_picks = draw.integers(len(claimants), size=count).tolist()
    source_picks = draw.integers(len(sources), size=count).tolist()
    stated_days = draw.integers(3650, size=count).tolist()
    status_picks = draw.integers(len(UNPUBLISHED_STATUSES), size=count).tolist()
    published_minutes = draw.integers(FIVE_YEARS_MINUTES, size=count).tolist()
    rows, owners = [], []
    for n, i in enumerate(range(first, first + count)):
        words = sentences(10)
        published = i in quotas.published
        claimant = prolific if i in quotas.prolific else claimants[claimant_picks[n]]
        source = sources[source_picks[n]]
        row = {
            "text": f"The Iskander {words}." if i in quotas.iskander else f"The {words}.",
            "claim_reviewed": f"Claim {i}: {words}"[:75],
            "slug": f"load-{run}-{i}",
            "claimant_id": claimant.pk,
            "stated_on": EPOCH + datetime.timedelta(days=stated_days[n]),
            "appeared_in_id": source.pk,
            # Spread evenly over the desk's languages (issue 21): each is indexed with its own search
            # configuration, so the search rows measure all four.
            "language": DESK_LANGUAGES[i % len(DESK_LANGUAGES)],
            "status": Claim.Status.PUBLISHED.value if published else UNPUBLISHED_STATUSES[status_picks[n]],
            "version": 3 if published else 1,
            # Spread over the last five years, as a desk's output is.
            "first_published_at": now - datetime.timedelta(minutes=published_minutes[n]) if published else None,
        }
        rows.append(row)
        owners.append((claimant, source))
    ids = insert_rows(Claim, rows, state.reviewer, report)
    report.claims += len(ids)
    write_placeholder_vectors(ids, [row["language"] for row in rows])
    state.all_ids.extend(ids)

    # Two or three excerpts a claim, evenly.
    per_claim = (2 + (draw.random(len(ids)) < 0.5)).tolist()
    evidence_sources = iter(draw.integers(len(sources), size=sum(per_claim)).tolist())
    stances = iter(draw.integers(len(STANCES), size=sum(per_claim)).tolist())
    evidence = [
        {
            "claim_id": pk,
            "source_id": sources[next(evidence_sources)].pk,
            "excerpt": f"Excerpt {n} on claim {pk}: {sentences(8)}",
            "stance": STANCES[next(stances)],
            "added_by_id": state.reviewer.pk,
        }
        for pk, excerpts in zip(ids, per_claim, strict=True)
        for n in range(excerpts)
    ]
    report.evidence += len(insert_rows(Evidence, evidence, state.reviewer, report))

    verdicts, verdict_claims = [], []
    for pk, row in zip(ids, rows, strict=True):
        if row["status"] == Claim.Status.PUBLISHED:
            verdicts.append(
                {
                    "claim_id": pk,
                    "rating_id": ratings[rng.randrange(len(ratings))].pk,
                    "headline": f"Verdict on claim {pk}",
                    "rationale": f"Because {sentences(12)}.",
                    "author_id": state.reviewer.pk,
                    "approved_by_id": state.editor.pk,
                    "published_at": row["first_published_at"],
                    "version": 2,
                }
            )
            verdict_claims.append((pk, row))
        elif row["status"] == Claim.Status.IN_REVIEW:
            verdicts.append(
                {
                    "claim_id": pk,
                    "rating_id": ratings[0].pk,
                    "headline": "Draft",
                    "rationale": "Draft.",
                    "author_id": state.reviewer.pk,
                }
            )
    verdict_ids = insert_rows(Verdict, verdicts, state.reviewer, report)
    report.verdicts += len(verdict_ids)

    claims_by_id = {
        pk: (i, row, owner) for i, pk, row, owner in zip(range(first, first + count), ids, rows, owners, strict=True)
    }
    corrections: list[dict] = []
    for verdict_id, verdict_row in zip(verdict_ids, verdicts, strict=True):
        if verdict_row.get("published_at") is not None:
            _published(state, verdict_id, verdict_row, claims_by_id, corrections)
    report.corrections += len(insert_rows(Correction, corrections, state.editor, report))

    # One relation from each related claim to another claim loaded so far (this chunk's included, so
    # there is one whenever N >= 2), drawn evenly among them: a draw that lands on the claim itself takes
    # the last id instead, which the draw leaves out. One relation per claim keeps (from, to, kind) unique.
    relations = []
    loaded = state.all_ids
    for i, pk in zip(range(first, first + count), ids, strict=True):
        if i in quotas.related:
            other = loaded[rng.randrange(len(loaded) - 1)]
            if other == pk:
                other = loaded[-1]
            relations.append(
                {
                    "from_claim_id": pk,
                    "to_claim_id": other,
                    "kind": RELATION_KINDS[rng.randrange(len(RELATION_KINDS))],
                    "note": f"Related: {sentences(5)}",
                }
            )
    report.relations += len(insert_rows(ClaimRelation, relations, state.reviewer, report))


def _published(
    state: ChunkState, verdict_id: int, verdict_row: dict, claims_by_id: dict[int, tuple], corrections: list[dict]
) -> None:
    """A published claim: kept for its change-event payload (`build_payloads`) and, for a corrected
    one, its correction."""
    rng, now, sentences = state.rng, state.now, state.sentences
    pk = verdict_row["claim_id"]
    i, claim_row, owner = claims_by_id[pk]
    state.report.published += 1
    state.to_represent.append((pk, claim_row, owner, verdict_id, verdict_row))
    if i in state.quotas.corrected:
        made_at = min((claim_row["first_published_at"] or now) + datetime.timedelta(days=rng.randrange(1, 60)), now)
        reason = f"Correction: {sentences(6)}."
        corrections.append(
            {
                "claim_id": pk,
                "verdict_id": verdict_id,
                "reason": reason,
                "previous_rating_id": state.ratings[rng.randrange(len(state.ratings))].pk,
                "new_rating_id": verdict_row["rating_id"],
                "made_by_id": state.editor.pk,
                "made_at": made_at,
            }
        )
        state.corrections_made[pk] = (reason, made_at)


# The representation without its per-call switch to the source language (`build_payloads` switches once).
represent_claim = inspect.unwrap(public_claim_representation)


# What orjson leaves to its `default`: lazy strings, decimals, and (passed through) datetimes, dates and
# times, so any would read as the app's own events have them (DjangoJSONEncoder: milliseconds, "Z").
_DJANGO_JSON = DjangoJSONEncoder().default


def payload_json(representation: dict) -> str:
    """A change event's payload as the app writes it (`json.dumps(..., cls=DjangoJSONEncoder)`, the same
    JSON value), by orjson: json.dumps was a third of the payloads' Python at 100k claims. The column is
    jsonb: the text's spacing is not kept."""
    return orjson.dumps(representation, default=_DJANGO_JSON, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()


def build_payloads(state: ChunkState) -> None:
    """The change events' payloads (the public representation as JSON) of the published claims, in the
    order they were written. No query and no random draw: `generate_load` runs it while the server
    rebuilds the indexes, on a core that would otherwise wait (~3 s of Python at 100k claims)."""
    ratings_by_id = {r.pk: r for r in state.ratings}
    now = state.now
    with translation.override(settings.LANGUAGE_CODE):
        for pk, claim_row, (claimant, source), verdict_id, verdict_row in state.to_represent:
            # In-memory objects for the public representation, without queries.
            claim = instance_of(Claim, state.claim_fields, {**claim_row, "id": pk})
            verdict = instance_of(Verdict, state.verdict_fields, {**verdict_row, "id": verdict_id, "updated_at": now})
            with_related(verdict, rating=ratings_by_id[verdict_row["rating_id"]])
            with_related(claim, claimant=claimant, appeared_in=source, verdict=verdict)  # what it reads
            verdict.public_translations = []  # type: ignore[attr-defined]  # a new verdict has none: no query
            claim.confirmed_external_links = []  # type: ignore[attr-defined]  # a new claim has none: no query
            # The page's path, resolved once per run rather than once per claim (60,000 reverse() calls).
            claim.get_absolute_url = functools.partial(state.claim_path.format, slug=claim.slug)  # type: ignore[method-assign]
            payload = payload_json(represent_claim(claim))
            state.published_payloads.append((pk, payload, claim.first_published_at))
            if pk in state.corrections_made:
                reason, made_at = state.corrections_made[pk]
                state.corrected.append((pk, payload, reason, made_at))
    state.to_represent.clear()
