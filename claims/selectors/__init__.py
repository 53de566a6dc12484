"""Read query shapes shared by the public pages and the API (`pages`), the claim page's revision
(`revisions`) and a claim under review as readers last saw it (`under_review`)."""

from claims.selectors.pages import (
    CLAIM_WITH_VERDICT,
    SEARCH_COLUMN,
    SEARCH_FIELDS,
    SEARCH_INDEX_NAME,
    ClaimSearchDocument,
    claim_search_vector,
    claims_with_verdicts,
    confirmed_external_links_prefetch,
    feed_corrections,
    feed_published_verdicts,
    latest_fact_checks,
    public_claim_detail,
    public_claim_list,
    public_claimant_by_key,
    public_claimant_detail,
    public_claimants_with_claims,
    public_corrections,
    public_relations_prefetches,
    public_withdrawals,
    published_claims,
    rating_scale,
    search_claims,
    withdrawal_of,
)
from claims.selectors.revisions import (
    ClaimPageRevision,
    public_claim_revision,
)
from claims.selectors.under_review import (
    public_claim_under_review,
)

__all__ = [
    "CLAIM_WITH_VERDICT",
    "SEARCH_COLUMN",
    "SEARCH_FIELDS",
    "SEARCH_INDEX_NAME",
    "ClaimPageRevision",
    "ClaimSearchDocument",
    "claim_search_vector",
    "claims_with_verdicts",
    "confirmed_external_links_prefetch",
    "feed_corrections",
    "feed_published_verdicts",
    "latest_fact_checks",
    "public_claim_detail",
    "public_claim_list",
    "public_claim_revision",
    "public_claim_under_review",
    "public_claimant_by_key",
    "public_claimant_detail",
    "public_claimants_with_claims",
    "public_corrections",
    "public_relations_prefetches",
    "public_withdrawals",
    "published_claims",
    "rating_scale",
    "search_claims",
    "withdrawal_of",
]
