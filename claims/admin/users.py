"""Desk accounts in the admin: Django's user admin, except that an author of history is
deactivated rather than deleted (see `claims.services.users`), with a message instead of an error."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from claims.services.users import KEEP_AUTHORS, user_wrote_history

User = get_user_model()


class DeskUserAdmin(UserAdmin):
    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The bulk delete would meet the same refusal for every author: users are deleted one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        user = self.get_object(request, object_id)
        if user is not None and user_wrote_history(user):
            messages.error(request, gettext(KEEP_AUTHORS).format(user=user))
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
