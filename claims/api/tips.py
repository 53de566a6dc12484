"""Tips over the API (issue 23).

- `POST tips/` (anyone, JSON): `text`, optional `url`, `language`, `contact_email`, `notify`. 201 with
  the private `status_url`; throttled per client address across instances (429 + Retry-After).
- For the desk (reviewers and editors): `GET tips/` (filters `cluster`, `claim`), `GET tips/{id}/`,
  and the moves on the tip's cluster: `POST tips/{id}/promote/`, `attach/` (`{"claim": id,
  "reason": …}`), `decline/`. A tip stands for its cluster: a move on it moves every tip grouped with it.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.base import ID_PATTERN, writer
from claims.api.pagination import IdCursorPagination
from claims.api.schema import ERROR_409, FactcheckAutoSchema
from claims.links import absolute_url
from claims.models import Claim, Claimant, Tip, TipCluster
from claims.models.tips import PUBLIC_REASON_MAX_LENGTH, TIP_LANGUAGE_MAX_LENGTH
from claims.services import permissions as perms
from claims.services.errors import StateConflictError
from claims.tips import moves, selectors, services
from claims.tips.status_link import tip_status_path
from claims.tips.throttle import TipRateThrottle

NOT_CLUSTERED_YET = gettext_noop(
    "This tip is not grouped yet (the worker clusters it within moments): try again shortly."
)


class TipSubmitSerializer(serializers.Serializer):
    # Lengths are checked by the service (one set of messages for the form and the API).
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    url = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    language = serializers.CharField(required=False, allow_blank=True, max_length=TIP_LANGUAGE_MAX_LENGTH)
    contact_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    notify = serializers.BooleanField(required=False, default=False)


class TipSubmittedSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_url = serializers.URLField()


class TipDeskSerializer(serializers.ModelSerializer):
    # A tip not clustered yet (the worker has not run) has neither: both null.
    cluster_state = serializers.CharField(source="cluster.state", default=None, allow_null=True)
    claim = serializers.IntegerField(source="cluster.claim_id", default=None, allow_null=True)
    has_contact = serializers.SerializerMethodField()

    class Meta:
        model = Tip
        fields = ["id", "text", "url", "language", "created_at", "cluster", "cluster_state", "claim", "has_contact"]

    def get_has_contact(self, tip: Tip) -> bool:
        # The desk learns whether the tipster will be told, never the address itself.
        return bool(tip.notify)


class MoveSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class MovedClusterSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(help_text="The tip's cluster: the move applies to every tip in it.")
    state = serializers.CharField()
    claim = serializers.IntegerField(allow_null=True)


# A move answers the cluster's new state, or 409 when the cluster's state forbids it (or it is not grouped yet).
MOVE_RESPONSES = {200: MovedClusterSerializer, 409: ERROR_409}


class PromoteSerializer(MoveSerializer):
    claimant = serializers.PrimaryKeyRelatedField(queryset=Claimant.objects.all())
    claim_reviewed = serializers.CharField(required=False, allow_blank=True, max_length=75)
    text = serializers.CharField(required=False, allow_blank=True)


class AttachSerializer(MoveSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())


class DeclineSerializer(MoveSerializer):
    kind = serializers.ChoiceField(choices=TipCluster.DeclineKind.choices)
    public_reason = serializers.CharField(required=False, allow_blank=True, max_length=PUBLIC_REASON_MAX_LENGTH)


class NewestFirstPagination(IdCursorPagination):
    ordering = "-id"


class TipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    schema = FactcheckAutoSchema()
    serializer_class = TipDeskSerializer
    pagination_class = NewestFirstPagination
    # Only numeric ids reach the moves: anything else is a 404 from the router, never a 500.
    lookup_value_regex = ID_PATTERN

    def get_throttles(self) -> list:
        if self.action == "create":
            return [TipRateThrottle()]
        return super().get_throttles()

    def check_permissions(self, request: Request) -> None:
        if self.action == "create":
            return  # anyone may send a tip
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        if not request.user.has_perm(perms.VIEW_TIPS):
            raise PermissionDenied()

    def get_queryset(self) -> QuerySet[Tip]:
        params = self.request.query_params
        return selectors.desk_tips(
            cluster_id=_int_or_none(params.get("cluster")), claim_id=_int_or_none(params.get("claim"))
        )

    @extend_schema(request=TipSubmitSerializer, responses={201: TipSubmittedSerializer}, auth=[])
    def create(self, request: Request) -> Response:
        incoming = TipSubmitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        tip = services.tip_submit(**incoming.validated_data)
        status_url = absolute_url(tip_status_path(tip.status_token), request)
        return Response({"status": "received", "status_url": status_url}, status=status.HTTP_201_CREATED)

    def _move(self, request: Request, body_class: type[MoveSerializer], move: Callable[..., object]) -> Response:
        """Validate the body, then make the move on the tip's cluster; answer with the cluster's state."""
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        tip = get_object_or_404(Tip.objects.select_related("cluster"), pk=self.kwargs["pk"])
        if tip.cluster is None:
            raise StateConflictError(gettext(NOT_CLUSTERED_YET), code="not_clustered")
        move(cluster=tip.cluster, user=writer(request), **body.validated_data)
        cluster = TipCluster.objects.get(pk=tip.cluster.pk)
        return Response({"cluster": cluster.pk, "state": cluster.state, "claim": cluster.claim_id})

    @extend_schema(request=PromoteSerializer, responses=MOVE_RESPONSES)
    @action(detail=True, methods=["post"])
    def promote(self, request: Request, pk: str) -> Response:
        return self._move(request, PromoteSerializer, moves.cluster_promote)

    @extend_schema(request=AttachSerializer, responses=MOVE_RESPONSES)
    @action(detail=True, methods=["post"])
    def attach(self, request: Request, pk: str) -> Response:
        return self._move(request, AttachSerializer, moves.cluster_attach)

    @extend_schema(request=DeclineSerializer, responses=MOVE_RESPONSES)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._move(request, DeclineSerializer, moves.cluster_decline)


def _int_or_none(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise serializers.ValidationError({"filter": ["cluster and claim are numeric ids."]}) from exc
