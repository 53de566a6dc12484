"""The Russian and Armenian versions of the public pages and of the desk are valid HTML too (the Nu
HTML Checker, 0 errors): translations put markup (links, <time>) inside sentences, and the
language switcher and hreflang links are on every page."""

import pytest

from claims.services.profiles import desk_language_set
from tests.nu_checker import check_pages
from tests.test_html_validity import desk_data, desk_pages, public_pages

pytestmark = pytest.mark.django_db

__all__ = ["desk_data"]  # the fixture, shared with the English check


class PrefixedClient:
    """The test client, asking for each public page's version in `language` (/ru/claims/…)."""

    def __init__(self, client, language: str):
        self.client, self.language = client, language

    def get(self, url: str, *args, **kwargs):
        return self.client.get(f"/{self.language}{url}", *args, **kwargs)


@pytest.mark.parametrize("language", ["ru", "hy"])
def test_russian_and_armenian_pages_have_no_nu_checker_errors(client, desk_data, reviewer, editor, language, tmp_path):
    pages = public_pages(PrefixedClient(client, language), desk_data)
    assert all(f'<html lang="{language}">' in html for html in pages.values())
    for user in (reviewer, editor):  # the desk in the same language, chosen by each user
        desk_language_set(user=user, language=language, reason="Test")
    desk = desk_pages(reviewer, editor, desk_data)
    assert all(f'<html lang="{language}"' in html for html in desk.values())
    errors = check_pages({**pages, **desk}, tmp_path)
    report = "\n".join(str(message) for found in errors.values() for message in found)
    assert not report, f"{sum(map(len, errors.values()))} errors:\n{report}"
