"""The quick door for the public's `POST /api/v1/tips/` (issue 23's target: half the trivial view's rate).

The tip POST is the API's hottest write, and DRF's machinery around it (content negotiation,
authentication, the serializer's fields, the parser classes, the renderer) cost about twice the
service's own work. Most tips are the same plain request: anonymous JSON with string fields. This
door answers that request itself — the same throttle, the same service (`services.tip_submit`, which
owns the rules and the size limits), the same 201 body and headers — and hands every other request
to the DRF view (`TipViewSet`): another method, content type, `Accept`, a credential, a session
cookie, a query string, a large body, a body that does not parse or does not have the plain shape,
and every refusal (429, 400). So every answer that is not a plain 201 is DRF's own, and the OpenAPI
schema, which reads the DRF view, documents the one contract both doors keep.

The throttle counts a request once: the door asks it, and the DRF view it hands a request to reads
the door's verdict (`claims.tips.throttle.THROTTLE_VERDICT`) instead of counting the tip again.
"""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from claims.links import absolute_url
from claims.models.tips import TIP_LANGUAGE_MAX_LENGTH
from claims.tips import services
from claims.tips.status_link import tip_status_path
from claims.tips.throttle import THROTTLE_VERDICT, TipRateThrottle

View = Callable[[HttpRequest], HttpResponse]

PLAIN_CONTENT_TYPES = frozenset({"application/json", "application/json; charset=utf-8"})
# What the DRF view's content negotiation turns into its JSON renderer without a second thought.
PLAIN_ACCEPT = frozenset({"", "*/*", "application/json"})
# A tip is at most a few kilobytes (TIP_TEXT_MAX_LENGTH characters of text, a URL, an address):
# anything larger is refused by the service either way; the DRF view answers it.
PLAIN_BODY_MAX_BYTES = 64 * 1024
# The serializer's trimmed string fields and their length limits (see `TipSubmitSerializer`).
TRIMMED_LIMITS = {"language": TIP_LANGUAGE_MAX_LENGTH, "contact_email": 254}
UNTRIMMED = ("text", "url")
KNOWN_FIELDS = frozenset({*UNTRIMMED, *TRIMMED_LIMITS, "notify"})
# As the DRF view answers: its route's methods, and the negotiated header.
ALLOW = "GET, POST, HEAD, OPTIONS"
# The 201's body around its one variable part, the status URL (a JSON string), as the DRF view's renderer writes it.
RECEIVED_BODY = '{{"status":"received","status_url":{}}}'


def tip_door(drf_view: View) -> View:
    """The view for `tips/`: plain anonymous tips answered here, everything else by `drf_view`.
    It wears the DRF view's attributes (`cls`, `actions`, `csrf_exempt`…), so the schema generator and
    the browsable API's breadcrumbs take it for the DRF view (the schema lists the route once)."""

    @functools.wraps(drf_view)
    def tips(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and is_plain(request):
            throttle = TipRateThrottle()
            allowed = throttle.allow_request(request, None)
            setattr(request, THROTTLE_VERDICT, (allowed, throttle.wait()))
            if allowed:
                response = submit_plain(request)
                if response is not None:
                    return response
        return drf_view(request)

    return tips


def is_plain(request: HttpRequest) -> bool:
    """A request the DRF view would answer with its JSON parser and renderer, anonymously."""
    meta = request.META
    return (
        meta.get("CONTENT_TYPE", "").lower() in PLAIN_CONTENT_TYPES
        and meta.get("HTTP_ACCEPT", "") in PLAIN_ACCEPT
        and not meta.get("QUERY_STRING")
        and "HTTP_AUTHORIZATION" not in meta
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and 0 < _content_length(meta) <= PLAIN_BODY_MAX_BYTES
    )


def submit_plain(request: HttpRequest) -> HttpResponse | None:
    """The 201 for a plain tip the service accepts; None for anything the DRF view must answer."""
    fields = plain_fields(request.body)
    if fields is None:
        return None
    try:
        tip = services.tip_submit(**fields)
    except ValidationError:
        return None  # the DRF view runs the same service and answers its field errors
    status_url = absolute_url(tip_status_path(tip.status_token), request)
    # DRF's JSONRenderer, as configured: compact, UTF-8, and U+2028/U+2029 escaped.
    body = RECEIVED_BODY.format(json.dumps(status_url, ensure_ascii=False))
    # The DRF view's headers: its renderer's type, Vary from its content negotiation, its route's methods.
    return HttpResponse(
        body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode(),
        status=201,
        headers={"Content-Type": "application/json", "Vary": "Accept", "Allow": ALLOW},
    )


def plain_fields(raw: bytes) -> dict[str, Any] | None:
    """The serializer's `validated_data` for a body of the plain shape (a JSON object of strings and
    a boolean `notify`, nothing the serializer or the parser would refuse or convert); else None."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(data, dict) or not KNOWN_FIELDS.issuperset(data) or not isinstance(data.get("text"), str):
        return None
    fields: dict[str, Any] = {"notify": False}
    for name, value in data.items():
        if name == "notify":
            if type(value) is not bool:
                return None
        elif not isinstance(value, str) or not _storable(value):
            return None
        elif name in TRIMMED_LIMITS:
            value = value.strip()
            if len(value) > TRIMMED_LIMITS[name]:
                return None
        fields[name] = value
    return fields


def _storable(value: str) -> bool:
    """No NUL (the parser refuses it) and no lone surrogate (the serializer does)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: DRF's strict parser refuses them


def _content_length(meta: dict[str, Any]) -> int:
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
