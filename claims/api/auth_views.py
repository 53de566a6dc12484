"""Token login and logout (knox): tokens are stored hashed, expire, and can be revoked."""

from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from rest_framework.authentication import BasicAuthentication, SessionAuthentication

from .schema import FactcheckAutoSchema
from .serializers import TokenSerializer


@extend_schema(
    summary="Get an API token (HTTP Basic or session); tokens are stored hashed and revocable",
    request=None,
    responses={200: TokenSerializer},
)
class LoginView(knox_views.LoginView):
    schema = FactcheckAutoSchema()
    authentication_classes = [BasicAuthentication, SessionAuthentication]

    def get_user_serializer_class(self):
        return None


@extend_schema(summary="Revoke the token used for this request", request=None, responses={204: None})
class LogoutView(knox_views.LogoutView):
    schema = FactcheckAutoSchema()


@extend_schema(summary="Revoke all of this user's tokens", request=None, responses={204: None})
class LogoutAllView(knox_views.LogoutAllView):
    schema = FactcheckAutoSchema()
