"""Webhook subscriptions through the API: editors (tokens with the permissions) only.

`/api/v1/webhooks/` list/create, `<id>/` read/change/delete (`If-Match` required), `<id>/test/`,
`<id>/replay/`, `<id>/deliveries/` (the log). Writes carry a `reason` for the history and go
through `claims.push.services`, like the admin's.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from claims.api.base import writer
from claims.api.conditional import digest, require_if_match
from claims.api.pagination import IdCursorPagination
from claims.api.schema import ERROR_412, ERROR_428, ETAG, IF_MATCH, IF_NONE_MATCH, NOT_MODIFIED, FactcheckAutoSchema
from claims.conditional import none_match
from claims.models import ChangeEvent, WebhookDelivery, WebhookSubscription
from claims.push import services as webhook_services
from claims.services import permissions as perms
from claims.services.errors import ConflictError


class EditorModelPermissions(permissions.DjangoModelPermissions):
    """Reading subscriptions shows their secrets: it needs the view permission too."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    event_kinds = serializers.ListField(child=serializers.ChoiceField(choices=ChangeEvent.Kind.choices))
    cursor = serializers.IntegerField(source="cursor.last_event_id", read_only=True)
    reason = serializers.CharField(write_only=True, help_text="Recorded in the history.")

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "name",
            "target_url",
            "event_kinds",
            "is_active",
            "secret",
            "previous_secret",
            "cursor",
            "disabled_reason",
            "disabled_at",
            "created_at",
            "reason",
        ]
        read_only_fields = ["disabled_reason", "disabled_at", "created_at"]
        extra_kwargs = {"secret": {"required": False}}


class ReplaySerializer(serializers.Serializer):
    after_event_id = serializers.IntegerField(min_value=0)
    reason = serializers.CharField()


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "webhook_id",
            "kind",
            "attempt",
            "attempted_at",
            "duration_ms",
            "status_code",
            "succeeded",
            "error",
            "response_excerpt",
        ]


class QueuedSerializer(serializers.Serializer):
    queued = serializers.BooleanField()


_WRITE_RESPONSES = {200: WebhookSubscriptionSerializer, 412: ERROR_412, 428: ERROR_428}


def subscription_etag(subscription: WebhookSubscription) -> str:
    """Strong, with the version the services check (`require_if_match` passes it as expected_version)."""
    data = WebhookSubscriptionSerializer(subscription).data
    return f'"webhook-{subscription.pk}-v{subscription.version}-{digest(data)}"'


def _as_drf_error(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages})


@extend_schema_view(
    list=extend_schema(summary="Webhook subscriptions (editors)"),
    create=extend_schema(summary="Subscribe a partner's endpoint (target checked by the address guard)"),
    retrieve=extend_schema(
        parameters=[IF_NONE_MATCH, ETAG], responses={200: WebhookSubscriptionSerializer, 304: NOT_MODIFIED}
    ),
    update=extend_schema(parameters=[IF_MATCH, ETAG], responses=_WRITE_RESPONSES),
    partial_update=extend_schema(parameters=[IF_MATCH, ETAG], responses=_WRITE_RESPONSES),
    destroy=extend_schema(parameters=[IF_MATCH], responses={204: None, 412: ERROR_412, 428: ERROR_428}),
    test=extend_schema(request=None, responses={202: QueuedSerializer}, summary="Send a signed test event"),
    replay=extend_schema(responses={202: QueuedSerializer}, summary="Deliver again every event after a cursor"),
    deliveries=extend_schema(summary="The delivery log, newest attempts last"),
)
class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    schema = FactcheckAutoSchema()
    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated, EditorModelPermissions]
    pagination_class = IdCursorPagination
    filter_backends = []
    queryset = WebhookSubscription.objects.select_related("cursor")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subscription = self.get_object()
        etag = subscription_etag(subscription)
        if none_match(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(self.get_serializer(subscription).data, headers={"ETag": etag})

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "reason"}
        try:
            subscription = webhook_services.subscription_save(
                subscription=WebhookSubscription(**data),
                user=writer(self.request),
                reason=serializer.validated_data["reason"],
                expected_version=None,
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        serializer.instance = WebhookSubscription.objects.select_related("cursor").get(pk=subscription.pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subscription = self.get_object()
        expected_version = require_if_match(request, subscription, subscription_etag(subscription))
        serializer = self.get_serializer(subscription, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason")
        if not reason:
            raise ValidationError({"reason": ["A reason is required."]})
        for field, value in serializer.validated_data.items():
            if field != "reason":
                setattr(subscription, field, value)
        try:
            webhook_services.subscription_save(
                subscription=subscription, user=writer(request), reason=reason, expected_version=expected_version
            )
        except ConflictError:
            raise
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        subscription = self.get_queryset().get(pk=subscription.pk)
        return Response(self.get_serializer(subscription).data, headers={"ETag": subscription_etag(subscription)})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subscription = self.get_object()
        expected_version = require_if_match(request, subscription, subscription_etag(subscription))
        reason = (request.data.get("reason") if hasattr(request.data, "get") else None) or ""
        if not reason.strip():
            raise ValidationError({"reason": ["A reason is required."]})
        webhook_services.subscription_delete(
            subscription=subscription, user=writer(request), reason=reason, expected_version=expected_version
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        if not request.user.has_perm(perms.REPLAY_WEBHOOKS):
            self.permission_denied(request)
        webhook_services.subscription_send_test(subscription=self.get_object())
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"], serializer_class=ReplaySerializer)
    def replay(self, request: Request, pk: str | None = None) -> Response:
        if not request.user.has_perm(perms.REPLAY_WEBHOOKS):
            self.permission_denied(request)
        serializer = ReplaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            webhook_services.subscription_replay(
                subscription=self.get_object(), user=writer(request), **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer)
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        subscription = self.get_object()
        page = self.paginate_queryset(WebhookDelivery.objects.filter(subscription=subscription))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
