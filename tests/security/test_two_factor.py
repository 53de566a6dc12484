"""Two-factor authentication for the desk: required under production settings, off in development."""

import base64

import pyotp
import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from claims.security.two_factor import CODE_INVALID, OTP_REQUIRED

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.FACTCHECK_REQUIRE_2FA = True


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def basic(username: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:pw".encode()).decode()


def test_production_settings_require_it_and_development_does_not(monkeypatch):
    from factcheck.settings import development
    from tests.security.test_headers import production_settings

    assert development.FACTCHECK_REQUIRE_2FA is False
    monkeypatch.delenv("FACTCHECK_REQUIRE_2FA", raising=False)
    assert production_settings(monkeypatch).FACTCHECK_REQUIRE_2FA is True


@pytest.mark.usefixtures("required")
def test_a_password_alone_does_not_open_the_desk_enrolment_does(client, editor, settings):
    # django-otp throttles a device for 2^n seconds after n failures; this test checks codes, not that.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(editor)
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302
    assert response["Location"].startswith("/security/2fa/enrol/")
    page = client.get(response["Location"])
    secret = page.context["secret"]
    assert client.post("/security/2fa/enrol/", {"code": "000000"}).context["form"].errors["code"] == [CODE_INVALID]
    confirmed = client.post("/security/2fa/enrol/", {"code": pyotp.TOTP(secret).now(), "next": "/admin/"})
    assert confirmed.status_code == 200
    codes = confirmed.context["codes"]
    assert len(codes) == 10
    assert client.get("/admin/claims/claim/").status_code == 200

    # A new session: password, then the verify step; a backup code works once.
    client.logout()
    client.force_login(editor)
    assert client.get("/admin/").headers["Location"].startswith("/security/2fa/verify/")
    assert client.post("/security/2fa/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(editor)
    assert client.post("/security/2fa/verify/", {"code": codes[0]}).context["form"].errors["code"] == [CODE_INVALID]


@pytest.mark.usefixtures("required")
def test_the_api_token_login_needs_the_code_too(editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # see above
    device = enrolled(editor)
    client = APIClient()
    without = client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic(editor.username))
    assert without.status_code == 401
    assert without.json()["detail"] == OTP_REQUIRED
    wrong = client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic(editor.username), HTTP_X_OTP="123456")
    assert wrong.status_code == 401
    right = client.post(
        "/api/v1/auth/login/", HTTP_AUTHORIZATION=basic(editor.username), HTTP_X_OTP=current_code(device)
    )
    assert right.status_code == 200, right.content
    assert right.json()["token"]


@pytest.mark.usefixtures("required")
def test_desk_files_and_the_session_api_wait_for_the_second_factor(client, editor):
    enrolled(editor)
    client.force_login(editor)
    assert client.get("/api/v1/claims/").status_code == 302
    assert client.get("/evidence-files/evidence/x.pdf").status_code == 302
    assert client.get("/").status_code == 200  # public pages are public
