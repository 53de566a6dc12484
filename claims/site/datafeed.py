"""The ClaimReview data feed and the sitemap: what machine consumers read now that Search shows no
ClaimReview rich results (Fact Check Explorer, aggregators, crawlers).

Both list exactly `Claim.objects.published()`, so a withdrawn fact-check leaves them with the
pages. Every public change appends a change-feed event (see `claims.feed.changes`), so the newest event
is the feed's validator: its id makes the ETag, its time `dateModified` and `Last-Modified`.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Greatest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from claims.feed.claimreview import claim_reviews, rating_scale_bounds
from claims.feed.representations import claim_verdict
from claims.languages.translations import translations_prefetches
from claims.links import absolute_url, organization
from claims.models import ChangeEvent, Claim, Rating
from claims.selectors import published_claims

DATAFEED_CHUNK = 500


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    modified: datetime


def datafeed_version() -> FeedVersion:
    """One indexed query: the newest change-feed event names the feed's current state."""
    last = ChangeEvent.objects.order_by("-id").values("id", "occurred_at").first()
    if last is None:
        return FeedVersion(etag='"datafeed-0"', modified=datetime(2000, 1, 1, tzinfo=UTC))
    return FeedVersion(etag=f'"datafeed-{last["id"]}"', modified=last["occurred_at"])


def datafeed_item(claim: Claim, *, scale: tuple[int, int], request: HttpRequest | None = None) -> dict:
    """One `DataFeedItem` (Google's ClaimReview feed shape) holding the page's own ClaimReview."""
    verdict = claim_verdict(claim)
    review, translations = claim_reviews(claim, scale=scale, request=request)
    modified = max(filter(None, [claim.updated_at, verdict.updated_at if verdict else None]))
    review["dateModified"] = modified.isoformat()
    return {
        "@type": "DataFeedItem",
        "url": review["url"],
        "dateCreated": ((verdict.published_at if verdict else None) or claim.created_at).isoformat(),
        "dateModified": modified.isoformat(),
        "item": [review, *translations],  # the page's ClaimReview and one per published translation
    }


def datafeed_chunks(version: FeedVersion, request: HttpRequest | None = None) -> Iterator[str]:
    """The DataFeed as JSON text, one published claim at a time (constant memory at any size).
    Its URLs are absolute for `request` (claims.links.absolute_url)."""
    publisher = organization(request)
    head = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{publisher['name']}: fact-checks (ClaimReview)",
        "url": absolute_url(reverse("api:claimreview-datafeed"), request),
        "publisher": {"@type": "Organization", "name": publisher["name"], "url": publisher["url"]},
        "dateModified": version.modified.isoformat(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": ['
    scale = rating_scale_bounds(list(Rating.objects.all()))
    claims = published_claims().prefetch_related(*translations_prefetches()).order_by("id").iterator(DATAFEED_CHUNK)
    for number, claim in enumerate(claims):
        yield ("" if number == 0 else ",\n") + json.dumps(
            datafeed_item(claim, scale=scale, request=request), ensure_ascii=False
        )
    yield "]}\n"


class PublishedClaimSitemap(Sitemap[Claim]):
    """Every published claim page; `lastmod` is when the page last changed (claim or verdict)."""

    limit = 50000

    def items(self) -> QuerySet[Claim]:
        return (
            Claim.objects.published()
            .annotate(page_modified=Greatest(F("updated_at"), F("verdict__updated_at")))
            .only("slug", "updated_at")
            .order_by("id")
        )

    def lastmod(self, claim: Claim) -> datetime:
        return claim.page_modified  # type: ignore[attr-defined]  # annotated by items()

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default walks every item for the index: one aggregate instead.
        return self.items().aggregate(latest=Max("page_modified"))["latest"]

    def get_urls(
        self,
        page: int | str = 1,
        site: Any = None,  # noqa: ANN401 (Django's Sitemap signature: a Site or RequestSite)
        protocol: str | None = None,
    ) -> list[dict[str, Any]]:
        """Each claim page once (its English address), with its language versions as hreflang
        alternates (paths: the sitemap view makes them absolute). Django's own `i18n = True` would
        list every page once per language and load the whole table to do it."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            claim = url["item"]
            alternates = []
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    alternates.append({"lang_code": code, "location": claim.get_absolute_url()})
            alternates.append({"lang_code": "x-default", "location": alternates[0]["location"]})
            url["alternates"] = alternates
        return urls


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"claims": PublishedClaimSitemap}


def robots_txt(sitemap_url: str) -> str:
    return f"User-agent: *\nDisallow: /admin/\nDisallow: /api/\nAllow: /api/v1/claimreview/\n\nSitemap: {sitemap_url}\n"
