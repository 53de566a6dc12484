"""The reference data over the API, read-only: claimants and the rating scale."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from claims.api import selectors
from claims.api.base import DETAIL_READ, ReadOnlyAPIViewSet
from claims.api.filters import ClaimantFilter
from claims.api.serializers import ClaimantSerializer, RatingSerializer
from claims.models import Claimant, Rating


@extend_schema_view(list=extend_schema(summary="List claimants"), retrieve=DETAIL_READ)
class ClaimantViewSet(ReadOnlyAPIViewSet[Claimant]):
    serializer_class = ClaimantSerializer
    filterset_class = ClaimantFilter
    kind = "claimant"

    def get_queryset(self) -> QuerySet[Claimant]:
        return selectors.api_claimants(self.request.user)


@extend_schema_view(list=extend_schema(summary="The rating scale"), retrieve=DETAIL_READ)
class RatingViewSet(ReadOnlyAPIViewSet[Rating]):
    serializer_class = RatingSerializer
    kind = "rating"

    def get_queryset(self) -> QuerySet[Rating]:
        return selectors.api_ratings()
