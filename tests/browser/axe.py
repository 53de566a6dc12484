"""axe-core in Chromium: the engine is a local file (tests/browser/vendor/axe.min.js, axe-core 4.14.1
from npm, MPL-2.0), injected into the page under test; nothing is fetched."""

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every axe violation on the page as loaded: [{id, impact, nodes: [target, ...]}]."""
    # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not block.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]} for v in found]


def count_nodes(violations: list[dict[str, Any]]) -> int:
    return sum(len(v["nodes"]) for v in violations)
