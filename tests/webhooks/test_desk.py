"""Editors manage webhook subscriptions in the admin and through the API; reviewers cannot."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.intake.net import REFUSED_ADDRESS
from claims.models import WebhookCursor, WebhookDelivery, WebhookSubscription
from claims.push import services as webhook_services
from claims.services.errors import ConflictError
from tests.admin.conftest import login
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

PUBLIC_TARGET = "https://93.184.215.14/hook"  # a public address literal: no DNS needed


def make_subscription(editor, **fields) -> WebhookSubscription:
    subscription = WebhookSubscription(name=fields.pop("name", "Partner"), target_url=PUBLIC_TARGET, **fields)
    return webhook_services.subscription_save(
        subscription=subscription, user=editor, reason="Partner asked", expected_version=None
    )


def log_attempts(subscription, count: int) -> None:
    for i in range(count):
        WebhookDelivery.objects.create(
            subscription=subscription,
            event_id=i + 1,
            webhook_id=str(i + 1),
            kind="published",
            attempt=1,
            attempted_at=timezone.now(),
            duration_ms=12,
            status_code=503,
            succeeded=False,
            error="HTTP 503",
            response_excerpt="busy",
        )


def test_an_editor_adds_a_subscription_in_the_admin_with_a_reason(editor):
    response = login(editor).post(
        reverse("admin:claims_webhooksubscription_add"),
        {
            "name": "Partner desk",
            "target_url": PUBLIC_TARGET,
            "event_kinds": ["published", "withdrawn"],
            "is_active": "on",
            "secret": "",
            "previous_secret": "",
            "change_reason": "Signed the agreement",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_kinds == ["published", "withdrawn"]
    assert subscription.secret.startswith("whsec_")  # left empty: generated
    assert subscription.history.get().history_change_reason == "Signed the agreement"
    assert subscription.history.get().history_user == editor
    assert WebhookCursor.objects.get(subscription=subscription).last_event_id == 0


def test_the_admin_refuses_a_private_target_with_a_form_error(editor):
    response = login(editor).post(
        reverse("admin:claims_webhooksubscription_add"),
        {
            "name": "Sneaky",
            "target_url": "http://10.0.0.7/hook",
            "event_kinds": ["published"],
            "is_active": "on",
            "secret": "whsec_" + "A" * 44,
            "change_reason": "Try",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["target_url"] == [REFUSED_ADDRESS.format(host="10.0.0.7", address="10.0.0.7", kind="private")]
    assert not WebhookSubscription.objects.exists()


def test_the_change_page_shows_why_it_was_disabled_and_the_delivery_log(editor):
    subscription = make_subscription(editor)
    log_attempts(subscription, 2)
    subscription.is_active = False
    subscription.disabled_reason = "Disabled on 2026-01-01 00:00 UTC: deliveries failed for 24 h (40 attempts)."
    subscription.save()
    page = login(editor).get(reverse("admin:claims_webhooksubscription_change", args=[subscription.pk]))
    html = page.content.decode()
    assert "deliveries failed for 24 h (40 attempts)" in html
    assert html.count("HTTP 503") == 2 and "busy" in html


def test_replay_from_the_admin(editor, django_capture_on_commit_callbacks):
    subscription = make_subscription(editor)
    url = reverse("admin:claims_webhooksubscription_replay", args=[subscription.pk])
    client = login(editor)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"after_event_id": "0", "change_reason": "Partner rebuilt the mirror"})
    assert response.status_code == 302
    assert subscription.history.first().history_change_reason == "Replay from event #0: Partner rebuilt the mirror"
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_webhooks").exists()
    refused = client.post(url, {"after_event_id": "99", "change_reason": "x"})
    assert "Replay from an event id between 0 and the feed" in refused.content.decode()


def test_reviewers_cannot_see_subscriptions(reviewer, editor):
    make_subscription(editor)
    assert login(reviewer).get(reverse("admin:claims_webhooksubscription_changelist")).status_code == 403
    assert token_client(reviewer).get("/api/v1/webhooks/").status_code == 403


@pytest.mark.parametrize("count", [1, 30])
def test_admin_lists_cost_the_same_at_any_size(count, editor, django_assert_num_queries):
    for i in range(count):
        log_attempts(make_subscription(editor, name=f"Partner {i}"), 1)
    client = login(editor)
    client.get(reverse("admin:claims_webhooksubscription_changelist"))
    # Session, user, user and group permissions, count, filtered count, the page with cursors.
    with django_assert_num_queries(7):
        response = client.get(reverse("admin:claims_webhooksubscription_changelist"))
    assert len(response.context["cl"].result_list) == count
    # Session, user, user and group permissions, the subscription filter's choices, count, the page with
    # subscriptions.
    with django_assert_num_queries(7):
        response = client.get(reverse("admin:claims_webhookdelivery_changelist"))
    assert len(response.context["cl"].result_list) == count


def test_the_api_creates_changes_and_deletes_with_reasons_and_preconditions(editor):
    client = token_client(editor)
    created = client.post(
        "/api/v1/webhooks/",
        {"name": "Partner", "target_url": PUBLIC_TARGET, "event_kinds": ["published"], "reason": "Agreement"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["cursor"] == 0 and "reason" not in body
    url = f"/api/v1/webhooks/{body['id']}/"

    assert client.patch(url, {"is_active": False, "reason": "Pause"}, format="json").status_code == 428
    stale = client.patch(url, {"is_active": False, "reason": "Pause"}, format="json", HTTP_IF_MATCH='"nope"')
    assert stale.status_code == 412
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"is_active": False, "reason": "Pause"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    subscription = WebhookSubscription.objects.get()
    assert subscription.history.first().history_change_reason == "Pause"

    assert client.post(f"{url}replay/", {"after_event_id": 5, "reason": "x"}, format="json").status_code == 400
    assert client.post(f"{url}replay/", {"after_event_id": 0, "reason": "Rebuild"}, format="json").status_code == 202
    assert client.post(f"{url}test/").status_code == 202

    etag = client.get(url)["ETag"]
    assert client.delete(url, {"reason": "Partner left"}, format="json", HTTP_IF_MATCH=etag).status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert subscription.history.first().history_type == "-"


def test_the_api_refuses_private_targets_and_bad_kinds(editor):
    client = token_client(editor)
    refused = client.post(
        "/api/v1/webhooks/",
        {"name": "P", "target_url": "http://127.0.0.1/", "event_kinds": ["published"], "reason": "x"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["target_url"] == [
        REFUSED_ADDRESS.format(host="127.0.0.1", address="127.0.0.1", kind="loopback")
    ]
    bad = client.post(
        "/api/v1/webhooks/",
        {"name": "P", "target_url": PUBLIC_TARGET, "event_kinds": ["deleted"], "reason": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "event_kinds" in bad.json()
    assert client.post("/api/v1/webhooks/", {"name": "P"}, format="json").status_code == 400
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_api_lists_cost_the_same_at_any_size(count, editor, django_assert_num_queries):
    subscriptions = [make_subscription(editor, name=f"Partner {i}") for i in range(count)]
    log_attempts(subscriptions[0], count)
    client = token_client(editor)
    # Token and user, the user's tokens (knox), user and group permissions, the page with cursors.
    with django_assert_num_queries(5):
        listed = client.get("/api/v1/webhooks/")
    assert len(listed.json()["results"]) == count
    # The same four, the subscription, the page of its log.
    with django_assert_num_queries(6):
        log = client.get(f"/api/v1/webhooks/{subscriptions[0].pk}/deliveries/")
    assert len(log.json()["results"]) == count


def test_wake_webhooks_enqueues_only_subscriptions_that_are_behind(editor, reviewer, capsys):
    from django.core.management import call_command

    from tests.builders import published_claim

    behind = make_subscription(editor, name="Behind")
    make_subscription(editor, name="Paused", is_active=False)  # behind too, but switched off
    published_claim(reviewer=reviewer, editor=editor)
    make_subscription(editor, name="Current")  # starts at the head
    DBTaskResult.objects.all().delete()
    call_command("wake_webhooks")
    assert "Woke 1 subscription(s)" in capsys.readouterr().out
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [[behind.pk]]


def test_a_save_based_on_a_stale_read_is_refused_under_the_row_lock(editor):
    subscription = make_subscription(editor)
    loaded_version = subscription.version
    webhook_services.subscription_save(
        subscription=WebhookSubscription.objects.get(pk=subscription.pk),
        user=editor,
        reason="Pause",
        expected_version=loaded_version,
    )
    subscription.name = "Renamed from an old read"
    with pytest.raises(ConflictError):
        webhook_services.subscription_save(
            subscription=subscription, user=editor, reason="Rename", expected_version=loaded_version
        )
    assert WebhookSubscription.objects.get(pk=subscription.pk).name == "Partner"
    with pytest.raises(ConflictError):
        webhook_services.subscription_delete(
            subscription=subscription, user=editor, reason="Gone", expected_version=loaded_version
        )
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_admin_refuses_a_stale_form_and_keeps_the_input(editor):
    subscription = make_subscription(editor)
    form_version = subscription.version
    webhook_services.subscription_save(
        subscription=WebhookSubscription.objects.get(pk=subscription.pk),
        user=editor,
        reason="Somebody else paused it",
        expected_version=form_version,
    )
    response = login(editor).post(
        reverse("admin:claims_webhooksubscription_change", args=[subscription.pk]),
        {
            "name": "Typed by me",
            "target_url": PUBLIC_TARGET,
            "event_kinds": ["published"],
            "is_active": "on",
            "secret": subscription.secret,
            "previous_secret": "",
            "expected_version": form_version,
            "change_reason": "Rename",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert any("changed" in error for error in form.non_field_errors()), form.errors
    assert form["name"].value() == "Typed by me"
    assert WebhookSubscription.objects.get(pk=subscription.pk).name == "Partner"


def test_the_api_refuses_if_match_star_and_a_version_moved_by_someone_else(editor):
    client = token_client(editor)
    subscription = make_subscription(editor)
    url = f"/api/v1/webhooks/{subscription.pk}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"name": "x", "reason": "r"}, format="json", HTTP_IF_MATCH="*").status_code == 428
    webhook_services.subscription_save(
        subscription=WebhookSubscription.objects.get(pk=subscription.pk),
        user=editor,
        reason="Meanwhile",
        expected_version=subscription.version,
    )
    assert client.patch(url, {"name": "x", "reason": "r"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
