"""Two-factor authentication for the desk (django-otp: TOTP, plus single-use backup codes).

With `FACTCHECK_REQUIRE_2FA` on (the production default), a staff user who has logged in with a
password is verified before the desk opens: `RequireTwoFactorMiddleware` sends them to enrol
(first time: scan a TOTP secret, confirm a code, receive backup codes) or to verify (a code from
their app, or a backup code). The API's token login asks for the code in the `X-OTP` header
(claims/api/auth_views.py). Development leaves it off so `make run` stays two commands.
"""

import base64
from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device, ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.types import Reader, User

BACKUP_CODE_COUNT = 10
CODE_INVALID = gettext_noop(
    "That code is not valid (or was already used). Enter the current code from your app, or a backup code."
)
OTP_REQUIRED = gettext_noop(
    "Two-factor authentication is required: send the current code from your app in the X-OTP header."
)
GUARDED_PREFIXES = ("/admin/", "/api/", "/evidence-files/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/security/2fa/")


def max_lock_seconds() -> int:
    """The longest wrong codes may lock a user out of the second factor (FACTCHECK_OTP_MAX_LOCK_SECONDS)."""
    return int(settings.FACTCHECK_OTP_MAX_LOCK_SECONDS)


def _max_counted_failures(device: ThrottlingMixin) -> int | None:
    """The failure count whose delay (factor × 2^(n-1) s, django-otp) stays within max_lock_seconds()."""
    factor = device.get_throttle_factor()
    if factor <= 0:
        return None
    count = 1
    while factor * 2**count <= max_lock_seconds():
        count += 1
    return count


def cap_throttling(user: Reader) -> None:
    """Keep every device's lock within max_lock_seconds(): django-otp doubles the delay after each
    failure (bounded at 100 years), so whoever has the password could lock the user out of the
    second factor indefinitely. The count lives in the database: every instance sees the same lock."""
    for device in devices_for_user(user, confirmed=None):
        limit = _max_counted_failures(device) if isinstance(device, ThrottlingMixin) else None
        if limit is not None and device.throttling_failure_count > limit:
            # One conditional UPDATE: a concurrent failure elsewhere cannot push it past the cap.
            type(device).objects.filter(pk=device.pk, throttling_failure_count__gt=limit).update(
                throttling_failure_count=limit
            )


def match_code(user: Reader, code: str) -> Device | None:
    """The user's device that accepts `code` (TOTP or backup code), or None; failures lock for a bounded time."""
    device = match_token(user, code)
    if device is None:
        cap_throttling(user)
    return device


def verified_login(request: HttpRequest, device: Device) -> None:
    """Mark the session verified with `device`, under a new session key: a key seen before the
    second factor (planted, or read off the password step) is worth nothing after it."""
    otp_login(request, device)
    request.session.cycle_key()


def two_factor_required(user: Reader) -> bool:
    return bool(settings.FACTCHECK_REQUIRE_2FA and user.is_authenticated and user.is_staff)


def api_login_code_ok(user: User, code: str | None) -> bool:
    """The token login's second factor: a TOTP or backup code of one of the user's confirmed devices."""
    return code is not None and bool(code) and match_code(user, code.strip()) is not None


class RequireTwoFactorMiddleware:
    """Staff sessions reach the desk, the session-authenticated API and desk files only once verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and two_factor_required(user)
            and path.startswith(GUARDED_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and not user.is_verified()
        ):
            target = "claims:2fa-verify" if user_has_device(user) else "claims:2fa-enrol"
            return redirect(f"{reverse(target)}?next={path}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False):
        return candidate
    return "/admin/"


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=False)


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Create (or resume) the user's unconfirmed TOTP device; a correct code confirms it and issues backup codes."""
    if user_has_device(request.user):
        return redirect(f"{reverse('claims:2fa-verify')}?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            codes = _confirm(device)
            verified_login(request, device)
            return render(request, "claims/security/backup_codes.html", {"codes": codes, "next": _next_url(request)})
        cap_throttling(request.user)
        form.add_error("code", gettext(CODE_INVALID))
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "secret": secret, "qr": _qr_svg(device.config_url), "next": _next_url(request)}
    return render(request, "claims/security/enrol.html", context)


@transaction.atomic
def _confirm(device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    backup, _ = StaticDevice.objects.get_or_create(user=device.user, name="Backup codes")
    backup.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return codes


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect(f"{reverse('claims:2fa-enrol')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_code(request.user, form.cleaned_data["code"].strip())
        if device is not None:
            verified_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", gettext(CODE_INVALID))
    return render(request, "claims/security/verify.html", {"form": form, "next": _next_url(request)})
