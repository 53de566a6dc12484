"""Messages in the reader's language.

Two kinds of message outlive the request or the worker that made them:

- **Service errors.** The services raise with English message constants (`claims.services.errors`;
  tests import and match them), formatted with their values. `translate_message` finds the constant a
  message was made from and formats its translation with the same values, so a WorkflowError speaks
  the language of the request that caused it (the desk's, or the API's Accept-Language) without the
  services knowing. `KnownMessages` does that for any closed set of English templates (the system's
  history reasons use it too: `claims.services.reasons`).
- **Stored messages.** What the worker records for later readers (an intake job's failure, an
  import's failed rows) is a `StoredMessage`: the text in the active language that also keeps its
  English msgid and parameters. `.stored()` is its JSON form; `stored_message_text` renders that form
  in whatever language is active when someone reads it. A plain string in that place (a row written
  before messages were stored this way) is shown as it is.
"""

import functools
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeGuard

from django.utils.translation import gettext

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)
    seen: set[str] = set()
    regex = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex.append(re.escape(part))
        elif part in seen:
            regex.append(f"(?P={part})")
        else:
            seen.add(part)
            regex.append(f"(?P<{part}>.+?)")
    return re.compile("".join(regex) + r"\Z", re.DOTALL)


class KnownMessages:
    """Translates a message made from one of a closed set of English templates (`str.format` with
    plain `{name}` placeholders); any other message is returned unchanged. With `translate_values`,
    a value that is itself made from one of the templates (a word the system filled in, a system
    message inside another) is translated too."""

    def __init__(self, templates: Callable[[], Iterable[str]], *, translate_values: bool = False) -> None:
        self._load = templates
        self._translate_values = translate_values

    @functools.cached_property
    def _templates(self) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
        constants = [value for value in self._load() if value.strip()]
        plain = {value: value for value in constants if not _PLACEHOLDER.search(value)}
        # The longest first: a template that is the prefix of another must not win.
        formatted = [
            (_pattern(value), value) for value in sorted(constants, key=len, reverse=True) if value not in plain
        ]
        return plain, formatted

    def translate(self, message: str) -> str:
        """`message` in the active language when it was made from a known template; else unchanged."""
        plain, formatted = self._templates
        if message in plain:
            return gettext(message)
        for pattern, template in formatted:
            match = pattern.match(message)
            if match:
                translated = gettext(template)
                values = match.groupdict()
                if self._translate_values:
                    values = {name: self.translate(value) for name, value in values.items()}
                    return translated.format(**values)
                return translated.format(**values) if translated != template else message
        return message


def _error_constants() -> list[str]:
    from claims.services import errors

    return [value for name, value in vars(errors).items() if name.isupper() and isinstance(value, str)]


translate_message = KnownMessages(_error_constants).translate


class StoredMessage(str):
    """A message in the active language that remembers its English msgid (a `gettext_noop`
    constant) and its parameters, so that it can be stored and shown later in the reader's language.
    A parameter may be a StoredMessage itself (a translatable detail inside a message)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> "StoredMessage":
        message = super().__new__(cls, _formatted(gettext(msgid), params))
        message.msgid, message.params = msgid, params
        return message

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the msgid (str's would not)
        return _restored, (str(self), self.msgid, self.params)

    def stored(self) -> dict[str, Any]:
        """The JSON form: `{"msgid": …, "params": {…}}`."""
        return {"msgid": self.msgid, "params": {name: storable(value) for name, value in self.params.items()}}


def _restored(text: str, msgid: str, params: dict[str, Any]) -> StoredMessage:
    message = str.__new__(StoredMessage, text)
    message.msgid, message.params = msgid, params
    return message


def storable(value: object) -> object:
    """`value` as JSON can hold it: a StoredMessage in its stored form, a JSON value as it is, anything
    else (an exception, a path) as its text."""
    if isinstance(value, StoredMessage):
        return value.stored()
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def _is_stored_message(value: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict) and set(value) == {"msgid", "params"}


def stored_message_text(value: object) -> str:
    """A stored message in the active language; a plain string (free text written before, or by a
    person) unchanged."""
    if not _is_stored_message(value):
        return str(value)
    params = {
        name: stored_message_text(param) if _is_stored_message(param) else param
        for name, param in value["params"].items()
    }
    try:
        return _formatted(gettext(value["msgid"]), params)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English
        return _formatted(str(value["msgid"]), params)


def _formatted(template: str, params: dict[str, Any]) -> str:
    # A message without values is not formatted: its braces, if any, are text.
    return template.format(**params) if params else template


def error_messages(error: Exception) -> list[str]:
    """The messages of `error`, each StoredMessage kept as one (a ValidationError's messages; another
    exception's own)."""
    from django.core.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        return [error.args[0] if error.args and isinstance(error.args[0], StoredMessage) else str(error)]
    items = (
        [item for items in error.error_dict.values() for item in items]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    messages: list[str] = []
    for item in items:
        if isinstance(item.message, StoredMessage):
            messages.append(item.message)
        else:
            messages.append(str(item.message % item.params) if item.params else str(item.message))
    return messages
