"""Project-wide middleware: request logging with ids, and database outages answered with 503."""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject, empty

from factcheck.logs import NO_REQUEST, REQUEST_ID_PATTERN, current_request_id

request_logger = logging.getLogger("factcheck.request")
outage_logger = logging.getLogger("factcheck.outage")

REQUEST_ID_HEADER = "X-Request-ID"
# Errors that mean "the database cannot be reached right now" (down, restarting, connection lost),
# as opposed to a bug in a query: those stay 500.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
OUTAGE_MESSAGE = "The service is temporarily unavailable. Please retry shortly."


def request_id_for(request: HttpRequest) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    if REQUEST_ID_PATTERN.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """One log line per request: id, user id, method, path, status, duration.

    The id comes from `X-Request-ID` when the client (or the proxy) sends a valid one, and is
    returned in the response's `X-Request-ID`; every other record logged meanwhile carries it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.request_id = request_id_for(request)  # type: ignore[attr-defined]  # ours, for views
        # Reset when the response is closed (request_finished), after Django's own log lines.
        current_request_id.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": loaded_user_id(request),
            },
        )
        return response


def _forget_request_id(**kwargs: Any) -> None:
    current_request_id.set(NO_REQUEST)


request_finished.connect(_forget_request_id, dispatch_uid="factcheck_forget_request_id")


def loaded_user_id(request: HttpRequest) -> int | None:
    """The acting user's id, if the request already looked it up (logging must not add a query)."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user.pk if user is not None and user.is_authenticated else None


def database_unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 with Retry-After: problem JSON for the API, a plain page for everyone else."""
    outage_logger.error("Database unavailable: %s", error.__class__.__name__, extra={"error": str(error).strip()[:500]})
    retry_after = str(settings.FACTCHECK_OUTAGE_RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"type": "about:blank", "title": "Service Unavailable", "status": 503, "detail": OUTAGE_MESSAGE},
            status=503,
            content_type="application/problem+json",
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"message": OUTAGE_MESSAGE}), status=503)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting answers 503 + Retry-After, not 500.

    Connections recover by themselves: `CONN_HEALTH_CHECKS` drops a broken persistent connection
    at the next request, and a failed connection attempt is retried on the next one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return database_unavailable_response(request, exception)
        return None
