"""Who may call a write endpoint at all. The services check the same permissions again with the
object in hand (and the finer workflow permissions); this only answers 401/403 before the body is
validated, so a caller without the role learns nothing from field errors."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class RoleMayWrite(BasePermission):
    """The view's `write_permissions` maps an action to the permission it needs (a name from
    `claims.services.permissions`), or to a services predicate `(user) -> bool`."""

    # Reads are open to anyone (the querysets scope them); the OpenAPI schema declares it.
    anonymous_methods = SAFE_METHODS

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        permission = getattr(view, "write_permissions", {}).get(getattr(view, "action", None))
        if permission is None:
            return True
        if callable(permission):
            return permission(request.user)
        return request.user.has_perm(permission)
