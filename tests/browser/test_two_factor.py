"""Two-factor in Chromium: a desk editor enrols (the test computes the TOTP code from the key the
page shows), logs out, and logs back in with password + a fresh code."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def fresh_code(totp: pyotp.TOTP) -> str:
    """A code that stays valid for the next few seconds (and differs from the one used before)."""
    if totp.interval - time.time() % totp.interval < 3:
        time.sleep(3)
    return totp.now()


def test_enrol_log_out_and_log_in_with_a_code(page, live_server, editor, settings, artifacts):
    settings.FACTCHECK_REQUIRE_2FA = True
    admin_login_url = f"{live_server.url}/admin/login/"
    page.goto(admin_login_url)
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/security/2fa/enrol/**")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    first_code = fresh_code(totp)
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
    # TOTP codes are single-use per time step: wait for the next step before logging in again.
    while totp.now() == first_code:
        time.sleep(1)
    page.fill("#id_code", fresh_code(totp))
    page.click("#verify-form input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
