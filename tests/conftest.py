"""Shared test fixtures: desk users in their roles, the article's claims, factories."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from claims.roles import EDITOR, REVIEWER, ensure_roles

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTICLE_PATH = Path(os.environ.get("FACTCHECK_ARTICLE", REPO_ROOT.parent / "shared" / "article.txt"))


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip on SQLite (`make test` runs them in its PostgreSQL pass)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of `make test`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache: a page cached by another test is not this one's."""
    caches["default"].clear()


@pytest.fixture
def article_text() -> str:
    return ARTICLE_PATH.read_text(encoding="utf-8")


def make_user(username: str, role: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw", **{"is_staff": True, **extra})
    if role:
        user.groups.add(ensure_roles()[role])
    return user


@pytest.fixture
def reviewer(db):
    return make_user("rita-reviewer", REVIEWER)


@pytest.fixture
def second_reviewer(db):
    return make_user("rob-reviewer", REVIEWER)


@pytest.fixture
def editor(db):
    return make_user("eddie-editor", EDITOR)


@pytest.fixture
def second_editor(db):
    return make_user("erin-editor", EDITOR)


@pytest.fixture
def outsider(db):
    """Logged in, but in no role."""
    return make_user("otto-outsider", None, is_staff=False)


@pytest.fixture
def article_claims(db):
    """The demo fixture, loaded the way `make run` loads it."""
    call_command("loaddata", "article_claims", verbosity=0)


@pytest.fixture
def article_claims_tx(transactional_db):
    call_command("loaddata", "article_claims", verbosity=0)
