"""The shape of the code, held by tests: which way imports run, where permission names are written,
how large a module may grow."""

import dis
import re
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLAIMS = REPO / "claims"
MAX_MODULE_LINES = 400
MAX_LOOSE_MODULES = 12


def python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*.py") if "migrations" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    """The modules a file imports, read from its compiled bytecode, nested functions included.

    Not `ast.parse`: on CPython before 3.11.8 (gh-106905) building Python AST objects shares one recursion
    counter across threads, and 3.11's traceback module parses an AST whenever any thread prints a
    traceback, so a test server's thread logging a dropped connection made this test fail with
    "SystemError: AST constructor recursion depth mismatch". Compiling source to bytecode builds no
    Python AST objects."""
    modules = set()
    pending = [compile(path.read_text(encoding="utf-8"), str(path), "exec")]
    while pending:
        code = pending.pop()
        module = None
        for instruction in dis.get_instructions(code):
            if instruction.opname == "IMPORT_NAME":
                module = instruction.argval
                if module:  # `from . import x` imports a package by level, not by name
                    modules.add(module)
            elif instruction.opname == "IMPORT_FROM" and module:
                modules.add(f"{module}.{instruction.argval}")
        pending.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return modules


def imports_from(path: Path, package: str) -> set[str]:
    return {m for m in imported_modules(path) if m == package or m.startswith(package + ".")}


def relative(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_imports_are_found_at_the_top_inside_functions_and_in_from_lists(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import claims.feed\n"
        "from . import sibling\n"
        "def later():\n"
        "    from claims.api import base\n"
        "    class Inner:\n"
        "        import rest_framework.fields\n"
    )
    assert imported_modules(module) == {"claims.feed", "claims.api", "claims.api.base", "rest_framework.fields"}


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


def test_a_postgresql_only_test_is_marked_so_not_skipped_on_sqlite():
    """`make test`'s PostgreSQL pass runs the `postgres` marker (and the smoke set): a test that skips
    itself on SQLite instead would run in neither pass."""
    vendor_skip = re.compile(r"skip(?:if)?\(\s*connection\.vendor")
    offenders = [relative(p) for p in python_files(REPO / "tests") if vendor_skip.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
