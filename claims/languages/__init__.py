"""Content in its own language (issue 21): BCP 47 tags (`tags`), search per language (`search`) and
translations of published fact-checks as pages, the API and the feed show them (`translations`).

Only `tags` is re-exported: the models import it, and the other two import the models.
"""

from claims.languages.tags import (
    DEFAULT_CONTENT_LANGUAGE,
    DESK_LANGUAGES,
    LANGUAGE_TAG_INVALID,
    LANGUAGE_TAG_MAX_LENGTH,
    language_choices,
    language_name,
    normalize_language_tag,
    primary_language,
    reader_language,
    search_config_for,
    validate_language_tag,
)

__all__ = [
    "DEFAULT_CONTENT_LANGUAGE",
    "DESK_LANGUAGES",
    "LANGUAGE_TAG_INVALID",
    "LANGUAGE_TAG_MAX_LENGTH",
    "language_choices",
    "language_name",
    "normalize_language_tag",
    "primary_language",
    "reader_language",
    "search_config_for",
    "validate_language_tag",
]
