"""Claims over the API: read (published to the public, every claim to the desk), create (with a quote
anchored in a snapshot, or refused), edit, delete, move through the workflow, and "has this been
checked before?" (`claims/similar/`)."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from claims import selectors as page_selectors
from claims import services
from claims.api import examples, selectors
from claims.api.anchors import AnchorSerializer, claim_anchor, raise_as_field_errors
from claims.api.assignments import ClaimPatchSerializer, assign_from_request, is_assignment
from claims.api.base import (
    ID_PATTERN,
    WITHDRAWN_410,
    ConditionalRetrieveMixin,
    delete_reason,
    move_with_precondition,
    reason_not_in_query,
    response_example,
    writer,
)
from claims.api.conditional import claim_etag, representation_etag, require_if_match
from claims.api.errors import ClaimWithdrawn
from claims.api.filters import ClaimFilter
from claims.api.pagination import IdCursorPagination
from claims.api.permissions import RoleMayWrite
from claims.api.schema import (
    CHANGE_REASON,
    ERROR_400,
    ERROR_409,
    ERROR_412,
    ERROR_428,
    ETAG,
    IF_MATCH,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    FactcheckAutoSchema,
)
from claims.api.serializers import ClaimSerializer, ClaimWriteSerializer, TransitionSerializer
from claims.feed.representations import claim_verdict, verdict_representation, withdrawal_notice
from claims.intake.anchoring import AnchorError
from claims.matching.ranking import Match, find_similar_claims
from claims.models import Claim, SourceSnapshot
from claims.querysets import may_view_unpublished
from claims.services import permissions as perms
from claims.services.errors import REASON_REQUIRED

CLAIM_EXAMPLE = response_example("PashinyanStatement", examples.CLAIM)


class AnchoredClaimWriteSerializer(ClaimWriteSerializer):
    """A claim whose quote is anchored in a snapshot: give `snapshot` and `exact` (the passage as
    you have it; whitespace, quote style and Unicode form may differ). `text` defaults to the
    anchored passage and `appeared_in` to the snapshot's source."""

    snapshot = serializers.PrimaryKeyRelatedField(
        source="quote_snapshot", queryset=SourceSnapshot.objects.all(), required=False, allow_null=True
    )
    exact = serializers.CharField(source="quote_exact", required=False, allow_blank=True, trim_whitespace=False)
    quote_prefix = serializers.CharField(required=False, allow_blank=True, max_length=200, trim_whitespace=False)
    quote_suffix = serializers.CharField(required=False, allow_blank=True, max_length=200, trim_whitespace=False)

    class Meta(ClaimWriteSerializer.Meta):
        fields = [
            name for name in ClaimWriteSerializer.Meta.fields if name not in {"quote_snapshot", "quote_exact"}
        ] + ["snapshot", "exact"]
        extra_kwargs = {"text": {"required": False, "trim_whitespace": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = getattr(self, "initial_data", None)
        if self.instance is None and not (data is not None and hasattr(data, "get") and data.get("snapshot")):
            self.fields["text"].required = True  # only an anchored quote can stand in for the text

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if attrs.get("quote_snapshot") is not None:
            attrs.setdefault("text", "")  # the service fills it with the anchored passage
        return attrs


class ClaimWithAnchorSerializer(serializers.Serializer):
    """The claim (as in `claims/<id>/`) plus `anchor`."""

    anchor = AnchorSerializer()


class SimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    claim_reviewed = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    status_display = serializers.CharField()
    verdict = serializers.DictField(allow_null=True)
    language = serializers.CharField(help_text="The matched claim's language (BCP 47).")
    score = serializers.FloatField(
        help_text="Reciprocal-rank fusion of the semantic (multilingual sentence vectors) and lexical "
        "(trigram + full-text) rankings; higher is closer."
    )
    similarity = serializers.FloatField(
        allow_null=True, help_text="Cosine of the language-centred sentence vectors; null while the claim has none."
    )
    strength = serializers.ChoiceField(
        choices=[("same", "probably the same claim"), ("related", "related")],
        help_text="From thresholds calibrated on benchmarks/matching.",
    )
    admin_url = serializers.CharField()


class SimilarClaimsPageSerializer(serializers.Serializer):
    results = SimilarClaimSerializer(many=True)


def similar_representation(item: Match) -> dict:
    claim = item.claim
    return {
        "id": claim.id,
        "slug": claim.slug,
        "claim_reviewed": claim.claim_reviewed,
        "text": claim.text,
        "status": claim.status,
        "status_display": claim.get_status_display(),
        "verdict": verdict_representation(claim_verdict(claim)),
        "language": claim.language,
        "score": item.score,
        "similarity": item.similarity,
        "strength": item.strength,
        "admin_url": reverse("admin:claims_claim_change", args=[claim.pk]),
    }


@extend_schema_view(
    list=extend_schema(summary="List claims with claimant, source and current verdict", examples=CLAIM_EXAMPLE),
    retrieve=extend_schema(
        summary="One claim (the same representation as change-feed events carry)",
        parameters=[IF_NONE_MATCH, ETAG],
        responses={200: ClaimSerializer, 304: NOT_MODIFIED, 410: WITHDRAWN_410},
        examples=CLAIM_EXAMPLE,
    ),
    create=extend_schema(
        summary="Create a claim (status new); with `snapshot` and `exact` its quote is anchored or refused",
        request=AnchoredClaimWriteSerializer,
        responses={201: ClaimWithAnchorSerializer, 400: ERROR_400},
        parameters=[ETAG],
    ),
    partial_update=extend_schema(
        summary="Edit an unpublished claim, or assign it (assignee, due_on and reason, alone in the request)",
        request=ClaimPatchSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ClaimSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
    destroy=extend_schema(
        summary="Delete a claim that was never published",
        parameters=[IF_MATCH, CHANGE_REASON],
        responses={204: None, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
)
class ClaimViewSet(
    ConditionalRetrieveMixin[Claim],
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
        "create": perms.ADD_CLAIM,
        "partial_update": perms.CHANGE_CLAIM,
        "destroy": perms.DELETE_CLAIM,
        "transitions": services.user_may_move_claims,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    reason_in_delete_body = True  # FactcheckAutoSchema documents the DELETE body

    def get_queryset(self) -> QuerySet[Claim]:
        return selectors.api_claims(self.request.user)

    def etag_for(self, instance: Claim, data: Mapping[str, Any]) -> str:
        if "under_review" in data and not may_view_unpublished(self.request.user):
            # Served as last published: the tag follows that body, not the draft's versions.
            return representation_etag("claim", instance.pk, data)
        return claim_etag(instance)

    def get_object(self) -> Claim:
        try:
            return super().get_object()
        except Http404:
            # A withdrawn fact-check is gone, not unknown: 410 with what was withdrawn, when and why.
            if self.action != "retrieve":
                raise
            withdrawal = page_selectors.withdrawal_of(claim_id=self.kwargs.get(self.lookup_field))
            if withdrawal is None:
                raise
            raise ClaimWithdrawn(withdrawal_notice(withdrawal, self.request)) from None

    def _respond(self, claim_pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        claim = selectors.api_claims(self.request.user).get(pk=claim_pk)
        data = ClaimSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": claim_etag(claim)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AnchoredClaimWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason")
        try:
            claim = services.claim_create(user=writer(request), reason=reason, **fields)
        except AnchorError as error:
            raise_as_field_errors(error, {"quote_exact": "exact", "quote_snapshot": "snapshot"})
        response = self._respond(claim.pk, status.HTTP_201_CREATED)
        response.data = {**response.data, "anchor": claim_anchor(claim)}
        return response

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        if is_assignment(request):  # assignee / due_on: a move of its own (claims.api.assignments)
            assign_from_request(request=request, claim=claim, expected_version=expected_version)
            return self._respond(claim.pk)
        serializer = ClaimWriteSerializer(claim, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "")
        if not reason.strip():
            raise ValidationError({"reason": [REASON_REQUIRED]})
        services.claim_update(
            claim=claim,
            user=writer(request),
            reason=reason,
            expected_version=expected_version,
            **fields,
        )
        return self._respond(claim.pk)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if "reason" in request.query_params:  # refused before anything else: it must not travel there
            raise ValidationError({"reason": [reason_not_in_query()]})
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        reason = delete_reason(request)
        # The ETag was checked on an unlocked read; the service re-checks the version under its row lock.
        services.claim_delete(claim=claim, user=writer(request), reason=reason, expected_version=expected_version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move a claim through the workflow (publish, send back, reopen, withdraw, archive)",
        request=TransitionSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ClaimSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        """The same service as the admin's buttons: locks the claim, checks the move and the role,
        records the reason, and appends to the change feed when the public state changes."""
        claim = self.get_object()
        move = partial(services.claim_transition, claim=claim)
        move_with_precondition(request, claim, etag=claim_etag, body=TransitionSerializer, move=move)
        return self._respond(claim.pk)

    @extend_schema(
        summary="Has this been checked before? The existing claims most similar to a text (desk only)",
        parameters=[OpenApiParameter("text", str, OpenApiParameter.QUERY, required=True)],
        responses={200: SimilarClaimsPageSerializer, 400: ERROR_400},
    )
    @action(detail=False, methods=["get"], url_path="similar")
    def similar(self, request: Request) -> Response:
        """Drafts are included: reviewers and editors only."""
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        if not request.user.has_perm(perms.VIEW_CLAIM):
            raise PermissionDenied()
        text = request.query_params.get("text", "")
        if not text.strip():
            raise serializers.ValidationError({"text": [gettext("Give the text of the claim being entered.")]})
        return Response({"results": [similar_representation(item) for item in find_similar_claims(text)]})
