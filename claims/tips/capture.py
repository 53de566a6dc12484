"""A tip's link, captured only when a reviewer chooses to (issue 23): never at intake, never by the
clustering worker. The capture itself is the intake's: the request stores an `IntakeJob` that creates
a source with its first capture (`claims.intake.sources.source_create_with_capture`), and the worker
fetches the address through the address guard (`claims.intake.net`), which refuses internal addresses.
This module only records the choice: the job, and a history row on the tip saying who asked and why."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.intake.jobs import intake_job_enqueue
from claims.models import IntakeJob, Source, Tip
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.history import require_reason, save_with_history
from claims.services.reasons import TIP_LINK_SENT_FOR_CAPTURE, TIP_LINK_SOURCE, system_reason
from claims.types import User

TIP_HAS_NO_LINK = _("This tip has no link to capture.")
UNKNOWN_SOURCE_KIND = _("Choose what kind of source the link is.")
# IntakeJob.reason holds 500 characters, and the tip's number is added to the reviewer's reason.
CAPTURE_REASON_MAX_LENGTH = 400
SOURCE_URL_MAX_LENGTH = Source._meta.get_field("url").max_length or 500


@transaction.atomic
def tip_link_capture(*, tip: Tip, user: User, reason: str, kind: str) -> IntakeJob:
    """Enqueue the capture of `tip.url` as a new source of `kind`; return the job (the desk shows its
    progress). Nothing is fetched here: the worker does it, through the address guard.

    Needs the desk's view of tips and the intake's roles (add and capture sources) and a reason (at
    most `CAPTURE_REASON_MAX_LENGTH` characters). Locks the tip's row for its history row. A link
    a source's URL field cannot hold is still captured; the source's URL is then left to the capture.
    Raises PermissionDenied, or ValidationError for a tip without a link, an unknown kind, no reason.
    """
    require_perm(user, perms.VIEW_TIPS, gettext("see tips"))
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if not tip.url:
        raise ValidationError(TIP_HAS_NO_LINK, code="no_link")
    if kind not in Source.Kind.values:
        raise ValidationError({"kind": [UNKNOWN_SOURCE_KIND]})
    reason = require_reason(reason)
    if len(reason) > CAPTURE_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [gettext("At most %(limit)d characters.") % {"limit": CAPTURE_REASON_MAX_LENGTH}]}
        )
    fields = {"kind": kind}
    if _fits_a_source(tip.url):
        fields["url"] = tip.url
    job = intake_job_enqueue(
        kind=IntakeJob.Kind.SOURCE,
        user=user,
        reason=system_reason(TIP_LINK_SOURCE, reason=reason, tip=tip.pk),
        fields=fields,
        url=tip.url,
    )
    # The tip's own history says that its link was captured, by whom, why, and which job does it.
    save_with_history(
        tip,
        user=user,
        reason=system_reason(TIP_LINK_SENT_FOR_CAPTURE, job=job.pk, reason=reason),
        update_fields=["url"],
    )
    return job


def _fits_a_source(url: str) -> bool:
    """Whether `url` can be the new source's URL as it is (a tip's link is only checked for its scheme)."""
    if len(url) > SOURCE_URL_MAX_LENGTH:
        return False
    try:
        URLValidator()(url)
    except ValidationError:
        return False
    return True
