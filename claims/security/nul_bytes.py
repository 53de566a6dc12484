"""Refuse requests carrying NUL bytes before any view, form or database sees them.

A NUL byte is never meaningful in a URL, a header, a credential or a form value here, and
PostgreSQL refuses it in text columns (psycopg raises, which surfaced as 500s in the admin's
filters and autocomplete, in slugs and in the Basic-auth username). One check at the door
answers 400 instead. File uploads are binary and are not inspected; JSON bodies are checked by
`claims.api.parsers.BoundedJSONParser`.
"""

import base64
import binascii
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError

NUL = "\x00"
NUL_REFUSED = "NUL bytes are not accepted in URLs, headers, credentials or form fields."


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _basic_credentials(header: str) -> str:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return ""
    try:
        return base64.b64decode(encoded.strip(), validate=False).decode("latin-1")
    except (binascii.Error, ValueError):
        return ""  # DRF's BasicAuthentication answers 401 for undecodable credentials


def request_has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.META.get("QUERY_STRING", ""):
        return True
    if _has_nul(value for values in request.GET.lists() for value in [values[0], *values[1]]):
        return True
    headers = [value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)]
    if _has_nul(headers) or _has_nul([request.META.get("CONTENT_TYPE", "")]):
        return True
    if NUL in _basic_credentials(request.META.get("HTTP_AUTHORIZATION", "")):
        return True
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        try:
            return _has_nul(value for key, values in request.POST.lists() for value in [key, *values])
        except MultiPartParserError:
            return False  # a malformed body: the view's own parsing answers 400 for it
    return False


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"non_field_errors": [NUL_REFUSED]}, status=400)  # the API's 400 shape
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
