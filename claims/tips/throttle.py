"""One limit on tips per client address, for the form and the API alike.

Counted in `caches["default"]` (Redis or the database cache: shared by every instance), keyed on
the client address as `claims.security.client_address` defines it (`TRUSTED_PROXY_COUNT`), so a
forged `X-Forwarded-For` neither resets the count nor gets another client blocked.
"""

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from claims.security.client_address import client_address


class TipRateThrottle(SimpleRateThrottle):
    scope = "tips"

    def get_rate(self) -> str:
        return settings.FACTCHECK_TIPS_THROTTLE

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


def tip_allowed(request: HttpRequest) -> tuple[bool, int]:
    """(allowed, seconds to wait) for one more tip from this request's client."""
    throttle = TipRateThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # no DRF view: the form
        return True, 0
    return False, max(int(throttle.wait() or 1), 1)
