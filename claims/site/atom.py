"""Atom feed of new and corrected verdicts: published claims only, newest first."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from claims import selectors
from claims.feed.representations import claim_verdict
from claims.languages.translations import load_rating_translations, rating_label
from claims.links import absolute_url
from claims.models import Claim, Correction, Verdict

FEED_LENGTH = 30


@dataclass(frozen=True)
class FeedEntry:
    claim: Claim
    verdict: Verdict | None
    correction: Correction | None
    updated: datetime.datetime
    link: str
    guid: str


class VerdictFeed(Feed[FeedEntry, HttpRequest]):
    feed_type = Atom1Feed
    description_template = "claims/feed_entry.html"

    def title(self) -> str:
        return gettext("{name}: new and corrected verdicts").format(name=settings.FACTCHECK_ORGANIZATION["name"])

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpRequest:
        # The feed's "object" is the request: every URL in it is absolute for the site as served
        # (claims.links.absolute_url), the entry ids included.
        return request

    def link(self, request: HttpRequest) -> str:
        return absolute_url(reverse("claims:home"), request)

    def feed_url(self, request: HttpRequest) -> str:
        return absolute_url(reverse("claims:feed"), request)

    def subtitle(self) -> str:
        return gettext("Every fact-check we publish, and every correction we make to a published verdict.")

    def items(self, request: HttpRequest) -> list[FeedEntry]:
        entries = []
        for claim in selectors.feed_published_verdicts(FEED_LENGTH):
            verdict = claim_verdict(claim)
            assert verdict is not None and verdict.published_at is not None  # the selector's published verdicts
            path = claim.get_absolute_url()
            entries.append(
                FeedEntry(
                    claim=claim,
                    verdict=verdict,
                    correction=None,
                    updated=verdict.published_at,
                    link=absolute_url(path, request),
                    # Atom ids are permanent URIs: one per publication and one per correction.
                    guid=absolute_url(f"{path}#verdict-{verdict.pk}", request),
                )
            )
        for correction in selectors.feed_corrections(FEED_LENGTH):
            link = absolute_url(f"{correction.claim.get_absolute_url()}#correction-{correction.pk}", request)
            entries.append(
                FeedEntry(
                    claim=correction.claim,
                    verdict=None,
                    correction=correction,
                    updated=correction.made_at,
                    link=link,
                    guid=link,
                )
            )
        entries.sort(key=lambda e: e.updated, reverse=True)
        entries = entries[:FEED_LENGTH]
        # The ratings' labels in the feed's language (the URL's prefix): one query for the feed.
        load_rating_translations(
            entry.verdict.rating if entry.verdict else entry.correction.new_rating if entry.correction else None
            for entry in entries
        )
        return entries

    def item_title(self, item: FeedEntry) -> str:
        if item.correction is not None:
            rating = item.correction.new_rating
            if rating:
                return gettext("Corrected: {claim} — now rated {rating}").format(
                    claim=item.correction.claim_reviewed_shown, rating=rating_label(rating)
                )
            return gettext("Corrected: {claim}").format(claim=item.correction.claim_reviewed_shown)
        rating = item.verdict.rating if item.verdict else None
        return "{label}: {claim}".format(
            label=rating_label(rating) if rating else gettext("Fact-check"), claim=item.claim.claim_reviewed
        )

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_guid(self, item: FeedEntry) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedEntry) -> datetime.datetime:
        return item.updated

    def item_updateddate(self, item: FeedEntry) -> datetime.datetime:
        return item.updated

    def item_author_name(self, item: FeedEntry) -> str:
        return settings.FACTCHECK_ORGANIZATION["name"]
