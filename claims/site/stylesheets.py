"""The rating scale's badge colours as a stylesheet.

Editors pick each rating's colour; the badges used to carry it in a `style` attribute, which a
strict Content-Security-Policy (`style-src 'self'`, no inline styles) blocks. This small
stylesheet, served from the app's own origin, carries them instead.
"""

import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from claims.models import Rating
from claims.models.verdicts import COLOUR_VALIDATOR
from claims.templatetags.claims_pages import badge_text_colour

SAFE_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _safe_colour(colour: str) -> str:
    """Only #rrggbb ever reaches the stylesheet (the model validates it; this holds for raw writes too)."""
    return colour if re.fullmatch(COLOUR_VALIDATOR.regex, colour or "") else "#666666"


@require_safe
def rating_styles(request: HttpRequest) -> HttpResponse:
    rules = []
    for slug, colour in Rating.objects.order_by("value").values_list("slug", "colour"):
        if not SAFE_SLUG.fullmatch(slug):
            continue
        colour = _safe_colour(colour)
        rules.append(f".rating-{slug} {{ --badge: {colour}; --badge-text: {badge_text_colour(colour)}; }}")
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
