"""Deleting a desk account: an author of history is deactivated instead, with a message, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims.models import Claim
from claims.services.users import user_wrote_history
from tests.admin.conftest import login
from tests.builders import published_claim
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(db):
    return login(make_user("sue-super", None, is_superuser=True))


def delete_url(user) -> str:
    return reverse("admin:auth_user_delete", args=[user.pk])


def test_an_author_of_history_is_not_deleted_and_the_page_says_why(superuser_client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    assert user_wrote_history(reviewer)

    response = superuser_client.post(delete_url(reviewer), {"post": "yes"}, follow=True)

    assert response.status_code == 200
    assert "Deactivate it instead" in response.content.decode()
    assert get_user_model().objects.filter(pk=reviewer.pk).exists()
    assert Claim.history.filter(id=claim.pk, history_user=reviewer).exists()  # the history keeps its author


def test_the_confirmation_page_is_not_offered_for_an_author_either(superuser_client, reviewer, editor):
    published_claim(reviewer=reviewer, editor=editor)
    response = superuser_client.get(delete_url(reviewer))
    assert response.status_code == 302 and response["Location"].endswith(f"/auth/user/{reviewer.pk}/change/")


def test_an_account_that_never_wrote_history_is_deleted(superuser_client):
    newcomer = make_user("nina-new", None)
    assert not user_wrote_history(newcomer)
    response = superuser_client.post(delete_url(newcomer), {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=newcomer.pk).exists()


def test_the_user_list_offers_no_bulk_delete(superuser_client):
    response = superuser_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert 'value="delete_selected"' not in response.content.decode()
