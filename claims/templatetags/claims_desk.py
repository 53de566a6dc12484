"""The desk's display helpers: one date format and a name for who made each change."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import pgettext

# The reason the project's `loaddata` gives the first history row of what it loaded.
from claims.management.commands.loaddata import FIXTURE_REASON_PREFIX
from claims.services import permissions as perms
from claims.services.reasons import reason_in_language
from claims.types import User

register = template.Library()

# One format for every time the desk's history shows: sortable, unambiguous, to the minute.
DESK_DATETIME_FORMAT = "Y-m-d H:i T"


@register.filter
def history_reason(reason: str | None) -> str:
    """A history row's reason for the reader: the system's own in the desk's language, a person's as typed."""
    return reason_in_language(reason)


@register.filter
def desk_datetime(value: object) -> str:
    if not isinstance(value, datetime.datetime):
        return "" if value is None else str(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_date(value, DESK_DATETIME_FORMAT)


@register.simple_tag
def history_actor(user: User | None, reason: str | None) -> str:
    """Who made a history row: the user, "fixture" for rows the demo load wrote, "system" otherwise."""
    if user is not None:
        return str(user)
    if (reason or "").startswith(FIXTURE_REASON_PREFIX):
        return pgettext("who made a history row", "fixture")
    return pgettext("who made a history row", "system")


@register.inclusion_tag("admin/claims/includes/desk_shortcuts.html", takes_context=True)
def desk_shortcuts(context: template.Context) -> dict:
    """The desk home's first panel: the tips inbox and the dashboard, for those who may see them
    (reviewers and editors); nothing for other staff."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": bool(user is not None and user.has_perm(perms.VIEW_TIP_CLUSTERS))}
