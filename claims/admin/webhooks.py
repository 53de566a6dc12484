"""The desk's webhook pages: subscriptions (editors), their delivery log, test and replay."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims.admin.base import REASON_FIELD, ReadOnlyAdmin, ReasonRequiredAdmin, VersionedForm, desk_user, reason_field
from claims.models import ChangeEvent, WebhookDelivery, WebhookSubscription
from claims.push import services as webhook_services
from claims.services import permissions as perms
from claims.services.errors import ConflictError
from claims.services.reasons import reason_in_language

RECENT_DELIVERIES_SHOWN = 20


class WebhookSubscriptionForm(VersionedForm):
    change_reason = reason_field()
    target_url = forms.URLField(max_length=2000, assume_scheme="https", help_text=_("Public http(s) address."))
    event_kinds = forms.MultipleChoiceField(
        choices=ChangeEvent.Kind.choices, widget=forms.CheckboxSelectMultiple, help_text=_("Events to send.")
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "target_url", "event_kinds", "is_active", "secret", "previous_secret"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        if self.instance.pk is not None:
            # Locked until the save that follows commits (the admin's change view is one transaction).
            try:
                webhook_services.subscription_lock_for_edit(
                    subscription_id=self.instance.pk, expected_version=cleaned.get("expected_version")
                )
            except ConflictError as error:
                raise forms.ValidationError(error.messages) from error
        return cleaned


class ReplayForm(forms.Form):
    after_event_id = forms.IntegerField(
        min_value=0, label=_("Replay events after #"), help_text=_("0 replays the whole retained feed.")
    )
    change_reason = reason_field()


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReasonRequiredAdmin[WebhookSubscription]):
    form = WebhookSubscriptionForm
    list_display = ["name", "target_url", "is_active", "cursor_position", "why_disabled"]
    list_filter = ["is_active"]
    list_select_related = ["cursor"]
    search_fields = ["name", "target_url"]
    readonly_fields = ["delivery_state", "why_disabled", "disabled_at", "created_by", "recent_deliveries"]
    actions = ["send_test_event"]

    @admin.display(description=WebhookSubscription._meta.get_field("disabled_reason").verbose_name)
    def why_disabled(self, obj: WebhookSubscription) -> str:
        """The worker writes it in English (claims.services.reasons): shown in the desk's language."""
        return reason_in_language(obj.disabled_reason)

    @admin.display(description=_("Cursor"))
    def cursor_position(self, obj: WebhookSubscription) -> str:
        return f"#{obj.cursor.last_event_id}" if hasattr(obj, "cursor") else "—"

    @admin.display(description=_("Delivery state"))
    def delivery_state(self, obj: WebhookSubscription) -> str:
        if obj.pk is None or not hasattr(obj, "cursor"):
            return gettext("Starts at the feed's current head.")
        cursor = obj.cursor
        head = ChangeEvent.objects.aggregate(head=Max("id"))["head"] or 0
        text = gettext("Delivered up to event #{event} (feed head #{head}).").format(
            event=cursor.last_event_id, head=head
        )
        if cursor.failing_since:
            since = f"{cursor.failing_since:%Y-%m-%d %H:%M:%S}"
            if cursor.next_attempt_at:
                text += " " + ngettext(
                    "Failing since {since} UTC, {count} failed attempt; next attempt {next} UTC.",
                    "Failing since {since} UTC, {count} failed attempts; next attempt {next} UTC.",
                    cursor.attempts,
                ).format(since=since, count=cursor.attempts, next=f"{cursor.next_attempt_at:%Y-%m-%d %H:%M:%S}")
            else:
                text += " " + gettext("Failing since {since} UTC.").format(since=since)
        return text

    @admin.display(description=_("Recent deliveries"))
    def recent_deliveries(self, obj: WebhookSubscription) -> str:
        if obj.pk is None:
            return "—"
        rows = obj.deliveries.order_by("-id")[:RECENT_DELIVERIES_SHOWN]
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{d.attempted_at:%Y-%m-%d %H:%M:%S}",
                    d.webhook_id,
                    d.attempt,
                    d.status_code or "—",
                    d.duration_ms,
                    d.error or "ok",
                    d.response_excerpt[:120],
                )
                for d in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>time</th><th>webhook-id</th><th>attempt</th><th>status</th><th>duration</th>"
            "<th>result</th><th>response</th></tr></thead><tbody>{}</tbody></table>"
            '<p><a href="{}?subscription__id__exact={}">Full delivery log</a> · '
            '<a href="{}">Replay from a cursor…</a></p>',
            body,
            reverse("admin:claims_webhookdelivery_changelist"),
            obj.pk,
            reverse("admin:claims_webhooksubscription_replay", args=[obj.pk]),
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:object_id>/replay/",
                self.admin_site.admin_view(self.replay_view),
                name="claims_webhooksubscription_replay",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form: forms.ModelForm, change: bool) -> None:
        webhook_services.subscription_save(
            subscription=obj,
            user=desk_user(request),
            reason=form.cleaned_data[REASON_FIELD],
            expected_version=form.cleaned_data.get("expected_version"),
        )

    def get_form(
        self, request: HttpRequest, obj: WebhookSubscription | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form_class = super().get_form(request, obj, change, **kwargs)

        class CheckedForm(form_class):  # type: ignore[valid-type, misc]  # the form class get_form built
            def _post_clean(self) -> None:
                super()._post_clean()
                try:
                    webhook_services.subscription_target_check(self.instance)
                except ValidationError as error:
                    self.add_error(None, error)

        return CheckedForm

    @admin.action(description=_("Send a test event to the selected subscriptions"), permissions=["replay"])
    def send_test_event(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:
            webhook_services.subscription_send_test(subscription=subscription)
        count = queryset.count()
        messages.success(
            request,
            ngettext(
                "Test events queued for {count} subscription; see its log.",
                "Test events queued for {count} subscriptions; see their logs.",
                count,
            ).format(count=count),
        )

    def has_replay_permission(self, request: HttpRequest, obj: WebhookSubscription | None = None) -> bool:
        return request.user.has_perm(perms.REPLAY_WEBHOOKS)

    def replay_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        subscription = self.get_object(request, str(object_id))
        if subscription is None:
            return HttpResponseRedirect(reverse("admin:claims_webhooksubscription_changelist"))
        if not self.has_replay_permission(request, subscription):
            raise PermissionDenied
        form = ReplayForm(request.POST or None, initial={"after_event_id": subscription.cursor.last_event_id})
        if request.method == "POST" and form.is_valid():
            try:
                webhook_services.subscription_replay(
                    subscription=subscription,
                    after_event_id=form.cleaned_data["after_event_id"],
                    user=desk_user(request),
                    reason=form.cleaned_data[REASON_FIELD],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, gettext("Replay queued: the worker sends the events again, in order."))
                return HttpResponseRedirect(reverse("admin:claims_webhooksubscription_change", args=[object_id]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": subscription,
            "form": form,
            "title": gettext("Replay events to {subscription}").format(subscription=subscription),
        }
        return TemplateResponse(request, "admin/claims/webhooksubscription/replay.html", context)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: append-only, read here."""

    list_display = [
        "attempted_at",
        "subscription",
        "webhook_id",
        "kind",
        "attempt",
        "status_code",
        "duration_ms",
        "succeeded",
        "error",
    ]
    list_filter = ["succeeded", "subscription"]
    # The log grows without bound: no second, unfiltered COUNT(*) over it.
    show_full_result_count = False
    list_select_related = ["subscription"]
    search_fields = ["webhook_id", "error"]
