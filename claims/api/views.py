"""API views: thin doors onto the selectors (reads) and the workflow services (writes).

Scopes come from `claims.api.selectors` (built on `Claim.objects.published()` / `visible_to`);
rules, locks and the change feed's appends happen in `claims.services`.
"""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from knox import views as knox_views
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors as selectors_pages
from claims import services
from claims.claimreview import claim_review, rating_scale_bounds
from claims.representations import with_absolute_url, withdrawal_notice
from claims.selectors import published_claims
from claims.services import WorkflowError

from . import examples, selectors
from .conditional import (
    claim_etag,
    none_match,
    representation_etag,
    require_if_match,
    verdict_etag,
)
from .errors import ClaimWithdrawn, FeedCursorGone
from .feed import InvalidCursor, decode_cursor, encode_cursor, horizon
from .filters import ClaimantFilter, ClaimFilter, EvidenceFilter, SourceFilter, VerdictFilter
from .pagination import IdCursorPagination
from .permissions import RoleMayWrite
from .schema import (
    ERROR_400,
    ERROR_409,
    ERROR_410,
    ERROR_412,
    ERROR_428,
    ETAG,
    IF_MATCH,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    FactcheckAutoSchema,
)
from .serializers import (
    ChangeFeedPageSerializer,
    ClaimantSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    EvidenceSerializer,
    FeedHeadSerializer,
    RatingSerializer,
    SourceSerializer,
    TransitionSerializer,
    VerdictCorrectionSerializer,
    VerdictDraftSerializer,
    VerdictEditSerializer,
    VerdictSerializer,
    WithdrawalNoticeSerializer,
)

REASON_PARAM = OpenApiParameter(
    "reason", str, OpenApiParameter.QUERY, required=True, description="Why: recorded in history."
)
REASON_REQUIRED = "A reason is required."
VERDICT_EXISTS = "This claim already has a verdict: edit it (PATCH) instead."
VERDICT_NOT_CURRENT = "This verdict has been superseded; edit the claim's current verdict."


class ConditionalRetrieveMixin:
    """GET of one object with a strong ETag; `If-None-Match` with that ETag gets 304 and no body."""

    def etag_for(self, instance, data) -> str:
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = self.etag_for(instance, data)
        if none_match(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})


# Ids up to 18 digits fit the database's bigint; longer ones are 404 at routing, not an overflow.
ID_PATTERN = r"[0-9]{1,18}"


class ReadOnlyAPIViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    schema = FactcheckAutoSchema()
    lookup_value_regex = ID_PATTERN
    pagination_class = IdCursorPagination
    kind = ""

    def etag_for(self, instance, data) -> str:
        return representation_etag(self.kind, instance.pk, data)


DETAIL_READ = extend_schema(parameters=[IF_NONE_MATCH, ETAG], responses={200: None, 304: NOT_MODIFIED})


def response_example(name: str, value) -> list[OpenApiExample]:
    return [OpenApiExample(name, value=value, response_only=True, status_codes=["200"])]


WITHDRAWN_410 = OpenApiResponse(
    WithdrawalNoticeSerializer, description="The fact-check was withdrawn: what, when and why (`detail`, `reason`)."
)
CLAIM_EXAMPLE = response_example("PashinyanStatement", examples.CLAIM)
VERDICT_EXAMPLE = response_example("PashinyanVerdict", examples.VERDICT)


