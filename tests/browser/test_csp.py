"""Zero Content-Security-Policy violations in Chromium on the public pages, the desk's workflow pages,
the browsable API and the API docs. Each page's violations are collected twice: the
`securitypolicyviolation` DOM event (recorded by an init script) and Chromium's console messages.
The count per page is printed for the report."""

import pytest

from claims.models import Claim, Claimant
from tests.admin.conftest import drafted_claim
from tests.browser.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


def violations_on(page, url: str, wait_for: str | None = None) -> list[str]:
    console = []
    handler = lambda message: console.append(message.text) if "Content Security Policy" in message.text else None  # noqa: E731
    page.on("console", handler)
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    if wait_for:
        page.wait_for_selector(wait_for)
    page.wait_for_load_state("networkidle")
    events = page.evaluate("window.__cspViolations")
    page.remove_listener("console", handler)
    return events + console


def test_no_csp_violations_on_public_desk_and_api_pages(browser, live_server, article_claims_tx, reviewer, editor):
    published = Claim.objects.published().first()
    claimant = Claimant.objects.filter(claims__in=Claim.objects.published()).first()
    draft = drafted_claim(reviewer=reviewer)
    public_pages = [
        "/",
        "/claims/",
        "/claims/?q=missile",
        published.get_absolute_url(),
        f"/claimants/{claimant.slug}/",
        "/methodology/",
        "/corrections/",
        "/api/v1/docs/",
    ]
    desk_pages = [
        ("/admin/", None),
        ("/admin/claims/claim/", None),
        (f"/admin/claims/claim/{draft.pk}/change/", "#workflow-panel"),
        (f"/admin/claims/claim/{published.pk}/change/", "#workflow-panel"),
        (f"/admin/claims/claim/{published.pk}/history/", None),
        (f"/admin/claims/claim/{published.pk}/correct/", None),
        (f"/admin/claims/claimant/{claimant.pk}/change/", None),
        ("/admin/claims/evidence/", None),
        ("/api/v1/claims/", None),
        (f"/api/v1/claims/{published.pk}/", None),
        ("/api/v1/docs/", "#swagger-ui .opblock"),
    ]
    counts: dict[str, int] = {}
    found: dict[str, list[str]] = {}

    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/admin/login/")
    counts["/admin/login/"] = len(
        found.setdefault("/admin/login/", violations_on(page, live_server.url + "/admin/login/"))
    )
    for path in public_pages:
        found[path] = violations_on(page, live_server.url + path, "#swagger-ui .opblock" if "docs" in path else None)
        counts[path] = len(found[path])
    admin_login(page, live_server, editor.username)
    for path, wait_for in desk_pages:
        key = f"{path} (editor)"
        found[key] = violations_on(page, live_server.url + path, wait_for)
        counts[key] = len(found[key])
    context.close()

    print("\nCSP violations per page (Chromium):")
    for path, count in counts.items():
        print(f"  {count}  {path}" + (f"  {sorted(set(found[path]))}" if count else ""))
    assert {path: v for path, v in found.items() if v} == {}
