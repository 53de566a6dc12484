"""Project-level views: the server-error handler and the load balancers' health check."""

import sys

from django.http import HttpRequest, HttpResponse
from django.views.defaults import server_error as django_server_error

from factcheck.middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """`handler500`: a database outage raised outside a view (in a middleware) is still a 503."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable_response(request, error)
    return django_server_error(request, template_name)
