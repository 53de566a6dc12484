"""Languages of content (issue 21): the BCP 47 tag a claim, a verdict or a translation is written in.

The desk's languages come first wherever a tag is chosen; any other well-formed tag is accepted
(`langcodes` checks the registry), stored in its standard form ("az-latn" → "az-Latn", "EN" → "en").
The user interface's own language (gettext) is a separate matter: see `settings.LANGUAGES`.
"""

import langcodes
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# The languages the South Caucasus desk works in, in the order the desk offers them.
DESK_LANGUAGES = ("en", "ru", "az", "hy")
DEFAULT_CONTENT_LANGUAGE = "en"
# RFC 5646 recommends room for at least 35 characters.
LANGUAGE_TAG_MAX_LENGTH = 35
LANGUAGE_TAG_INVALID = _("“%(value)s” is not a BCP 47 language tag (for example en, ru, az-Latn, hy).")

# PostgreSQL text-search configuration per primary language subtag; the others (az, hy and every
# language PostgreSQL has no stemmer for here) are indexed with `simple` over `unaccent`.
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}
UNSTEMMED_SEARCH_CONFIG = "simple"


def normalize_language_tag(value: str) -> str:
    """The standard form of a well-formed tag (case, script and region subtags), else the value stripped."""
    value = (value or "").strip()
    if not langcodes.tag_is_valid(value):
        return value
    return langcodes.standardize_tag(value)


def validate_language_tag(value: str) -> None:
    if not langcodes.tag_is_valid((value or "").strip()):
        raise ValidationError(LANGUAGE_TAG_INVALID, code="invalid_language", params={"value": value})


def primary_language(tag: str) -> str:
    """ "az" for "az-Latn-AZ": what the search configuration and the reader's language are matched on."""
    return (tag or "").split("-", 1)[0].lower()


def search_config_for(tag: str) -> str:
    return SEARCH_CONFIGS.get(primary_language(tag), UNSTEMMED_SEARCH_CONFIG)


def is_stemmed(tag: str) -> bool:
    return primary_language(tag) in SEARCH_CONFIGS


def language_name(tag: str) -> str:
    """The language's name in the active UI language ("Russian", "русский" in a Russian page), or the tag."""
    try:
        return str(get_language_info(primary_language(tag))["name_translated"])
    except KeyError:
        return tag


def language_choices() -> list[tuple[str, str]]:
    """The desk's languages first, named in the UI language; other tags are typed in."""
    return [(code, language_name(code)) for code in DESK_LANGUAGES]


def reader_language() -> str:
    """The language the page is being served in (URL prefix or preference, set by LocaleMiddleware)."""
    return primary_language(get_language() or DEFAULT_CONTENT_LANGUAGE)
