"""Token login and logout (knox): tokens are stored hashed, expire, and can be revoked.

The login is the API's password door, so it is guarded like the admin's: Basic credentials go
through django-axes (lockouts), the login throttle runs before authentication (failed attempts
count), and staff need their second factor when two-factor is required (issue 11).
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox import views as knox_views
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.auth import AxesBasicAuthentication, LoginRateThrottle
from claims.api.base import writer
from claims.api.schema import FactcheckAutoSchema
from claims.api.serializers import TokenSerializer
from claims.security.two_factor import OTP_REQUIRED, api_login_code_ok, two_factor_required


@extend_schema(
    summary="Get an API token (HTTP Basic or session); tokens are stored hashed and revocable",
    request=None,
    responses={200: TokenSerializer},
    parameters=[
        OpenApiParameter(
            "X-OTP",
            str,
            OpenApiParameter.HEADER,
            required=False,
            description="When two-factor authentication is required: the current code from the user's "
            "authenticator app, or a backup code.",
        )
    ],
)
class LoginView(knox_views.LoginView):
    schema = FactcheckAutoSchema()
    # Basic through axes (lockouts), throttled before authenticating: see claims/api/auth.py.
    authentication_classes = [AxesBasicAuthentication, SessionAuthentication]
    throttle_classes = [LoginRateThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.check_throttles(request)
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request: Request) -> None:
        if not getattr(request, "_login_throttle_checked", False):
            request._login_throttle_checked = True  # type: ignore[attr-defined]
            super().check_throttles(request)

    def post(self, request: Request, format: str | None = None) -> Response:
        # A password alone is not enough for staff when two-factor is required (a verified desk
        # session is: it passed the second factor already).
        session_verified = getattr(request._request.user, "is_verified", lambda: False)()
        needs_code = two_factor_required(request.user) and not session_verified
        if needs_code and not api_login_code_ok(writer(request), request.headers.get("X-OTP")):
            raise AuthenticationFailed(OTP_REQUIRED)
        return super().post(request, format)

    def get_user_serializer_class(self) -> None:
        return None


@extend_schema(summary="Revoke the token used for this request", request=None, responses={204: None})
class LogoutView(knox_views.LogoutView):
    schema = FactcheckAutoSchema()


@extend_schema(summary="Revoke all of this user's tokens", request=None, responses={204: None})
class LogoutAllView(knox_views.LogoutAllView):
    schema = FactcheckAutoSchema()