@extend_schema_view(
    list=extend_schema(summary="List claims with claimant, source and current verdict", examples=CLAIM_EXAMPLE),
    retrieve=extend_schema(
        summary="One claim (the same representation as change-feed events carry)",
        parameters=[IF_NONE_MATCH, ETAG],
        responses={200: ClaimSerializer, 304: NOT_MODIFIED, 410: WITHDRAWN_410},
        examples=CLAIM_EXAMPLE,
    ),
    create=extend_schema(
        summary="Create a claim (status new)",
        request=ClaimWriteSerializer,
        responses={201: ClaimSerializer, 400: ERROR_400},
        parameters=[ETAG],
    ),
    partial_update=extend_schema(
        summary="Edit an unpublished claim",
        request=ClaimWriteSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ClaimSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
    destroy=extend_schema(
        summary="Delete a claim that was never published",
        parameters=[IF_MATCH, REASON_PARAM],
        responses={204: None, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
)
class ClaimViewSet(
    ConditionalRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Claims. The public sees published claims only; reviewers and editors see every claim."""

    schema = FactcheckAutoSchema()
    lookup_value_regex = ID_PATTERN
    serializer_class = ClaimSerializer
    pagination_class = IdCursorPagination
    filterset_class = ClaimFilter
    permission_classes = [RoleMayWrite]
    write_permissions = {
        "create": "claims.add_claim",
        "partial_update": "claims.change_claim",
        "destroy": "claims.delete_claim",
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.api_claims(self.request.user)

    def etag_for(self, instance, data) -> str:
        return claim_etag(instance)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # A withdrawn fact-check is gone, not unknown: 410 with what was withdrawn, when and why.
            withdrawal = selectors_pages.withdrawal_of(claim_id=self.kwargs.get(self.lookup_field))
            if withdrawal is not None and self.action == "retrieve":
                raise ClaimWithdrawn(withdrawal_notice(withdrawal, self.request)) from None
            raise

    def _respond(self, claim_pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        claim = selectors.api_claims(self.request.user).get(pk=claim_pk)
        data = ClaimSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": claim_etag(claim)})

    def create(self, request, *args, **kwargs):
        serializer = ClaimWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason")
        claim = services.claim_create(user=request.user, reason=reason, **fields)
        return self._respond(claim.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        serializer = ClaimWriteSerializer(claim, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "")
        if not reason.strip():
            raise ValidationError({"reason": [REASON_REQUIRED]})
        services.claim_update(
            claim=claim,
            user=request.user,
            reason=reason,
            expected_version=expected_version,
            **fields,
        )
        return self._respond(claim.pk)

    def destroy(self, request, *args, **kwargs):
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        reason = request.query_params.get("reason", "")
        if not reason.strip():
            raise ValidationError({"reason": [REASON_REQUIRED]})
        # The ETag was checked on an unlocked read; the service re-checks the version under its row lock.
        services.claim_delete(claim=claim, user=request.user, reason=reason, expected_version=expected_version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move a claim through the workflow (publish, send back, reopen, archive)",
        request=TransitionSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ClaimSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        """The same service as the admin's buttons: locks the claim, checks the move and the role,
        records the reason, and appends to the change feed when the public state changes."""
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.claim_transition(
            claim=claim,
            user=request.user,
            expected_version=expected_version,
            **serializer.validated_data,
        )
        return self._respond(claim.pk)


@extend_schema_view(
    list=extend_schema(summary="List verdicts", examples=VERDICT_EXAMPLE),
    retrieve=extend_schema(
        parameters=[IF_NONE_MATCH, ETAG], responses={200: None, 304: NOT_MODIFIED}, examples=VERDICT_EXAMPLE
    ),
    create=extend_schema(
        summary="Draft the verdict of a claim that has none",
        request=VerdictDraftSerializer,
        parameters=[ETAG],
        responses={201: VerdictSerializer, 400: ERROR_400, 409: ERROR_409},
    ),
    partial_update=extend_schema(
        summary="Edit the draft verdict of an unpublished claim",
        request=VerdictEditSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: VerdictSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
)
class VerdictViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyAPIViewSet):
    """Verdicts with their rating. The public sees the current verdicts of published claims."""

    serializer_class = VerdictSerializer
    filterset_class = VerdictFilter
    permission_classes = [RoleMayWrite]
    write_permissions = {
        "create": "claims.change_verdict",
        "partial_update": "claims.change_verdict",
        "corrections": "claims.correct_verdict",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.api_verdicts(self.request.user)

    def etag_for(self, instance, data) -> str:
        return verdict_etag(instance)

    def _respond(self, verdict_pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        verdict = selectors.api_verdicts(self.request.user).get(pk=verdict_pk)
        return Response(VerdictSerializer(verdict).data, status=status_code, headers={"ETag": verdict_etag(verdict)})

    def create(self, request, *args, **kwargs):
        serializer = VerdictDraftSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        claim = data.pop("claim")
        if claim.verdicts.filter(is_current=True).exists():
            raise WorkflowError(VERDICT_EXISTS, code="verdict_exists")
        verdict = services.verdict_save_draft(claim=claim, user=request.user, **data)
        return self._respond(verdict.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        verdict = self.get_object()
        expected_version = require_if_match(request, verdict, verdict_etag(verdict))
        if not verdict.is_current:
            raise WorkflowError(VERDICT_NOT_CURRENT, code="verdict_not_current")
        serializer = VerdictEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {
            "rating": verdict.rating,
            "headline": verdict.headline,
            "rationale": verdict.rationale,
            **serializer.validated_data,
        }
        services.verdict_save_draft(claim=verdict.claim, user=request.user, expected_version=expected_version, **data)
        return self._respond(verdict.pk)

    @extend_schema(
        summary="Correct the verdict of a published claim, with a public reason (appends `corrected` to the feed)",
        request=VerdictCorrectionSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: VerdictSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    )
    @action(detail=True, methods=["post"], url_path="corrections")
    def corrections(self, request, pk=None):
        verdict = self.get_object()
        expected_version = require_if_match(request, verdict, verdict_etag(verdict))
        serializer = VerdictCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.verdict_correct(
            verdict=verdict, user=request.user, expected_version=expected_version, **serializer.validated_data
        )
        return self._respond(verdict.pk)


@extend_schema_view(list=extend_schema(summary="List claimants"), retrieve=DETAIL_READ)
class ClaimantViewSet(ReadOnlyAPIViewSet):
    serializer_class = ClaimantSerializer
    filterset_class = ClaimantFilter
    kind = "claimant"

    def get_queryset(self):
        return selectors.api_claimants(self.request.user)


@extend_schema_view(list=extend_schema(summary="List sources"), retrieve=DETAIL_READ)
class SourceViewSet(ReadOnlyAPIViewSet):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    kind = "source"

    def get_queryset(self):
        return selectors.api_sources(self.request.user)


@extend_schema_view(list=extend_schema(summary="List evidence"), retrieve=DETAIL_READ)
class EvidenceViewSet(ReadOnlyAPIViewSet):
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    kind = "evidence"

    def get_queryset(self):
        return selectors.api_evidence(self.request.user)


@extend_schema_view(list=extend_schema(summary="The rating scale"), retrieve=DETAIL_READ)
class RatingViewSet(ReadOnlyAPIViewSet):
    serializer_class = RatingSerializer
    kind = "rating"

    def get_queryset(self):
        return selectors.api_ratings()


FEED_LIMIT_DEFAULT = 100
FEED_LIMIT_MAX = 500


class ChangeFeedView(APIView):
    """The change feed: every publication, correction and withdrawal of a claim, in commit order.

    Apply events in order: `published` and `corrected` → upsert `claim` by `claim_id`;
    `withdrawn` → delete `claim_id`. Then poll again with `?after=<next>`.
    """

    schema = FactcheckAutoSchema()

    @extend_schema(
        summary="Change feed: published, corrected and withdrawn claims after a cursor",
        parameters=[
            OpenApiParameter(
                "after", str, OpenApiParameter.QUERY, description="Cursor (`next` or an event's `cursor`)."
            ),
            OpenApiParameter("limit", int, OpenApiParameter.QUERY, description=f"1–{FEED_LIMIT_MAX}."),
        ],
        responses={200: ChangeFeedPageSerializer, 400: ERROR_400, 410: ERROR_410},
        examples=response_example("PublishedThenWithdrawn", examples.FEED_PAGE),
    )
    def get(self, request):
        now = timezone.now()
        limit = self._limit(request)
        after = request.query_params.get("after")
        last_id = 0
        if after is not None:
            try:
                cursor = decode_cursor(after)
            except InvalidCursor as exc:
                raise ValidationError({"after": [str(exc)]}) from exc
            if cursor.issued_at < horizon(now):
                raise self._gone()
            last_id = cursor.last_id
        events = selectors.feed_events_after(last_id, limit)
        if not events and last_id and last_id > selectors.feed_head_id():
            raise self._gone()  # a cursor from a feed that has since been reset
        has_more = len(events) > limit
        events = events[:limit]
        next_id = events[-1].id if events else last_id
        return Response(
            {
                "events": [
                    {
                        "cursor": encode_cursor(event.id, now),
                        "id": event.id,
                        "claim_id": event.claim_id,
                        "kind": event.kind,
                        "claim": with_absolute_url(event.payload, request),
                        "reason": event.reason,
                        "occurred_at": serializers.DateTimeField().to_representation(event.occurred_at),
                    }
                    for event in events
                ],
                "next": encode_cursor(next_id, now),
                "has_more": has_more,
            }
        )

    @staticmethod
    def _limit(request) -> int:
        raw = request.query_params.get("limit")
        if raw is None:
            return FEED_LIMIT_DEFAULT
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= FEED_LIMIT_MAX:
            raise ValidationError({"limit": [f"Give a whole number from 1 to {FEED_LIMIT_MAX}."]})
        return limit

    @staticmethod
    def _gone() -> FeedCursorGone:
        return FeedCursorGone(
            {
                "detail": "This cursor is older than the change feed's retention horizon. Resync: read every "
                "claim from /api/v1/claims/, then poll /api/v1/changes/?after=<head>.",
                "code": "cursor_expired",
                "resync": "/api/v1/claims/",
                "head": encode_cursor(selectors.feed_head_id()),
            }
        )


class ChangeFeedHeadView(APIView):
    schema = FactcheckAutoSchema()

    @extend_schema(summary="The feed's current head cursor (take it before a full resync)")
    def get(self, request):
        return Response({"cursor": encode_cursor(selectors.feed_head_id())})

    def get_serializer(self, *args, **kwargs):  # for the schema generator
        return FeedHeadSerializer(*args, **kwargs)


class ClaimReviewSerializer(serializers.Serializer):
    """A schema.org ClaimReview (Google's fact-check profile), as the claim pages embed it."""

    def get_fields(self):
        return {
            "@context": serializers.CharField(),
            "@type": serializers.CharField(),
            "url": serializers.URLField(),
            "claimReviewed": serializers.CharField(),
            "itemReviewed": serializers.DictField(),
            "author": serializers.DictField(),
            "reviewRating": serializers.DictField(),
            "datePublished": serializers.CharField(allow_null=True),
            "inLanguage": serializers.CharField(),
        }

    def to_representation(self, instance):
        return claim_review(instance, scale=self.context["scale"], request=self.context.get("request"))


@extend_schema(
    summary="Published fact-checks as schema.org ClaimReview items, for aggregators",
    examples=response_example("PashinyanClaimReview", examples.CLAIM_REVIEW),
)
class ClaimReviewFeedView(generics.ListAPIView):
    schema = FactcheckAutoSchema()
    serializer_class = ClaimReviewSerializer
    pagination_class = IdCursorPagination
    filter_backends = []

    def get_queryset(self):
        return published_claims()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scale": rating_scale_bounds(list(selectors.api_ratings()))}


class TokenSerializer(serializers.Serializer):
    expiry = serializers.DateTimeField(allow_null=True)
    token = serializers.CharField()


@extend_schema(
    summary="Get an API token (HTTP Basic or session); tokens are stored hashed and revocable",
    request=None,
    responses={200: TokenSerializer},
)
class LoginView(knox_views.LoginView):
    schema = FactcheckAutoSchema()
    authentication_classes = [BasicAuthentication, SessionAuthentication]

    def get_user_serializer_class(self):
        return None


@extend_schema(summary="Revoke the token used for this request", request=None, responses={204: None})
class LogoutView(knox_views.LogoutView):
    schema = FactcheckAutoSchema()


@extend_schema(summary="Revoke all of this user's tokens", request=None, responses={204: None})
class LogoutAllView(knox_views.LogoutAllView):
    schema = FactcheckAutoSchema()
