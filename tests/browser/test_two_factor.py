"""Two-factor in Chromium: a desk editor enrols (the test computes the TOTP code from the key the
page shows), logs out, and logs back in with password + a fresh code.

The TOTP device reads a clock the test controls: a code is single-use per 30-second step, so the
second login needs the next step, which the test reaches by moving the clock, not by waiting."""

import pyotp
import pytest
from django_otp.plugins.otp_totp import models as totp_models
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

# Any fixed instant will do; the middle of a step, so the tolerance of one step either side is not needed.
START = 1_800_000_015.0


class StepClock:
    """Stands in for the `time` module where django-otp's TOTP device reads the time."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def totp_clock(monkeypatch: pytest.MonkeyPatch) -> StepClock:
    """The live server answers from a thread of this process, so the device sees this clock."""
    clock = StepClock(START)
    monkeypatch.setattr(totp_models, "time", clock)
    return clock


def test_enrol_log_out_and_log_in_with_a_code(page, live_server, editor, settings, artifacts, totp_clock):
    settings.FACTCHECK_REQUIRE_2FA = True
    admin_login_url = f"{live_server.url}/admin/login/"
    page.goto(admin_login_url)
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/security/2fa/enrol/**")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    first_code = totp.at(totp_clock.now)
    page.fill("#id_code", first_code)
    page.click("#enrol-form input[type=submit]")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.screenshot(path=str(artifacts / "2fa-backup-codes.png"))
    page.click("#continue")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.click("#logout-form button")
    page.goto(admin_login_url)
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/security/2fa/verify/**")
    # Codes are single-use per time step: the next login happens one step later.
    totp_clock.now += totp.interval
    second_code = totp.at(totp_clock.now)
    page.fill("#id_code", second_code)
    page.click("#verify-form input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
