"""Full-text queries per language on PostgreSQL (issue 21).

Each claim's document is built in its own language's configuration (migration 0101: `english`,
`russian`, else `simple` over `claims_search_fold`). A query is parsed in the reader's language
(the page's language on the public site, the desk user's in the admin) and, so that a reader still
finds claims in the other languages, also in the desk's source language (English) and folded
without stemming: one tsquery, `q_reader || q_english || q_folded`, matched against the one stored
column, so the GIN index answers it whatever the language.

    ru reader, "ракета"     → 'ракет' (russian)  | 'ракета' (english) | 'ракета' (folded)
    az reader, "Gəncə"      → 'gence' (folded)   | 'gəncə' (english)
"""

from typing import TYPE_CHECKING

from django.db.models import Func, TextField, Value

if TYPE_CHECKING:
    from django.contrib.postgres.search import CombinedSearchQuery, SearchQuery

from claims.languages.tags import DEFAULT_CONTENT_LANGUAGE, UNSTEMMED_SEARCH_CONFIG, reader_language, search_config_for

FOLD_FUNCTION = "claims_search_fold"  # migration 0101


def search_configs(language: str | None = None) -> list[str]:
    """The stemmed configurations a query in `language` is parsed with (the reader's, then English)."""
    language = language or reader_language()
    configs = []
    for tag in (language, DEFAULT_CONTENT_LANGUAGE):
        config = search_config_for(tag)
        if config != UNSTEMMED_SEARCH_CONFIG and config not in configs:
            configs.append(config)
    return configs


def claim_search_query(
    text: str, *, language: str | None = None, search_type: str = "websearch"
) -> "SearchQuery | CombinedSearchQuery":
    """The tsquery for `text` (`websearch` syntax from readers, `raw` for the desk's prefix search)."""
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery(
        Func(Value(text), function=FOLD_FUNCTION, output_field=TextField()),
        config=UNSTEMMED_SEARCH_CONFIG,
        search_type=search_type,
    )
    for config in search_configs(language):
        query = SearchQuery(text, config=config, search_type=search_type) | query
    return query
