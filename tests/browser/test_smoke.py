def test_a_reviewer_can_log_in_to_the_admin_in_chromium(page, live_server, reviewer, artifacts):
    from tests.browser.conftest import admin_login

    admin_login(page, live_server, reviewer.username)
    assert page.locator("#site-name").inner_text() == "factcheck desk"
    assert "Claims" in page.content()
