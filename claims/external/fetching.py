"""Fetching a ClaimReview document by URL: the intake's guarded fetcher (claims/intake/net.py), which checks
the address at every redirect hop and caps time and size."""

from claims.intake.net import FetchRefused, fetch_public_url

CLAIMREVIEW_ACCEPT = "text/html, application/ld+json, application/json;q=0.9, */*;q=0.5"


def fetch_document(url: str) -> tuple[bytes, str]:
    """(body, final URL). Raises `FetchRefused` with a clear message."""
    result = fetch_public_url(url, headers={"Accept": CLAIMREVIEW_ACCEPT})
    return result.body, result.url


__all__ = ["FetchRefused", "fetch_document"]
