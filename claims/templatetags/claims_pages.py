import datetime
import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template import Context
from django.utils.safestring import mark_safe

from claims.languages.translations import rating_definition as translated_rating_definition
from claims.languages.translations import rating_label
from claims.models import Rating

register = template.Library()

# The escapes Django's `json_script` applies: no "</script>", "<!--" or "&" can survive into the
# HTML parser, and the JSON still decodes to the same strings.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value: object) -> str:
    """`value` as JSON safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def badge_text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (#rrggbb; editors pick it)."""
    luminance = _relative_luminance(background)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


@register.inclusion_tag("claims/includes/rating_badge.html")
def rating_badge(rating: Rating | None) -> dict[str, Any]:
    # In the reader's language where the rating's translations were loaded with it.
    label = rating_label(rating)
    return {"rating": rating, "label": label, "text_colour": badge_text_colour(rating.colour) if rating else ""}


@register.simple_tag(takes_context=True)
def query_with(context: Context, **changes: object) -> str:
    """The current query string with `changes` applied (pagination links keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter(name="rating_label")
def rating_label_in_reader_language(rating: Rating | None) -> str:
    """The rating's label in the reader's language, where its translations were loaded."""
    return rating_label(rating)


@register.filter
def rating_definition(rating: Rating) -> str:
    """The rating's public definition in the reader's language, where its translations were loaded."""
    return translated_rating_definition(rating)


@register.filter
def html_datetime(value: datetime.datetime | None) -> str:
    """`value` as an HTML `datetime` attribute: ISO 8601 to the second. HTML allows at most three
    digits of a second's fraction, and Python's `isoformat()` (Django's `|date:'c'`) gives six."""
    if not value:
        return ""
    return value.isoformat(timespec="seconds")
