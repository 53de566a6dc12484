"""One limit on tips per client address, for the form and the API alike.

Counted in `caches["default"]` (Redis or the database cache: shared by every instance), keyed on
the client address as `claims.security.client_address` defines it (`TRUSTED_PROXY_COUNT`), so a
forged `X-Forwarded-For` neither resets the count nor gets another client blocked.

A fixed window that opens with a client's first tip (`FACTCHECK_TIPS_THROTTLE`, e.g. 10/hour: at most
10 tips until the hour after the first is over), kept as one counter: on Redis one round trip per tip
(`RedisCache.count_in_window`), elsewhere a read and a write of a small tuple. DRF's own throttle keeps
a list of every request's time and rewrites it on each one, which grows with the rate it allows.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from claims.security.client_address import client_address

KEY = "throttle_tips_{}"
# The request attribute holding a verdict already reached for this request, (allowed, seconds to
# wait): the API's quick door counts a tip and may hand the request on to the DRF view, which must
# not count it again.
THROTTLE_VERDICT = "tip_throttle_verdict"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def tip_rate() -> tuple[int, int]:
    """(tips allowed, seconds of the window) from FACTCHECK_TIPS_THROTTLE ("10/hour")."""
    allowed, period = settings.FACTCHECK_TIPS_THROTTLE.split("/")
    return int(allowed), PERIODS[period[0]]


def count_tip(address: str, seconds: int) -> tuple[int, int]:
    """This client's tips in its current window, this one included, and the seconds the window has left."""
    key = KEY.format(address)
    counter = getattr(cache, "count_in_window", None)
    if counter is not None:
        return counter(key, seconds)
    now = time.time()
    opened, hits = cache.get(key) or (now, 0)
    if opened + seconds <= now:
        opened, hits = now, 0
    left = max(int(opened + seconds - now), 1)
    cache.set(key, (opened, hits + 1), left)
    return hits + 1, left


class TipRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self.seconds_left = 0

    def allow_request(self, request: Request | HttpRequest, view: APIView | None) -> bool:
        verdict = getattr(request, THROTTLE_VERDICT, None)  # a DRF Request reads its HttpRequest's
        if verdict is not None:
            self.seconds_left = verdict[1]
            return bool(verdict[0])
        allowed, seconds = tip_rate()
        hits, self.seconds_left = count_tip(client_address(request), seconds)
        return hits <= allowed

    def wait(self) -> float:
        return self.seconds_left


def tip_allowed(request: HttpRequest) -> tuple[bool, int]:
    """(allowed, seconds to wait) for one more tip from this request's client."""
    throttle = TipRateThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, max(int(throttle.wait()), 1)
