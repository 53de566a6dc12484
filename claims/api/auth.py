"""The API's token login: HTTP Basic that django-axes sees, lockouts with a clear answer, a throttle
that counts every attempt (failed ones too), and the second factor when two-factor is required.

DRF authenticates before it throttles, so a failed login used to raise 401 before any throttle
counted it: 200 wrong passwords went through at full speed. `LoginView` (claims/api/auth_views.py)
checks `LoginRateThrottle` first, keyed by the client address only (it never looks at
`request.user`, which would authenticate). Django's `authenticate()` runs axes' backend and
signals, so API attempts count toward the same per-username-and-address lockout as the admin's.
"""

from axes.helpers import get_cool_off, get_lockout_message
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions, status
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from claims.types import User

LOCKED_OUT = gettext_noop("Too many failed logins for this username from this address: {detail}")


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, request: Request) -> None:
        super().__init__(gettext(LOCKED_OUT).format(detail=get_lockout_message()))
        cool_off = get_cool_off(request)
        self.wait = int(cool_off.total_seconds()) if cool_off else None


class AxesBasicAuthentication(BasicAuthentication):
    """HTTP Basic through `django.contrib.auth.authenticate` (so axes records it), answering 429 with
    axes' message once the username is locked out from this address, even for the right password."""

    def authenticate_credentials(self, userid: str, password: str, request: Request | None = None) -> tuple[User, None]:
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                raise LockedOut(request) from None
            raise


class LoginRateThrottle(SimpleRateThrottle):
    """Every attempt on the token login, per client address (`API_THROTTLE_LOGIN`, e.g. 20/minute)."""

    scope = "login"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_LOGIN

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AxesBasicScheme(BasicScheme):
    """OpenAPI: the axes-aware Basic login is plain HTTP Basic to clients."""

    target_class = AxesBasicAuthentication  # type: ignore[assignment]
