"""Issue 20, item 9: the session key rotates when the second factor is verified, and TOTP failures
lock the user out for a bounded time only (django-otp doubles the delay without a useful bound, so
whoever has the password could lock the real user out of the desk indefinitely)."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.security.two_factor import CODE_INVALID, max_lock_seconds
from tests.security.test_two_factor import current_code, enrolled

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(days=3650)


@pytest.fixture
def required(settings):
    settings.FACTCHECK_REQUIRE_2FA = True


@pytest.mark.usefixtures("required")
def test_verifying_the_second_factor_rotates_the_session_key(client, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = enrolled(editor)
    client.force_login(editor)
    before = client.session.session_key
    assert client.post("/security/2fa/verify/", {"code": current_code(device)}).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.get("/admin/").status_code == 200  # the new key carries the login and the verification


@pytest.mark.usefixtures("required")
def test_enrolling_rotates_the_session_key_too(client, editor, settings):
    import pyotp

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(editor)
    before = client.session.session_key
    secret = client.get("/security/2fa/enrol/").context["secret"]
    assert client.post("/security/2fa/enrol/", {"code": pyotp.TOTP(secret).now()}).status_code == 200
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


@pytest.mark.usefixtures("required")
def test_twenty_wrong_codes_lock_the_user_out_for_a_bounded_time_only(client, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's default: 1, 2, 4 … seconds
    device = enrolled(editor)
    client.force_login(editor)
    for _ in range(20):
        # Each wrong code comes after the previous lock ran out, as a patient attacker's would.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - LONG_AGO)
        refused = client.post("/security/2fa/verify/", {"code": "000000"})
        assert refused.context["form"].errors["code"] == [CODE_INVALID]
    device.refresh_from_db()
    assert device.throttling_failure_count > 0
    assert 2 ** (device.throttling_failure_count - 1) <= max_lock_seconds()

    # The real user, once the bounded lock has run out, gets in with the current code.
    just_after = timezone.now() - datetime.timedelta(seconds=max_lock_seconds() + 1)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=just_after)
    assert client.post("/security/2fa/verify/", {"code": current_code(device)}).status_code == 302


@pytest.mark.usefixtures("required")
def test_the_lock_still_holds_within_its_bound(client, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = enrolled(editor)
    client.force_login(editor)
    for _ in range(3):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - LONG_AGO)
        client.post("/security/2fa/verify/", {"code": "000000"})
    refused = client.post("/security/2fa/verify/", {"code": current_code(device)})
    assert refused.status_code == 200 and refused.context["form"].errors["code"] == [CODE_INVALID]


@pytest.mark.usefixtures("required")
def test_the_lock_is_shared_by_every_session_and_instance(editor, settings):
    """The failure count and its cap live in the database, not in one process: a second session (as
    another web instance would serve it) sees the same bounded lock."""
    from django.test import Client

    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = enrolled(editor)
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(editor)
    for _ in range(15):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - LONG_AGO)
        first.post("/security/2fa/verify/", {"code": "000000"})
    refused = second.post("/security/2fa/verify/", {"code": current_code(device)})
    assert refused.context["form"].errors["code"] == [CODE_INVALID]  # locked for everyone…
    device.refresh_from_db()
    assert 2 ** (device.throttling_failure_count - 1) <= max_lock_seconds()  # …for a bounded time
