""" "Has this been checked before?" across languages (issue 22).

The service other capabilities call: `ranking.find_similar_claims(text, limit=, exclude_id=)` (the
desk's add form, `GET /api/v1/claims/similar/`, linking imported external reviews, the tips inbox)
and `language.detect_language(text)`. Modules: `similarity` (the lexical ranking: trigram +
full-text), `embeddings` (the embedder interface and its two backends), `language` (detection),
`centring` + `index` (the in-process vector index), `ranking` (hybrid fusion), `vectors` + `tasks`
(keeping vectors current in the worker).
"""
