"""The desk's language (issue 21): the user's own choice, kept with history, then the browser's
Accept-Language; Django's own admin strings and the desk's messages follow it, at the same cost."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import DeskProfile
from claims.services.errors import REASON_REQUIRED
from factcheck.locale import DESK_LANGUAGE_SESSION_KEY
from tests.admin.conftest import change_url, drafted_claim, login, researching_claim, transition_url
from tests.admin.test_query_counts import CHANGE_PAGE_QUERIES, CHANGELIST_QUERIES

pytestmark = pytest.mark.django_db

# Django's own admin translation of "Log out", and the desk's own app name, per language.
LOG_OUT = {"en": "Log out", "ru": "Выйти", "az": "Çıx", "hy": "Դուրս գալ"}
APP_NAME = {"en": "Claims and verdicts", "ru": "Утверждения и вердикты", "az": "İddialar və hökmlər",
            "hy": "Պնդումներ և եզրակացություններ"}  # fmt: skip


def choose(client, language: str):
    return client.post(reverse("desk-language"), {"language": language, "next": reverse("admin:index")})


@pytest.mark.parametrize("language", ["en", "ru", "az", "hy"])
def test_without_a_choice_the_desk_follows_the_browser(reviewer, language):
    response = login(reviewer).get(reverse("admin:index"), headers={"accept-language": f"{language},en;q=0.5"})
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert LOG_OUT[language] in html and APP_NAME[language] in html
    assert "Accept-Language" in response["Vary"]


def test_the_users_choice_wins_over_the_browser_and_is_kept_with_history(reviewer):
    client = login(reviewer)
    response = choose(client, "hy")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    page = client.get(reverse("admin:index"), headers={"accept-language": "ru"})
    assert '<html lang="hy"' in page.content.decode()
    assert [str(m) for m in get_messages(page.wsgi_request)] == ["Խմբագրությունն այժմ ձեզ հետ խոսում է այս լեզվով։"]
    profile = DeskProfile.objects.get(user=reviewer)
    assert profile.language == "hy"
    entry = profile.history.get()
    assert entry.history_user == reviewer and entry.history_change_reason
    # A new session (another device) starts in the chosen language.
    assert '<html lang="hy"' in login(reviewer).get(reverse("admin:index")).content.decode()
    # Back to the browser's language: the choice is cleared, with a second history row.
    choose(client, "")
    assert '<html lang="ru"' in client.get(reverse("admin:index"), headers={"accept-language": "ru"}).content.decode()
    assert profile.history.count() == 2


def test_a_language_the_desk_does_not_speak_is_a_form_error(reviewer):
    client = login(reviewer)
    response = choose(client, "de")
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert not DeskProfile.objects.filter(user=reviewer).exists()
    assert client.session[DESK_LANGUAGE_SESSION_KEY] == ""  # as remembered at login: none chosen


def test_the_setting_is_linked_from_every_desk_page(reviewer):
    html = login(reviewer).get(reverse("admin:index"), headers={"accept-language": "az"}).content.decode()
    assert 'id="desk-language-link"' in html and 'Dil: <span lang="az">Azərbaycanca</span>' in html


def test_workflow_refusals_and_labels_speak_the_desks_language(reviewer, second_reviewer):
    client = login(reviewer)
    choose(client, "ru")
    claim = researching_claim(reviewer=reviewer)
    page = client.get(change_url(claim)).content.decode()
    assert "Рабочий процесс — статус:" in page and "Отправить на рецензию" in page
    response = client.post(transition_url(claim), {"to_status": "in_review", "change_reason": " "})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Нужно указать причину."]
    # In English (a user who chose nothing), the same refusal is the constant the code and the tests know.
    english = login(second_reviewer).post(transition_url(claim), {"to_status": "in_review", "change_reason": " "})
    assert [str(m) for m in get_messages(english.wsgi_request)] == [REASON_REQUIRED]


@pytest.mark.parametrize("language", ["ru", "hy"])
def test_desk_pages_cost_the_same_in_every_language(reviewer, editor, language, django_assert_num_queries):
    claim = drafted_claim(reviewer=reviewer)
    client = login(editor)
    choose(client, language)
    client.get(reverse("admin:claims_claim_changelist"))  # warm the session and the content types
    with django_assert_num_queries(CHANGELIST_QUERIES):
        assert f'<html lang="{language}"' in client.get(reverse("admin:claims_claim_changelist")).content.decode()
    client.get(change_url(claim))
    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        assert client.get(change_url(claim)).status_code == 200
