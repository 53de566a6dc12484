"""E-mails to tipsters who asked, when a claim their tip is linked to is published, corrected or withdrawn.

A subscriber of the change feed with its own cursor (as webhooks are): it depends on nothing but
`ChangeEvent` rows. One event at a time, in its own transaction with the cursor row locked
(`SELECT … FOR UPDATE SKIP LOCKED`: one worker at a time): the e-mails go out, each logged in
`TipNotification`, then the cursor moves and all of it commits. A worker killed before the commit
leaves the cursor where it was, so the event's e-mails are sent again (at least once, none missed);
an e-mail already logged for (tip, event) is not sent twice. Events are read only after they
committed (the feed's append order), never before.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from claims.links import absolute_url
from claims.models import ChangeEvent, Claim, Tip, TipNotification, TipNotificationCursor

NOTIFIED_KINDS = (ChangeEvent.Kind.PUBLISHED, ChangeEvent.Kind.CORRECTED, ChangeEvent.Kind.WITHDRAWN)
MAX_EVENTS_PER_RUN = 200


def tip_notifications_wake() -> None:
    """Called after a feed append commits (the on-commit wake-up; see claims.feed.changes)."""
    from claims.tips.tasks import notify_tipsters_task

    notify_tipsters_task.enqueue()


def _subject_and_body(*, kind: str, claim: Claim, tip: Tip) -> tuple[str, str]:
    page = absolute_url(claim.get_absolute_url())
    status = absolute_url(f"/tips/status/{tip.status_token}/")
    if kind == ChangeEvent.Kind.PUBLISHED:
        subject = _("Your tip: our fact-check is published")
        lead = _("Thank you for your tip. We have published a fact-check about it:")
    elif kind == ChangeEvent.Kind.CORRECTED:
        subject = _("Your tip: our fact-check was corrected")
        lead = _("We have corrected the fact-check about your tip:")
    else:
        subject = _("Your tip: our fact-check was withdrawn")
        lead = _("We have withdrawn the fact-check about your tip. Its page says why:")
    footer = _("Your tip's status, and a button to erase your e-mail address: %(url)s") % {"url": status}
    return subject, f"{lead}\n\n{claim.claim_reviewed}\n{page}\n\n{footer}\n"


def _send(*, event: ChangeEvent, claim: Claim) -> int:
    sent = 0
    tips = (
        Tip.objects.filter(cluster__claim_id=event.claim_id, notify=True)
        .exclude(contact_email="")
        .exclude(notifications__event_id=event.id)
        .order_by("id")
    )
    for tip in tips:
        language = tip.language if tip.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = _subject_and_body(kind=event.kind, claim=claim, tip=tip)
        EmailMessage(subject=subject, body=body, to=[tip.contact_email]).send()
        TipNotification.objects.create(tip=tip, event_id=event.id, kind=event.kind, sent_at=timezone.now())
        sent += 1
    return sent


def notify_pending(*, max_events: int = MAX_EVENTS_PER_RUN) -> dict:
    """Send the e-mails of the feed events after the cursor. Returns what it did (task result)."""
    sent = events_read = 0
    while events_read < max_events:
        with transaction.atomic():
            cursor = TipNotificationCursor.objects.select_for_update(skip_locked=True).filter(pk=1).first()
            if cursor is None:
                if TipNotificationCursor.objects.filter(pk=1).exists():
                    return {"state": "busy", "sent": sent, "events": events_read}
                cursor = TipNotificationCursor.objects.create(pk=1, last_event_id=0)
            event = ChangeEvent.objects.after(cursor.last_event_id).first()
            if event is None:
                break
            if event.kind in NOTIFIED_KINDS:
                claim = Claim.objects.filter(pk=event.claim_id).first()
                if claim is not None:
                    sent += _send(event=event, claim=claim)
            cursor.last_event_id = event.id
            cursor.save(update_fields=["last_event_id"])
            events_read += 1
    return {"state": "idle" if events_read < max_events else "more", "sent": sent, "events": events_read}
