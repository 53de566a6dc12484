"""The tipster's private status link (`claims:tip-status`), built without a `reverse()` per tip.

`reverse()` looks the name up through the URLconf's namespaces and checks the argument against the
route's converter on every call: about a twentieth of the API's tip POST, the public's hottest
write (issue 23's target). The path depends on the token and on what `reverse()` reads besides:
the active language (the public pages' prefix, `/ru/…`; none for the default language), the
script prefix (a site served under a sub-path) and the URLconf. So it is reversed once for each
such combination with a stand-in token, and a tip's token is put in the stand-in's place. A token
made by the model (`new_status_token`: URL-safe characters, which `reverse()` leaves as they are)
is the only kind the hot path sees; any other is reversed as usual.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

ROUTE = "claims:tip-status"
# What `secrets.token_urlsafe` makes: nothing `reverse()` would quote or the route would refuse.
PLAIN_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
STAND_IN = "0stand-in0"


def tip_status_path(token: str) -> str:
    """`reverse("claims:tip-status", args=[token])`, in the request's language and script prefix."""
    if not PLAIN_TOKEN.fullmatch(token):
        return reverse(ROUTE, args=[token])
    urlconf = get_urlconf() or settings.ROOT_URLCONF  # the request's own URLconf, as reverse() reads it
    head, tail = _around_token(get_language(), settings.LANGUAGE_CODE, get_script_prefix(), urlconf)
    return head + token + tail


@functools.lru_cache(maxsize=64)
def _around_token(language: str | None, default_language: str, script_prefix: str, urlconf: str) -> tuple[str, str]:
    """The path before and after the token. The arguments are only the cache's key: they were read
    just before, and `reverse()`, called under them, reads the same values itself."""
    del language, default_language, script_prefix
    path = reverse(ROUTE, args=[STAND_IN], urlconf=urlconf)
    head, stand_in, tail = path.rpartition(STAND_IN)
    assert stand_in, f"{ROUTE} does not hold its token as a path segment: {path}"
    return head, tail
