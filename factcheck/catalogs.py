"""The translation catalogs (locale/<lang>/LC_MESSAGES/django.po): how they are regenerated, and the
check CI runs (scripts/check-catalogs, `make lint`): a fresh `makemessages` must leave no message
untranslated or fuzzy in any language, every translation must keep its placeholders, and each
catalog must carry its language's plural rule. See docs/i18n.md.
"""

import ast
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

# What `makemessages` reads: the project's own code and templates, not the virtualenv or tests.
IGNORED = [".venv/*", "venv/*", "node_modules/*", "tests/*", "benchmarks/*", "docs/*", "staticfiles/*", "media/*"]
# gettext's Plural-Forms per language (CLDR): Russian one/few/many; Armenian treats 0 and 1 alike.
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "az": "nplurals=2; plural=(n != 1);",
    "hy": "nplurals=2; plural=(n > 1);",
}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
_LINE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


@dataclass
class Message:
    msgid: str = ""
    msgid_plural: str = ""
    context: str = ""
    translations: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def label(self) -> str:
        return f"[{self.context}] {self.msgid!r}" if self.context else repr(self.msgid)


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def read_catalog(path: Path) -> tuple[str, list[Message]]:
    """The header and the messages of a .po file; entries are blocks separated by blank lines
    (as gettext writes them); obsolete `#~` entries are skipped."""
    messages: list[Message] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        message = Message()
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                message.fuzzy = message.fuzzy or "fuzzy" in line
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
            elif match := _LINE.match(line):
                key = match.group(1)
                parts[key] = ast.literal_eval(match.group(2))
        if "msgid" not in parts:
            continue
        message.msgid = parts["msgid"]
        message.msgid_plural = parts.get("msgid_plural", "")
        message.context = parts.get("msgctxt", "")
        message.translations = [text for name, text in sorted(parts.items()) if name.startswith("msgstr")]
        messages.append(message)
    header = messages.pop(0) if messages and messages[0].msgid == "" else Message()
    return "".join(header.translations), messages


def catalog_problems(language: str, path: Path) -> list[str]:
    """What is wrong with one catalog, one line each; [] when it is complete."""
    header, messages = read_catalog(path)
    problems = []
    expected = PLURAL_FORMS.get(language)
    if expected and f"Plural-Forms: {expected}" not in header:
        problems.append(f"{language}: the header's Plural-Forms is not “{expected}”")
    for message in messages:
        if message.fuzzy:
            problems.append(f"{language}: fuzzy: {message.label}")
        if not message.translations or any(not text for text in message.translations):
            problems.append(f"{language}: untranslated: {message.label}")
            continue
        source = set(_PLACEHOLDER.findall(message.msgid)) | set(_PLACEHOLDER.findall(message.msgid_plural))
        for text in message.translations:
            used = set(_PLACEHOLDER.findall(text))
            # A plural form may leave the number out ("one" in Russian); nothing else may go missing.
            missing = (
                source
                - used
                - ({p for p in source if "counter" in p or "count" in p} if message.msgid_plural else set())
            )
            if used - source or missing:
                problems.append(f"{language}: placeholders differ: {message.label} → {text!r}")
    return problems


def makemessages(locale_dir: Path) -> None:
    """Extract every marked string into `locale_dir`'s catalogs (merging what they already hold)."""
    with override_settings(LOCALE_PATHS=[locale_dir]):
        call_command(
            "makemessages",
            locale=translated_languages(),
            ignore_patterns=IGNORED,
            no_location=True,
            no_obsolete=True,
            verbosity=0,
        )


def check_fresh_catalogs() -> list[str]:
    """Run makemessages over the catalogs and report what the fresh ones lack; the catalogs are
    put back as they were afterwards. (In place: makemessages writes a project file's messages to
    the locale directory above it, whatever LOCALE_PATHS says.) The override catalogs are checked
    as they are (`override_catalog_problems`)."""
    catalogs = Path(settings.LOCALE_PATHS[0])
    with tempfile.TemporaryDirectory() as scratch:
        kept = Path(scratch) / "locale"
        shutil.copytree(catalogs, kept)
        try:
            makemessages(catalogs)
            problems = [problem for language in translated_languages() for problem in _problems(language, catalogs)]
        finally:
            shutil.rmtree(catalogs)
            shutil.copytree(kept, catalogs)
    return problems + override_catalog_problems()


def override_catalog_problems() -> list[str]:
    """The catalogs in the other LOCALE_PATHS (locale_overrides/: our translations of what Django's own
    catalogs leave untranslated) must be complete, unfuzzy, keep their placeholders, carry their
    language's plural rule and compile, like ours; makemessages does not regenerate them."""
    problems = []
    for directory in settings.LOCALE_PATHS[1:]:
        for path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
            language = path.parent.parent.name
            problems += [f"{path}: {problem}" for problem in catalog_problems(language, path)]
            problems += [f"{path}: {problem}" for problem in _msgfmt_problems(language, path)]
    return problems


def _problems(language: str, catalogs: Path) -> list[str]:
    path = catalogs / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return [f"{language}: no catalog at {path}"]
    return catalog_problems(language, path) + _msgfmt_problems(language, path)


def _msgfmt_problems(language: str, path: Path) -> list[str]:
    compiled = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    return [f"{language}: msgfmt --check: {compiled.stderr.strip()}"] if compiled.returncode != 0 else []
