"""The desk's language setting: each user picks the language the desk speaks to them (issue 21).

Stored per user (DeskProfile, with history) and kept in the session, which the language middleware
reads (factcheck.locale): choosing costs one write, and no request of the desk reads the profile.
"""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.services.errors import WorkflowError
from claims.services.profiles import desk_language_of, desk_language_set
from claims.services.reasons import DESK_LANGUAGE_CHOSEN
from claims.types import User
from factcheck.locale import DESK_LANGUAGE_SESSION_KEY

# What the history records when a user changes their own desk language.
LANGUAGE_CHANGE_REASON = DESK_LANGUAGE_CHOSEN


class DeskLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the desk"),
        choices=[("", _("The browser's language")), *settings.LANGUAGES],
        required=False,
        widget=forms.RadioSelect,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("admin:index")


def desk_language_view(request: HttpRequest) -> HttpResponse:
    chosen = request.session.get(DESK_LANGUAGE_SESSION_KEY, "")
    form = DeskLanguageForm(request.POST or None, initial={"language": chosen})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            user = cast(User, request.user)  # admin_view lets only staff users in
            desk_language_set(user=user, language=language, reason=LANGUAGE_CHANGE_REASON)
        except WorkflowError as error:
            form.add_error("language", error)
        else:
            request.session[DESK_LANGUAGE_SESSION_KEY] = language
            # The confirmation is shown in the language just chosen.
            with translation.override(language or translation.get_language_from_request(request)):
                messages.success(request, gettext("The desk now speaks this language to you."))
            return HttpResponseRedirect(_next_url(request))
    context = {
        **admin.site.each_context(request),
        "title": _("Language of the desk"),
        "form": form,
        "next": _next_url(request),
    }
    return TemplateResponse(request, "admin/claims/desk_language.html", context)


def remember_desk_language(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """At login: the user's chosen language into the session (the middleware reads only the session)."""
    if request is not None and hasattr(request, "session"):
        request.session[DESK_LANGUAGE_SESSION_KEY] = desk_language_of(user)


user_logged_in.connect(remember_desk_language, dispatch_uid="claims_remember_desk_language")
