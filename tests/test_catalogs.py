"""The translation catalogs: complete after a fresh makemessages (what CI's `make lint` runs), the
checker itself catches what it must, and plurals follow each language's rule (docs/i18n.md)."""

import shutil
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from factcheck.catalogs import PLURAL_FORMS, catalog_problems, check_fresh_catalogs

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (.ci/run installs it)")

CATALOG = """msgid ""
msgstr ""
"Language: ru\\n"
"Plural-Forms: {plural}\\n"

msgid "Complete"
msgstr "Готово"

msgid "Left out"
msgstr ""

#, fuzzy
msgid "Guessed"
msgstr "Угадано"

msgid "Hello {name}"
msgstr "Привет, {имя}"

msgid "{count} claim"
msgid_plural "{count} claims"
msgstr[0] "{count} утверждение"
msgstr[1] ""
msgstr[2] "{count} утверждений"
"""


def test_a_fresh_makemessages_leaves_no_message_untranslated_or_fuzzy():
    catalogs = sorted(Path("locale").rglob("django.po"))
    before = [path.read_bytes() for path in catalogs]
    assert check_fresh_catalogs() == []
    # The check regenerates the catalogs in place and puts them back as they were.
    assert [path.read_bytes() for path in catalogs] == before


def test_the_check_reports_untranslated_fuzzy_and_broken_messages(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(CATALOG.replace("{plural}", PLURAL_FORMS["ru"]), encoding="utf-8")
    problems = catalog_problems("ru", path)
    assert problems == [
        "ru: untranslated: 'Left out'",
        "ru: fuzzy: 'Guessed'",
        "ru: placeholders differ: 'Hello {name}' → 'Привет, {имя}'",
        "ru: untranslated: '{count} claim'",
    ]


def test_the_check_requires_each_languages_plural_rule(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(CATALOG.replace("{plural}", "nplurals=2; plural=(n != 1);"), encoding="utf-8")
    assert catalog_problems("ru", path)[0] == f"ru: the header's Plural-Forms is not “{PLURAL_FORMS['ru']}”"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 утверждение переведено в статус «x»."),
        (3, "3 утверждения переведены в статус «x»."),
        (5, "5 утверждений переведено в статус «x»."),
        (11, "11 утверждений переведено в статус «x»."),
        (21, "21 утверждение переведено в статус «x»."),
        (24, "24 утверждения переведены в статус «x»."),
    ],
)
def test_russian_has_three_plural_forms(count, expected):
    with translation.override("ru"):
        text = ngettext("{count} claim moved to “{status}”.", "{count} claims moved to “{status}”.", count)
    assert text.format(count=count, status="x") == expected


def test_armenian_and_azerbaijani_count_nouns_in_the_singular():
    # Both languages put the noun in the singular after a number ("3 պնդում", "3 iddia").
    for language, noun in (("hy", "պնդում"), ("az", "iddia")):
        with translation.override(language):
            for count in (0, 1, 3):
                text = ngettext("{count} claim moved to “{status}”.", "{count} claims moved to “{status}”.", count)
                assert f"{{count}} {noun}" in text
