import time

from django.db import connection


def count_queries(get_response):
    """X-Bench-Queries: SQL statements the request ran; X-Bench-Slowest-Ms: the slowest of them."""

    def middleware(request):
        timings = []

        def timed(execute, sql, params, many, context):
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
