"""Atom feed of new and corrected verdicts: published claims only, newest first."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors
from .models import Claim, Correction, Verdict
from .representations import absolute_url, claim_verdict

FEED_LENGTH = 30


@dataclass(frozen=True)
class FeedEntry:
    claim: Claim
    verdict: Verdict | None
    correction: Correction | None
    updated: datetime.datetime


class VerdictFeed(Feed):
    feed_type = Atom1Feed
    description_template = "claims/feed_entry.html"

    def title(self):
        return f"{settings.FACTCHECK_ORGANIZATION['name']}: new and corrected verdicts"

    def link(self):
        return reverse("claims:home")

    def subtitle(self):
        return "Every fact-check we publish, and every correction we make to a published verdict."

    def items(self):
        entries = []
        for claim in selectors.feed_published_verdicts(FEED_LENGTH):
            verdict = claim_verdict(claim)
            entries.append(FeedEntry(claim=claim, verdict=verdict, correction=None, updated=verdict.published_at))
        for correction in selectors.feed_corrections(FEED_LENGTH):
            entries.append(
                FeedEntry(claim=correction.claim, verdict=None, correction=correction, updated=correction.made_at)
            )
        entries.sort(key=lambda e: e.updated, reverse=True)
        return entries[:FEED_LENGTH]

    def item_title(self, item: FeedEntry):
        if item.correction is not None:
            rating = item.correction.new_rating
            return f"Corrected: {item.claim.claim_reviewed}" + (f" — now rated {rating.label}" if rating else "")
        return f"{item.verdict.rating.label}: {item.claim.claim_reviewed}"

    def item_link(self, item: FeedEntry):
        url = item.claim.get_absolute_url()
        return f"{url}#correction-{item.correction.pk}" if item.correction else url

    def item_guid(self, item: FeedEntry):
        # Atom ids are permanent URIs: one per publication and one per correction.
        if item.correction is not None:
            return absolute_url(self.item_link(item))
        return absolute_url(f"{item.claim.get_absolute_url()}#verdict-{item.verdict.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedEntry):
        return item.updated

    def item_updateddate(self, item: FeedEntry):
        return item.updated

    def item_author_name(self, item: FeedEntry):
        return settings.FACTCHECK_ORGANIZATION["name"]
