"""Which language a request is answered in (issue 21; docs/i18n.md).

- Public pages: the URL prefix (`/ru/claims/<slug>/`); unprefixed is English. The language is part
  of the URL, so a page's copies in caches are keyed by it and never vary by Accept-Language.
- The desk (`/admin/`, `/security/2fa/`): the user's preference (DeskProfile, remembered in the
  session at login and when changed), then the browser's Accept-Language.
- The API (`/api/`): Accept-Language (error messages; the data are what they are).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The session key holding the desk user's chosen language ("" when they chose none).
DESK_LANGUAGE_SESSION_KEY = "desk_language"
DESK_PREFIXES = ("/admin/", "/security/")
NEGOTIATED_PREFIXES = (*DESK_PREFIXES, "/api/")


def supported(language: str | None) -> str | None:
    """`language` if the site speaks it, else None."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else None


def negotiated_language(request: HttpRequest) -> str:
    """The desk's or the API's language: the user's preference, then Accept-Language."""
    session = getattr(request, "session", None)
    chosen = supported(session.get(DESK_LANGUAGE_SESSION_KEY)) if session is not None else None
    return chosen or translation.get_language_from_request(request, check_path=False)


def request_language(request: HttpRequest) -> str:
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    if request.path_info.startswith(NEGOTIATED_PREFIXES):
        return negotiated_language(request)
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the request's language (see the module docstring) for the view and the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        request.LANGUAGE_CODE = language
        # Restored afterwards: the thread's language never leaks into whatever runs next on it.
        with translation.override(language):
            response = self.get_response(request)
        if request.path_info.startswith(NEGOTIATED_PREFIXES) and not translation.get_language_from_path(
            request.path_info
        ):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
