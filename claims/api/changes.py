"""The change feed, its head, and the ClaimReview feed: read-only views for mirrors and aggregators."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from claims.api import examples, selectors
from claims.api.base import response_example
from claims.api.errors import FeedCursorGone
from claims.api.pagination import IdCursorPagination
from claims.api.schema import ERROR_400, ERROR_410, FactcheckAutoSchema
from claims.api.serializers import ChangeFeedPageSerializer, ClaimReviewSerializer, FeedHeadSerializer
from claims.feed.claimreview import rating_scale_bounds
from claims.feed.cursors import CursorExpired, InvalidCursor, decode_cursor, encode_cursor
from claims.feed.events import event_representation
from claims.languages.translations import translations_prefetches
from claims.models import Claim
from claims.selectors import published_claims

FEED_LIMIT_DEFAULT = 100
FEED_LIMIT_MAX = 500


class ChangeFeedView(APIView):
    """The change feed: every publication, correction and withdrawal of a claim, in commit order.

    Apply events in order: `published`, `corrected`, `under_review` and `translated` → upsert `claim`
    by `claim_id`;
    `withdrawn` → delete `claim_id`. Then poll again with `?after=<next>`.
    """

    schema = FactcheckAutoSchema()

    @extend_schema(
        summary="Change feed: published, corrected, under-review and withdrawn claims after a cursor",
        parameters=[
            OpenApiParameter(
                "after", str, OpenApiParameter.QUERY, description="Cursor (`next` or an event's `cursor`)."
            ),
            OpenApiParameter("limit", int, OpenApiParameter.QUERY, description=f"1–{FEED_LIMIT_MAX}."),
        ],
        responses={200: ChangeFeedPageSerializer, 400: ERROR_400, 410: ERROR_410},
        examples=response_example("PublishedThenWithdrawn", examples.FEED_PAGE),
    )
    def get(self, request: Request) -> Response:
        now = timezone.now()
        limit = self._limit(request)
        after = request.query_params.get("after")
        last_id = 0
        if after is not None:
            try:
                last_id = decode_cursor(after).last_id
            except InvalidCursor as exc:
                raise ValidationError({"after": [str(exc)]}) from exc
            except CursorExpired as exc:
                raise self._gone() from exc
        events = selectors.feed_events_after(last_id, limit)
        if not events and last_id and last_id > selectors.feed_head_id():
            raise self._gone()  # a cursor from a feed that has since been reset
        has_more = len(events) > limit
        events = events[:limit]
        next_id = events[-1].id if events else last_id
        return Response(
            {
                "events": [event_representation(event, now=now, request=request) for event in events],
                "next": encode_cursor(next_id, now),
                "has_more": has_more,
            }
        )

    @staticmethod
    def _limit(request: Request) -> int:
        raw = request.query_params.get("limit")
        if raw is None:
            return FEED_LIMIT_DEFAULT
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= FEED_LIMIT_MAX:
            raise ValidationError(
                {"limit": [gettext("Give a whole number from 1 to {limit}.").format(limit=FEED_LIMIT_MAX)]}
            )
        return limit

    @staticmethod
    def _gone() -> FeedCursorGone:
        return FeedCursorGone(
            {
                "detail": gettext(
                    "This cursor is older than the change feed's retention horizon. Resync: read every "
                    "claim from /api/v1/claims/, then poll /api/v1/changes/?after=<head>."
                ),
                "code": "cursor_expired",
                "resync": "/api/v1/claims/",
                "head": encode_cursor(selectors.feed_head_id()),
            }
        )


class ChangeFeedHeadView(APIView):
    schema = FactcheckAutoSchema()

    @extend_schema(summary="The feed's current head cursor (take it before a full resync)")
    def get(self, request: Request) -> Response:
        return Response({"cursor": encode_cursor(selectors.feed_head_id())})

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]:  # for the schema generator
        return FeedHeadSerializer(*args, **kwargs)


@extend_schema(
    summary="Published fact-checks as schema.org ClaimReview items, for aggregators",
    examples=response_example("PashinyanClaimReview", examples.CLAIM_REVIEW),
)
class ClaimReviewFeedView(generics.ListAPIView):
    schema = FactcheckAutoSchema()
    serializer_class = ClaimReviewSerializer
    pagination_class = IdCursorPagination
    filter_backends = []

    def get_queryset(self) -> QuerySet[Claim]:
        return published_claims().prefetch_related(*translations_prefetches())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "scale": rating_scale_bounds(list(selectors.api_ratings()))}
