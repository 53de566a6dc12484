"""Closing the loop: tipsters who asked are e-mailed when the claim their tip is linked to is
published, corrected or withdrawn, by the worker reading the change feed with its own cursor; and
their addresses are erased (retention, closed tips, on request)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from claims import services as claim_services
from claims.models import ChangeEvent, Tip, TipCluster, TipNotification, TipNotificationCursor
from claims.tips import notifications, services
from tests.builders import claim_in_review
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db


def tips_on(claim, *addresses: str, quiet: int = 0) -> list[Tip]:
    cluster = TipCluster.objects.create(title="t", state=TipCluster.State.ATTACHED, claim=claim)
    tips = [
        Tip.objects.create(text=f"Tip {i}", contact_email=a, notify=True, cluster=cluster, language="ru" if i else "en")
        for i, a in enumerate(addresses)
    ]
    tips += [Tip.objects.create(text="Quiet tip", cluster=cluster) for _ in range(quiet)]
    return tips


def test_publication_mails_every_tipster_who_asked_once(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    tips_on(claim, "a@example.org", "b@example.org", quiet=1)
    notifications.notify_pending()
    assert mail.outbox == []  # nothing published yet: the in-review claim has no public event
    claim_services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    outcome = notifications.notify_pending()
    assert outcome["sent"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    english = next(m for m in mail.outbox if m.to == ["a@example.org"])
    assert f"/claims/{claim.slug}/" in english.body and "/tips/status/" in english.body
    notifications.notify_pending()
    assert len(mail.outbox) == 2  # the cursor moved: nothing twice
    assert TipNotificationCursor.objects.get().last_event_id == ChangeEvent.objects.latest("id").id


def test_withdrawal_is_mailed_and_erased_addresses_get_nothing(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    _kept, erased = tips_on(claim, "kept@example.org", "gone@example.org")
    claim = claim_services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    services.tip_erase_contact(tip=erased, user=None, reason=services.ERASED_ON_REQUEST)
    notifications.notify_pending()
    claim_services.claim_withdraw(claim=claim, user=editor, reason="Wrong", public_reason="We got it wrong")
    notifications.notify_pending()
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("kept@example.org", "Your tip: our fact-check is published"),
        ("kept@example.org", "Your tip: our fact-check was withdrawn"),
    ]


def test_the_status_page_follows_the_claim_and_the_forget_button_erases_the_address(reviewer, editor, client):
    claim = claim_in_review(reviewer=reviewer)
    (tip,) = tips_on(claim, "me@example.org")
    url = f"/tips/status/{tip.status_token}/"
    assert "Being checked" in client.get(url).text
    claim_services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    page = client.get(url)
    assert "Published" in page.text and f"/claims/{claim.slug}/" in page.text and "me@example.org" not in page.text
    assert client.post(f"{url}forget/").status_code == 302
    tip.refresh_from_db()
    assert (tip.contact_email, tip.notify) == ("", False) and tip.contact_erased_at is not None
    assert tip.history.order_by("-history_id").first().history_change_reason == services.ERASED_ON_REQUEST
    assert "Stop e-mails" not in client.get(url).text


def test_addresses_are_erased_after_the_retention_period_and_when_the_tip_is_closed(settings):
    settings.FACTCHECK_TIP_CONTACT_RETENTION_DAYS = 30
    old = Tip.objects.create(text="old", contact_email="old@example.org", notify=True)
    Tip.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    recent = Tip.objects.create(text="recent", contact_email="recent@example.org", notify=True)
    declined = TipCluster.objects.create(title="spam", state=TipCluster.State.DECLINED)
    closed = Tip.objects.create(text="closed", contact_email="closed@example.org", notify=True, cluster=declined)
    assert services.tip_contacts_erase_expired() == 2
    assert dict(Tip.objects.values_list("text", "contact_email")) == {
        "old": "",
        "recent": "recent@example.org",
        "closed": "",
    }
    assert not any("old@example.org" in str(row.__dict__) for row in Tip.history.all())
    assert services.tip_contacts_erase_expired() == 0
    assert closed.pk and recent.pk


def run_worker(tmp_path: Path, *, backend: str, marker: Path) -> subprocess.Popen:
    from tests.deploy.servers import database_url

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "EMAIL_BACKEND": backend,
        "EMAIL_FILE_PATH": str(tmp_path / "mails"),
        "TIPS_TEST_SENT_MARKER": str(marker),
    }
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)


def mails_to(tmp_path: Path) -> list[str]:
    folder = tmp_path / "mails"
    texts = [p.read_text() for p in folder.iterdir()] if folder.exists() else []
    return sorted(line.removeprefix("To: ") for text in texts for line in text.splitlines() if line.startswith("To: "))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_mailing_loses_no_email(tmp_path, reviewer, editor):
    """The worker is SIGKILLed after it sent the first e-mail of an event and before it committed:
    the next worker sends that event's e-mails again (at least once) and none is missed."""
    TipNotificationCursor.objects.update_or_create(pk=1, defaults={"last_event_id": 0})
    claim = claim_in_review(reviewer=reviewer)
    tips_on(claim, "first@example.org", "second@example.org")
    claim_services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    marker = tmp_path / "sent-one"
    worker = run_worker(tmp_path, backend="tests.tips.kill_backend.EmailBackend", marker=marker)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert worker.poll() is None, "the worker exited before sending"
            assert time.monotonic() < deadline, "no e-mail was sent"
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert mails_to(tmp_path) == ["first@example.org"]
    assert TipNotificationCursor.objects.get().last_event_id == 0  # rolled back with the kill
    assert not TipNotification.objects.exists()

    # A new worker sweeps the feed at start: the event is sent again, in full.
    again = run_worker(tmp_path, backend="django.core.mail.backends.filebased.EmailBackend", marker=marker)
    assert again.wait(timeout=180) == 0
    assert mails_to(tmp_path) == ["first@example.org", "first@example.org", "second@example.org"]
    assert TipNotification.objects.count() == 2
    assert TipNotificationCursor.objects.get().last_event_id == ChangeEvent.objects.latest("id").id
