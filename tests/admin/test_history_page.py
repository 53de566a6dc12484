"""The claim's history page: one date format everywhere (rows and diffs), and who made each change —
a user, or "fixture" for the rows the demo load wrote."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.templatetags.claims_desk import desk_datetime
from tests.admin.conftest import history_url, login
from tests.builders import published_claim

pytestmark = pytest.mark.django_db

PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d{6}")
DJANGO_DEFAULT_DATETIME = re.compile(r"\b(a\.m\.|p\.m\.|noon|midnight)")


def test_fixture_rows_say_fixture_not_none(article_claims, editor):
    claim = Claim.objects.get(slug=PASHINYAN)
    html = login(editor).get(history_url(claim)).content.decode()
    assert "fixture" in html
    assert ">None<" not in html and "None\n" not in html
    assert desk_datetime(claim.history.first().history_date) in html


def test_desk_rows_and_their_diffs_use_one_date_format(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    html = login(editor).get(history_url(claim)).content.decode()
    verdict = claim.verdict
    assert f"{desk_datetime(verdict.published_at)}" in html  # the diff of the verdict's approval
    assert not MICROSECONDS.search(html)
    assert not DJANGO_DEFAULT_DATETIME.search(html)
    assert editor.username in html and reviewer.username in html


def test_the_revert_page_uses_the_same_format(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    first = claim.history.order_by("history_id").first()
    html = login(editor).get(reverse("admin:claims_claim_revert", args=[claim.pk, first.history_id])).content.decode()
    assert desk_datetime(first.history_date) in html
