"""A claim reopened for a correction, as readers last saw it: rebuilt from history as of the reopen."""

import datetime
from typing import Any

from django.db.models import (
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)

from claims.languages.translations import load_rating_translations, translations_in_snapshot
from claims.models import (
    Claim,
    Correction,
    CorrectionReview,
    Evidence,
    Verdict,
)
from claims.selectors.pages import claim_page_ratings, confirmed_external_links_prefetch, public_relations_prefetches

# ---------------------------------------------------------------------------------------------
# Reopened for a correction (issue 14): the claim stays public as it was last published. The desk
# edits the claim, verdict and evidence in place meanwhile, so the page rebuilds those three from
# their history as of the reopen; the API and the feed serve the CorrectionReview's snapshot.
# ---------------------------------------------------------------------------------------------


def _as_instance(row: Any, model: type[Any]) -> Any:  # noqa: ANN401  # simple-history's rows are untyped
    """The model instance a history row records. Unlike simple-history's `row.instance`, it does not
    read the fields history leaves out (the claim's public-revision counters) from the live row:
    the page does not show them, and that read would cost one query more."""
    recorded = {field.attname for field in row._meta.fields}
    return model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if f.attname in recorded})


def _last_before(history: QuerySet, as_of: datetime.datetime) -> Any:  # noqa: ANN401  # a simple-history row
    """The newest history row strictly before `as_of` (the reopen's own rows carry later dates)."""
    return history.filter(history_date__lt=as_of).order_by("-history_date", "-history_id").first()


def public_claim_under_review(slug: str) -> tuple[Claim, CorrectionReview]:
    """A claim reopened for a correction as readers last saw it, with everything its page renders,
    and its review: claim (with quote context), verdict and evidence as of the reopen, never the
    desk's draft; corrections, public relations and other fact-checks as they are (a correction
    only comes with the republication, which ends the review). A constant number of queries.
    Raises CorrectionReview.DoesNotExist."""
    from claims.intake.quotes import with_quote_context

    review = CorrectionReview.objects.get(claim__slug=slug)
    as_of = review.opened_at
    claim_row = _last_before(
        with_quote_context(Claim.history.filter(id=review.claim_id)).select_related("claimant", "appeared_in"), as_of
    )
    verdict_row = _last_before(Verdict.history.filter(claim_id=review.claim_id).select_related("rating"), as_of)
    if claim_row is None or verdict_row is None:  # history rewritten outside the app: nothing to show
        raise CorrectionReview.DoesNotExist(f"No published version of {slug} to show.")
    claim = _as_instance(claim_row, Claim)
    claim.claimant, claim.appeared_in = claim_row.claimant, claim_row.appeared_in
    claim.quote_before, claim.quote_after = claim_row.quote_before, claim_row.quote_after
    verdict = _as_instance(verdict_row, Verdict)
    verdict.rating = verdict_row.rating
    Claim.verdict.related.set_cached_value(claim, verdict)
    claim.public_evidence = _evidence_as_of(review.claim_id, as_of)
    prefetch_related_objects(
        [claim],
        Prefetch(
            "corrections",
            queryset=Correction.objects.select_related("previous_rating", "new_rating"),
            to_attr="public_corrections",
        ),
        *public_relations_prefetches(),
        confirmed_external_links_prefetch(),
    )
    # The translations as published then: those in the snapshot readers were last shown.
    verdict.public_translations = translations_in_snapshot(verdict, review.public_snapshot)
    load_rating_translations(claim_page_ratings(claim))
    return claim, review


def _evidence_as_of(claim_id: int, as_of: datetime.datetime) -> list[Evidence]:
    """The claim's evidence as it was at `as_of`, in the page's order: the newest history row of each
    piece before then, unless that row is its deletion. One query (a claim's evidence history)."""
    rows = (
        Evidence.history.filter(claim_id=claim_id, history_date__lt=as_of)
        .select_related("source")
        .order_by("id", "-history_date", "-history_id")
    )
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row.id, row)
    evidence = []
    for row in latest.values():
        if row.history_type == "-":
            continue
        item = _as_instance(row, Evidence)
        item.source = row.source
        # Attachments are served to the public only for published claims (`evidence_files`): while
        # under review the page names no download link that would answer 404.
        item.attachment = None
        evidence.append(item)
    return sorted(evidence, key=lambda item: (item.created_at, item.id))
