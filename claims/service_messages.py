"""Service messages in the reader's language.

The services raise with English message constants (`claims.services.errors`; tests import and match
them), formatted with their values. `translate_message` finds the constant a message was made from
and formats its translation with the same values, so a WorkflowError speaks the language of the
request that caused it (the desk's, or the API's Accept-Language) without the services knowing.
"""

import functools
import re

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


@functools.cache
def _templates() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    from claims.services import errors

    constants = [
        value for name, value in vars(errors).items() if name.isupper() and isinstance(value, str) and value.strip()
    ]
    plain = {value: value for value in constants if not _PLACEHOLDER.search(value)}
    # The longest first: a template that is the prefix of another must not win.
    formatted = [(_pattern(value), value) for value in sorted(constants, key=len, reverse=True) if value not in plain]
    return plain, formatted


def translate_message(message: str) -> str:
    """`message` in the active language when it was made from a known constant; else unchanged."""
    plain, formatted = _templates()
    if message in plain:
        return gettext(message)
    for pattern, template in formatted:
        match = pattern.match(message)
        if match:
            translated = gettext(template)
            return translated.format(**match.groupdict()) if translated != template else message
    return message
