"""The shape of the code, held by tests: which way imports run, where permission names are written,
how large a module may grow."""

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLAIMS = REPO / "claims"
MAX_MODULE_LINES = 400
MAX_LOOSE_MODULES = 12


def python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*.py") if "migrations" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def imports_from(path: Path, package: str) -> set[str]:
    return {m for m in imported_modules(path) if m == package or m.startswith(package + ".")}


def relative(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_nothing_below_the_api_imports_it_only_urlconfs_do():
    offenders = {
        relative(path): imports_from(path, "claims.api")
        for path in python_files(CLAIMS, REPO / "factcheck")
        if "api" not in path.relative_to(CLAIMS if CLAIMS in path.parents else REPO).parts
        and path.name != "urls.py"
        and imports_from(path, "claims.api")
    }
    assert offenders == {}


@pytest.mark.parametrize("consumer", ["claims.push", "claims.tips", "claims.site", "claims.admin", "claims.api"])
def test_the_change_feed_knows_none_of_its_consumers(consumer):
    offenders = [relative(p) for p in python_files(CLAIMS / "feed") if imports_from(p, consumer)]
    assert offenders == []


def test_the_workers_delivery_code_does_not_import_drf():
    offenders = [
        relative(p) for p in python_files(CLAIMS / "push", CLAIMS / "feed") if imports_from(p, "rest_framework")
    ]
    assert offenders == []


def test_the_reference_sync_client_imports_nothing_from_the_server():
    for path in python_files(REPO / "factcheck_sync"):
        assert not imports_from(path, "claims") and not imports_from(path, "django"), relative(path)


def test_permission_names_are_written_once():
    """`"claims.<codename>"` appears in services/permissions.py only (roles.py grants bare codenames).
    Tests may spell them out: a test restating what a role holds is a second, independent statement."""
    pattern = re.compile(
        r"""["']claims\.(?:add|change|delete|view|publish|reopen|archive|withdraw|correct|replay)_\w+["']"""
    )
    offenders = {
        relative(path): pattern.findall(path.read_text(encoding="utf-8"))
        for path in python_files(CLAIMS, REPO / "factcheck", REPO / "factcheck_sync", REPO / "benchmarks")
        if path != CLAIMS / "services" / "permissions.py" and pattern.search(path.read_text(encoding="utf-8"))
    }
    assert offenders == {}


def test_no_module_is_over_the_size_limit():
    roots = [CLAIMS, REPO / "factcheck", REPO / "factcheck_sync", REPO / "benchmarks" / "loadgen"]
    too_long = {
        relative(path): lines
        for path in python_files(*roots)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_claims_keeps_few_loose_modules():
    loose = sorted(p.name for p in CLAIMS.glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose
