"""Shared test fixtures: desk users in their roles, the article's claims, factories."""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from claims.roles import EDITOR, REVIEWER, ensure_roles
from tests.demo_rows import load_demo_fixture
from tests.live_server import PersistentConnectionsWSGIServer
from tests.migrated_once import migrated_once

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTICLE_PATH = Path(os.environ.get("FACTCHECK_ARTICLE", REPO_ROOT.parent / "shared" / "article.txt"))


# The `smoke` set: database-agnostic tests that the PostgreSQL pass of `make test` runs as well (the
# SQLite pass runs everything). One module per layer, not every module of it: the workflow's move table
# and publishing in services, the desk's workflow, history, API reads, conditional writes, and the
# query counts of every page and list endpoint (a vendor's query plan differs; the count must not).
# `make test-postgres-all` runs everything on PostgreSQL.
SMOKE = [
    REPO_ROOT / "tests" / path
    for path in (
        "test_workflow.py",
        "test_workflow_publishing.py",
        "test_history.py",
        "api/test_read.py",
        "api/test_writes.py",
        "api/test_list_query_counts.py",
        "pages/test_query_counts.py",
        "admin/test_claim_workflow.py",
    )
]


# Modules whose tests read rows a module-scoped fixture builds once (tests/shared_rows.py): each goes to
# one xdist worker whole (split over two, each worker built the rows again: 7 s for the pages' large set).
SHARED_ROWS_MODULES = frozenset(
    f"tests/{path}"
    for path in (
        "pages/test_query_counts.py",
        "api/test_list_query_counts.py",
        "api/test_generated_client.py",
        "test_generated_load.py",
        "test_plans.py",
        "tips/test_plans.py",
    )
)


# The browser tests go to one worker together, so one Chromium serves them all: a second one, on the
# other worker, cost about 15 s more of CPU for the same 25 tests.
BROWSER_TESTS = "tests/browser/"


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` that keeps SHARED_ROWS_MODULES together, and the browser tests. xdist's own
    groups rename the test's node id, which pytest 9 ignores: with them, every test was scheduled on its own."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedRowsScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module.startswith(BROWSER_TESTS):
                return BROWSER_TESTS
            return module if module in SHARED_ROWS_MODULES else nodeid

    return SharedRowsScheduling(config, log)


def pytest_configure(config):
    # The live server (`live_server`: Chromium, schemathesis, the generated client) writes a response's
    # headers and body in separate sends; with Nagle's algorithm on, the body waited for the client's
    # delayed ACK, 40 ms a request (50 ms for a 404, 10 ms without). gunicorn, which production runs,
    # sets TCP_NODELAY itself.
    QuietWSGIRequestHandler.disable_nagle_algorithm = True
    # And it keeps a database connection per client connection, not one per request (tests/live_server.py).
    LiveServerThread.server_class = PersistentConnectionsWSGIServer


@pytest.hookimpl(tryfirst=True)  # before `-m "postgres or smoke"` deselects
def pytest_collection_modifyitems(config, items):
    """Mark the smoke set; PostgreSQL-only tests skip on SQLite (`make test` runs them in its PostgreSQL
    pass)."""
    for item in items:
        if item.path in SMOKE:
            item.add_marker(pytest.mark.smoke)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of `make test`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def migrate_once_per_run(tmp_path_factory, django_db_blocker):
    """`migrate` run by one xdist worker of the run and copied by the others (tests/migrated_once.py),
    while pytest-django's `django_db_setup` makes the test databases (it is set up after this)."""
    once = migrated_once(tmp_path_factory.getbasetemp().parent)
    if once is None:
        yield
        return
    once.start()
    try:
        yield once
    finally:
        once.stop()
        with django_db_blocker.unblock():
            once.drop()


@pytest.fixture(scope="session")
def django_db_setup(migrate_once_per_run, django_db_setup):
    """pytest-django's, the test databases made through the run's copy; then `migrate` is itself again."""
    if migrate_once_per_run is not None:
        migrate_once_per_run.stop()
    return django_db_setup


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache: a page cached by another test is not this one's."""
    caches["default"].clear()


@pytest.fixture(autouse=True, scope="session")
def each_text_embedded_once_per_process():
    """The real model embeds each distinct text once per test process (the article's claims, the
    evaluation set's): a vector depends on its text alone, and tests embed the same few dozen texts
    again and again. Keyed by the text as the embedder cleans it, so every caller gets the model's
    vector for what the model would have read."""
    from claims.matching.embeddings import LocalE5Embedder, _clean

    compute = LocalE5Embedder.embed
    vectors: dict[str, np.ndarray] = {}

    def embed(self: LocalE5Embedder, texts: list[str]) -> np.ndarray:
        if not texts:
            return compute(self, [])
        cleaned = _clean(texts)
        missing = [text for text in dict.fromkeys(cleaned) if text not in vectors]
        if missing:
            vectors.update(zip(missing, compute(self, missing), strict=True))
        return np.stack([vectors[text] for text in cleaned])

    LocalE5Embedder.embed = embed  # type: ignore[method-assign]
    yield
    LocalE5Embedder.embed = compute  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def fresh_claim_vector_index():
    """Each test's claims are its own: the process's vector index (claims.matching) starts empty."""
    from claims.matching.index import forget_indexes

    forget_indexes()


@dataclass(frozen=True)
class OpenAPISchema:
    path: Path
    document: dict


@pytest.fixture(scope="session")
def openapi_schema(tmp_path_factory, django_db_blocker) -> OpenAPISchema:
    """The API's OpenAPI document as `manage.py spectacular` writes it (validated, warnings fatal),
    generated once per test process: the tests that read it only read it. Parsed with libyaml's
    loader (the pure-Python one took seconds for each read of the 1 MB document)."""
    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return OpenAPISchema(path=path, document=yaml.load(path.read_text(), Loader=yaml.CSafeLoader))


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
    """The demo fixture, as `make run` loads it (by the command once per process, then copied:
    tests/demo_rows.py)."""
    load_demo_fixture()


@pytest.fixture
def article_claims_tx(transactional_db):
    """The demo fixture, committed (for tests whose servers or threads read it), loaded as `article_claims` is."""
    load_demo_fixture()
