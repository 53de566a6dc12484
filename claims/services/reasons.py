"""The reasons the system itself writes into history, in one place.

A history row's reason is one text column for what people type and what the code writes. The
code's own are the English templates below (marked for translation, never translated when written):
a history row reads the same whichever language the request or the worker spoke. The desk shows
them in its reader's language with `reason_in_language`, which recognises a reason made from one of
these templates and formats its translation with the same values (rows written before this module
existed are recognised too). A value the system fills in ("nobody", "no due date") is translated
with it; anything else, above all the part of a system reason that quotes a person's own reason, is
shown as typed, and so is every reason a person typed.

Writers format with `system_reason(TEMPLATE, name=value)`; a template needs plain `{name}`
placeholders (the values are recognised in the stored text, so format them first: `f"{score:g}"`).
"""

from typing import Any

from django.utils.translation import gettext_noop

from claims.service_messages import KnownMessages

# The desk.
DESK_LANGUAGE_CHOSEN = gettext_noop("Desk language chosen by the user")
ASSIGNED = gettext_noop("Assigned to {assignee} (was {previous}), {due}: {reason}")
NOBODY = gettext_noop("nobody")
NO_DUE_DATE = gettext_noop("no due date")

# Loading data and the demo. 0005 and 0031 are data migrations' reasons: the migrations keep their
# own copy of the text (a migration never imports the code it may outlive).
LOADED_FROM_FIXTURE = gettext_noop("Loaded from fixture {fixtures} (manage.py loaddata)")
DEMO_ARTICLE_CAPTURED = gettext_noop("Demo: the article's text captured from {file} (setup_demo)")
DEMO_ARTICLE_ANCHORED = gettext_noop("Demo: anchored into the captured article (setup_demo)")
MIGRATION_0005_VERDICT_REMOVED = gettext_noop(
    "Migration 0005: one verdict per claim; this superseded verdict was removed (its history stays)."
)
MIGRATION_0031_ATTACHMENT_MOVED = gettext_noop("Attachment moved to a random storage name (security: issue 11).")

# Intake (the worker and the desk's captures).
FILLED_FROM_CAPTURE = gettext_noop("{reason} (filled from the capture: {fields})")
LANGUAGE_DETECTED = gettext_noop("Language detected from the title and the capture")

# ClaimReview from other fact-checkers.
IMPORTED_FROM = gettext_noop("Imported from {source}")
UPDATED_FROM = gettext_noop("Updated from {source} ({fields})")
LINK_PROPOSED = gettext_noop("Proposed by the similar-claims service (score {score})")

# Webhooks. The last error of a give-up is technical (an HTTP status, the exception's text): shown as it is.
REPLAY_FROM_EVENT = gettext_noop("Replay from event #{event}: {reason}")
WEBHOOK_DISABLED = gettext_noop(
    "Disabled on {when}: deliveries failed for {hours} h ({attempts} attempts). Last error: {error}"
)

# Tips from the public.
TIP_RECEIVED = gettext_noop("Received from the public")
TIP_CLUSTERED = gettext_noop("Grouped by the matching service")
CLUSTER_OPENED = gettext_noop("Opened by the matching service for a new tip")
CONTACT_ERASED_ON_REQUEST = gettext_noop("Contact address erased at the tipster's request")
CONTACT_ERASED_TIP_CLOSED = gettext_noop("Contact address erased: the tip is closed")
CONTACT_ERASED_RETENTION_OVER = gettext_noop("Contact address erased: retention period over")
PROMOTED_FROM_CLUSTER = gettext_noop("Promoted from tip cluster #{cluster}: {reason}")
MERGED_INTO_CLUSTER = gettext_noop("Merged into cluster #{cluster}: {reason}")
CLUSTER_MERGED_IN = gettext_noop("Cluster #{cluster} merged in: {reason}")
SPLIT_FROM_CLUSTER = gettext_noop("Split from cluster #{cluster}: {reason}")
SPLIT_INTO_CLUSTER = gettext_noop("Split into cluster #{cluster}: {reason}")
TIPS_SPLIT_INTO_CLUSTER = gettext_noop("Tips split into cluster #{cluster}: {reason}")
TIP_LINK_SOURCE = gettext_noop("{reason} (the link sent with tip #{tip})")
TIP_LINK_SENT_FOR_CAPTURE = gettext_noop("Link sent for capture as a source (intake job #{job}): {reason}")

SYSTEM_REASONS = tuple(value for name, value in list(globals().items()) if name.isupper() and isinstance(value, str))


def system_reason(template: str, /, **values: Any) -> str:
    """A history reason from one of the templates above, in English."""
    if template not in SYSTEM_REASONS:
        raise ValueError(f"Not a system reason (add it to claims/services/reasons.py): {template!r}")
    return template.format(**values)


_known = KnownMessages(lambda: SYSTEM_REASONS, translate_values=True)


def reason_in_language(reason: str | None) -> str:
    """A history row's reason as the reader should see it: a system reason in the active language,
    anything else as it was typed."""
    return _known.translate(reason or "")
