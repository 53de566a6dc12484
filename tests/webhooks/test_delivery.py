"""Webhooks delivered by the real worker to receivers on 127.0.0.1 that verify the signatures."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from claims import services
from claims.intake.net import BAD_SCHEME, REFUSED_ADDRESS
from claims.models import ChangeEvent, WebhookCursor, WebhookDelivery, WebhookSubscription
from claims.models.webhooks import new_webhook_secret
from claims.push import services as webhook_services
from tests.builders import published_claim
from tests.factories import RatingFactory
from tests.webhooks.conftest import FAST_RETRIES, GIVE_UP_SOON, Receiver, run_workers, subscribe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("private_urls_allowed")]


def publish_correct_withdraw(*, reviewer, editor) -> list[ChangeEvent]:
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = claim.verdict
    services.verdict_correct(
        verdict=verdict,
        user=editor,
        public_reason="A better source",
        rating=RatingFactory(),
        headline="Corrected",
        rationale="Corrected rationale.",
    )
    claim.refresh_from_db()
    services.claim_transition(
        claim=claim, to_status="archived", user=editor, reason="Out of scope after all", public_reason="Out of scope."
    )
    return list(ChangeEvent.objects.order_by("id"))


def feed_events(client) -> list[dict]:
    events = client.get("/api/v1/changes/?limit=100").json()["events"]
    return [{k: v for k, v in event.items() if k != "cursor"} for event in events]


def test_receiver_verifies_and_sees_publish_correct_withdraw_in_order(
    client, start_receiver, reviewer, editor, second_editor, settings
):
    # Deliveries have no request: their claim URLs are absolute on the configured public address.
    settings.FACTCHECK_SITE_URL = "https://checks.example.org"
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret]))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret)

    events = publish_correct_withdraw(reviewer=reviewer, editor=editor)
    run_workers(lambda: len(receiver.accepted) >= 3, timeout=30)

    assert [e.kind for e in events] == ["published", "corrected", "withdrawn"]
    assert [p["kind"] for p in receiver.accepted] == ["published", "corrected", "withdrawn"]
    assert [r.headers["webhook-id"] for r in receiver.requests] == [str(e.id) for e in events]
    assert all(r.verified_with == [secret] for r in receiver.requests)
    # The payload is the feed event as the API lists it.
    assert [{k: v for k, v in p.items() if k != "cursor"} for p in receiver.accepted] == feed_events(client)
    assert WebhookCursor.objects.get(subscription=subscription).last_event_id == events[-1].id
    log = list(WebhookDelivery.objects.filter(subscription=subscription).order_by("id"))
    assert [(d.event_id, d.status_code, d.succeeded, d.attempt) for d in log] == [(e.id, 200, True, 1) for e in events]
    assert log[0].response_excerpt == "status 200 for request 1"


def test_a_receiver_that_fails_for_a_while_gets_everything_in_order(start_receiver, reviewer, editor, capsys):
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret], respond=lambda n: 503 if n <= 4 else 200))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret)

    events = publish_correct_withdraw(reviewer=reviewer, editor=editor)
    elapsed = run_workers(lambda: len(receiver.accepted) >= 3, timeout=60)

    assert [p["id"] for p in receiver.accepted] == [e.id for e in events]
    log = list(WebhookDelivery.objects.filter(subscription=subscription).order_by("id"))
    assert [(d.event_id, d.attempt, d.status_code) for d in log] == [
        (events[0].id, 1, 503),
        (events[0].id, 2, 503),
        (events[0].id, 3, 503),
        (events[0].id, 4, 503),
        (events[0].id, 5, 200),
        (events[1].id, 1, 200),
        (events[2].id, 1, 200),
    ]
    assert all(d.error == "HTTP 503" for d in log[:4])
    gaps = [(b.attempted_at - a.attempted_at).total_seconds() for a, b in itertools.pairwise(log[:5])]
    for attempt, gap in enumerate(gaps, start=1):
        ceiling = min(FAST_RETRIES["RETRY_MAX_SECONDS"], FAST_RETRIES["RETRY_BASE_SECONDS"] * 2 ** (attempt - 1))
        assert gap >= ceiling * 0.5, (attempt, gap)  # the backoff was honoured (jitter: 50–100 %)
    cursor = WebhookCursor.objects.get(subscription=subscription)
    assert (cursor.attempts, cursor.failing_since, cursor.next_attempt_at) == (0, None, None)
    with capsys.disabled():
        print(f"\n[webhooks] retry gaps (s) after attempts 1-4: {[round(g, 3) for g in gaps]}; run {elapsed:.2f}s")


def test_a_receiver_down_past_the_retry_window_disables_the_subscription(start_receiver, reviewer, editor, capsys):
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret], respond=lambda n: 500))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret)
    published_claim(reviewer=reviewer, editor=editor)

    def disabled():
        return not WebhookSubscription.objects.get(pk=subscription.pk).is_active

    with override_settings(FACTCHECK_WEBHOOKS=GIVE_UP_SOON):
        elapsed = run_workers(disabled, timeout=60)

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_reason.startswith("Disabled on ")
    assert "Last error: HTTP 500" in subscription.disabled_reason
    assert subscription.history.first().history_change_reason == subscription.disabled_reason
    attempts = WebhookDelivery.objects.filter(subscription=subscription).count()
    assert attempts >= 3 and not WebhookDelivery.objects.filter(succeeded=True).exists()
    assert WebhookCursor.objects.get(subscription=subscription).last_event_id == 0
    log = list(WebhookDelivery.objects.filter(subscription=subscription).order_by("id"))
    window = (log[-1].attempted_at - log[0].attempted_at).total_seconds()
    assert window >= GIVE_UP_SOON["GIVE_UP_AFTER_SECONDS"]
    with capsys.disabled():
        print(
            f"\n[webhooks] give-up: {attempts} attempts over {window:.2f}s"
            f" (window {GIVE_UP_SOON['GIVE_UP_AFTER_SECONDS']}s),"
            f" disabled after {elapsed:.2f}s"
        )

    # An editor re-enables it: deliveries resume from the cursor once the receiver is back.
    receiver.respond = lambda n: 200
    subscription.is_active = True
    webhook_services.subscription_save(
        subscription=subscription,
        user=editor,
        reason="Partner fixed their server",
        expected_version=subscription.version,
    )
    run_workers(lambda: len(receiver.accepted) >= 1, timeout=30)
    subscription.refresh_from_db()
    assert subscription.disabled_reason == "" and [p["kind"] for p in receiver.accepted] == ["published"]


def test_secret_rotation_signs_with_both_secrets_until_the_old_one_is_cleared(start_receiver, reviewer, editor):
    old, new = new_webhook_secret(), new_webhook_secret()
    old_receiver = start_receiver(Receiver(secrets=[old]))
    new_receiver = start_receiver(Receiver(secrets=[new]))
    on_old = subscribe(url=old_receiver.url, user=editor, secret=old, name="Old")
    on_new = subscribe(url=new_receiver.url, user=editor, secret=old, name="New")
    for subscription in (on_old, on_new):
        subscription.previous_secret, subscription.secret = subscription.secret, new
        webhook_services.subscription_save(
            subscription=subscription, user=editor, reason="Rotate the secret", expected_version=subscription.version
        )

    published_claim(reviewer=reviewer, editor=editor)
    run_workers(lambda: old_receiver.accepted and new_receiver.accepted, timeout=30)

    assert old_receiver.requests[0].verified_with == [old]
    assert new_receiver.requests[0].verified_with == [new]
    assert len(old_receiver.requests[0].headers["webhook-signature"].split(" ")) == 2

    # Rotation finished: the old secret no longer verifies.
    on_old.previous_secret = ""
    webhook_services.subscription_save(
        subscription=on_old, user=editor, reason="Rotation done", expected_version=on_old.version
    )
    webhook_services.subscription_send_test(subscription=on_old)
    run_workers(lambda: len(old_receiver.requests) >= 2, timeout=30)
    assert old_receiver.requests[1].verified_with == []
    assert WebhookDelivery.objects.filter(subscription=on_old).first().status_code == 401
    assert [h.history_change_reason for h in on_old.history.order_by("history_id")][-2:] == [
        "Rotate the secret",
        "Rotation done",
    ]


def test_only_subscribed_kinds_are_sent_and_the_cursor_passes_the_rest(start_receiver, reviewer, editor):
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret]))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret, event_kinds=["withdrawn"])
    events = publish_correct_withdraw(reviewer=reviewer, editor=editor)
    run_workers(lambda: len(receiver.accepted) >= 1, timeout=30)
    assert [p["kind"] for p in receiver.accepted] == ["withdrawn"]
    assert WebhookCursor.objects.get(subscription=subscription).last_event_id == events[-1].id


def test_send_test_event_and_replay_from_cursor(start_receiver, reviewer, editor):
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret]))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret)
    events = publish_correct_withdraw(reviewer=reviewer, editor=editor)
    run_workers(lambda: len(receiver.accepted) >= 3, timeout=30)

    webhook_services.subscription_send_test(subscription=subscription)
    run_workers(lambda: len(receiver.accepted) >= 4, timeout=30)
    test_request = receiver.requests[3]
    assert test_request.payload["kind"] == "test" and test_request.headers["webhook-id"].startswith("test_")
    assert WebhookCursor.objects.get(subscription=subscription).last_event_id == events[-1].id

    webhook_services.subscription_replay(
        subscription=subscription, after_event_id=events[0].id, user=editor, reason="Partner lost their mirror"
    )
    run_workers(lambda: len(receiver.accepted) >= 6, timeout=30)
    assert [r.headers["webhook-id"] for r in receiver.requests[4:]] == [str(events[1].id), str(events[2].id)]
    assert subscription.history.first().history_change_reason == (
        f"Replay from event #{events[0].id}: Partner lost their mirror"
    )
    with pytest.raises(ValidationError):
        webhook_services.subscription_replay(
            subscription=subscription, after_event_id=events[-1].id + 1, user=editor, reason="Too far"
        )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8000/hook", REFUSED_ADDRESS.format(host="127.0.0.1", address="127.0.0.1", kind="loopback")),
        ("http://10.1.2.3/hook", REFUSED_ADDRESS.format(host="10.1.2.3", address="10.1.2.3", kind="private")),
        (
            "http://169.254.169.254/latest",
            REFUSED_ADDRESS.format(host="169.254.169.254", address="169.254.169.254", kind="link-local"),
        ),
        ("http://[::1]/hook", REFUSED_ADDRESS.format(host="::1", address="::1", kind="loopback")),
        ("http://localhost/hook", None),
        ("ftp://example.org/hook", BAD_SCHEME.format(scheme="ftp")),
    ],
)
def test_ssrf_targets_are_refused(editor, url, message):
    with override_settings(FACTCHECK_FETCH_ALLOWED_NETWORKS=[]), pytest.raises(ValidationError) as refused:
        subscribe(url=url, user=editor)
    errors = refused.value.message_dict["target_url"]
    assert message in errors if message else "which this server does not fetch" in errors[0]
    assert not WebhookSubscription.objects.exists()


def test_the_guard_is_checked_again_at_delivery(start_receiver, reviewer, editor):
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret]))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret)
    with override_settings(FACTCHECK_FETCH_ALLOWED_NETWORKS=[]):
        published_claim(reviewer=reviewer, editor=editor)
        run_workers(lambda: WebhookDelivery.objects.exists(), timeout=30)
    # A refusal is a failed attempt, retried after 0.2 s: a busy machine may record a second before the
    # worker stops. Every attempt is refused, and none reaches the receiver.
    refused = list(WebhookDelivery.objects.filter(subscription=subscription))
    assert refused
    assert all("which this server does not fetch" in d.error and d.status_code is None for d in refused)
    assert receiver.requests == []


def test_a_name_that_rebinds_to_an_internal_address_after_the_check_is_not_followed(
    start_receiver, reviewer, editor, monkeypatch
):
    """DNS rebinding: the partner's name answers a public address to the guard's lookup and an internal
    one to any later lookup. The POST goes to the address the guard checked; nothing resolves again."""
    import socket
    import sys

    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret]))
    port = receiver.url.split(":")[2].split("/")[0]
    real_getaddrinfo = socket.getaddrinfo
    later_lookups = []

    def rebinding(host, *args, **kwargs):
        if host != "partner.example":
            return real_getaddrinfo(host, *args, **kwargs)
        checked = sys._getframe(1).f_code.co_name == "check_public_url"
        if not checked:
            later_lookups.append(host)
        return real_getaddrinfo("127.0.0.1" if checked else "10.255.255.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    subscription = subscribe(url=f"http://partner.example:{port}/hook", user=editor, secret=secret)
    published_claim(reviewer=reviewer, editor=editor)
    run_workers(lambda: WebhookDelivery.objects.exists(), timeout=30)

    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.succeeded, delivery.error
    assert later_lookups == []
    assert len(receiver.requests) == 1


def test_a_reopen_is_delivered_as_under_review_with_the_version_last_published(start_receiver, reviewer, editor):
    secret = new_webhook_secret()
    receiver = start_receiver(Receiver(secrets=[secret]))
    subscribe(url=receiver.url, user=editor, secret=secret)  # every kind, the new one included
    claim = published_claim(reviewer=reviewer, editor=editor)
    headline = claim.verdict.headline
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    run_workers(lambda: len(receiver.accepted) >= 2, timeout=30)
    assert [p["kind"] for p in receiver.accepted] == ["published", "under_review"]
    delivered = receiver.accepted[-1]["claim"]
    assert delivered["verdict"]["headline"] == headline and "notice" in delivered["under_review"]
