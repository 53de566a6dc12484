"""The desk's webhook pages: subscriptions (editors), their delivery log, test and replay."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import ChangeEvent, WebhookDelivery, WebhookSubscription
from ..webhooks import services as webhook_services
from .base import REASON_FIELD, ReadOnlyAdmin, ReasonForm, ReasonRequiredAdmin, reason_field

RECENT_DELIVERIES_SHOWN = 20


class WebhookSubscriptionForm(ReasonForm):
    target_url = forms.URLField(max_length=2000, assume_scheme="https", help_text=_("Public http(s) address."))
    event_kinds = forms.MultipleChoiceField(
        choices=ChangeEvent.Kind.choices, widget=forms.CheckboxSelectMultiple, help_text=_("Events to send.")
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "target_url", "event_kinds", "is_active", "secret", "previous_secret"]


class ReplayForm(forms.Form):
    after_event_id = forms.IntegerField(
        min_value=0, label=_("Replay events after #"), help_text=_("0 replays the whole retained feed.")
    )
    change_reason = reason_field()


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReasonRequiredAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "target_url", "is_active", "cursor_position", "disabled_reason"]
    list_filter = ["is_active"]
    list_select_related = ["cursor"]
    search_fields = ["name", "target_url"]
    readonly_fields = ["delivery_state", "disabled_reason", "disabled_at", "created_by", "recent_deliveries"]
    actions = ["send_test_event"]

    @admin.display(description=_("Cursor"))
    def cursor_position(self, obj):
        return f"#{obj.cursor.last_event_id}" if hasattr(obj, "cursor") else "—"

    @admin.display(description=_("Delivery state"))
    def delivery_state(self, obj):
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
    def recent_deliveries(self, obj):
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

    def get_urls(self):
        return [
            path(
                "<int:object_id>/replay/",
                self.admin_site.admin_view(self.replay_view),
                name="claims_webhooksubscription_replay",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        webhook_services.subscription_save(subscription=obj, user=request.user, reason=form.cleaned_data[REASON_FIELD])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class CheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                try:
                    webhook_services.check_target(self.instance)
                except ValidationError as error:
                    self.add_error(None, error)

        return CheckedForm

    @admin.action(description=_("Send a test event to the selected subscriptions"), permissions=["replay"])
    def send_test_event(self, request, queryset):
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

    def has_replay_permission(self, request, obj=None):
        return request.user.has_perm("claims.replay_webhooksubscription")

    def replay_view(self, request, object_id):
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
                    user=request.user,
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
