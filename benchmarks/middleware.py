import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


def count_queries(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """X-Bench-Queries: SQL statements the request ran; X-Bench-Slowest-Ms: the slowest of them."""

    def middleware(request: HttpRequest) -> HttpResponse:
        timings = []

        def timed(
            execute: Callable[..., object], sql: str, params: object, many: bool, context: dict[str, Any]
        ) -> object:
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - start) * 1000)

        with connection.execute_wrapper(timed):
            response = get_response(request)
        response["X-Bench-Queries"] = str(len(timings))
        response["X-Bench-Slowest-Ms"] = f"{max(timings, default=0):.2f}"
        return response

    return middleware
