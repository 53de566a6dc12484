"""The client's address, one definition for every control that keys on it.

Behind `TRUSTED_PROXY_COUNT` reverse proxies the address is the one the nearest trusted proxy saw
(read from `X-Forwarded-For`); with none (the default) the header is ignored, so a client cannot
choose its own address. The API throttle (DRF's `NUM_PROXIES`) and the login lockout (django-axes,
through `AXES_CLIENT_IP_CALLABLE`) use this same rule: behind nginx, axes alone would otherwise see
every client as the proxy, and one attacker's failures would lock a username out for everybody.
"""

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    # get_ident reads only request.META, which a plain HttpRequest (axes' caller) has too.
    return BaseThrottle().get_ident(request)  # type: ignore[arg-type]
