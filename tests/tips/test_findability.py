"""Where the desk and the public find the tips: the desk's home leads reviewers and editors to the
inbox and the dashboard (and nobody else), and every public page's menu links to the tip form in
the page's language."""

import pytest
from django.urls import reverse

from tests.admin.conftest import login
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

INBOX = "/admin/claims/tipcluster/"
DASHBOARD = "/admin/claims/tipcluster/dashboard/"


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_the_desk_home_leads_reviewers_and_editors_to_the_inbox_and_dashboard(
    role, request, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(role))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    html = page.content.decode()
    panel = html[html.index('id="desk-shortcuts"') :]
    panel = panel[: panel.index("</div>")]
    assert f'href="{INBOX}"' in panel and f'href="{DASHBOARD}"' in panel
    # Above the list of models: the first thing on the page.
    assert html.index('id="desk-shortcuts"') < html.index('class="app-claims')
    assert client.get(INBOX).status_code == 200 and client.get(DASHBOARD).status_code == 200


def test_staff_outside_the_desk_roles_are_not_shown_the_tips(client):
    staff = make_user("sam-staff")  # staff, in no role: the inbox would refuse them
    page = login(staff).get(reverse("admin:index"))
    assert page.status_code == 200
    assert 'id="desk-shortcuts"' not in page.content.decode()
    assert DASHBOARD not in page.content.decode()
    assert login(staff).get(DASHBOARD).status_code == 403


def test_the_desk_home_in_russian_names_the_inbox_in_russian(reviewer):
    page = login(reviewer).get(reverse("admin:index"), headers={"accept-language": "ru"})
    assert "Входящие" in page.content.decode()


@pytest.mark.parametrize("prefix", ["", "/ru", "/az", "/hy"])
@pytest.mark.parametrize("path", ["/", "/claims/", "/methodology/", "/corrections/", "/tips/new/"])
def test_every_public_page_links_to_the_tip_form_in_its_language(client, prefix, path):
    page = client.get(f"{prefix}{path}")
    assert page.status_code == 200
    html = page.content.decode()
    menu = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert f'href="{prefix}/tips/new/"' in menu
    current = 'aria-current="page">' in menu.split(f'href="{prefix}/tips/new/"')[1][:40]
    assert current == (path == "/tips/new/")
