"""JSON request bodies with bounded nesting and no NUL characters.

DRF's JSONParser hands the body to `json.load`, which recurses once per nesting level: 5,000
levels raised RecursionError, a 500. The depth is measured first by a linear scan (strings
skipped), so a deep body never reaches the recursive parser; `\\u0000` in any string or key is
refused too, because PostgreSQL cannot store it.
"""

import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

JSON_TOO_DEEP = gettext_noop("JSON nested deeper than {limit} levels is not accepted.")
JSON_NUL_REFUSED = gettext_noop("NUL characters (\\u0000) are not accepted in JSON strings.")

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _contains_nul(data: object) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _refused(message: str) -> ParseError:
    # The API's 400 shape (`{field: [messages]}`), as the OpenAPI schema documents it.
    return ParseError({"non_field_errors": [message]})


class BoundedJSONParser(JSONParser):
    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:  # noqa: ANN401  # JSON of any shape, as DRF's parsers return
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        limit = settings.FACTCHECK_JSON_MAX_DEPTH
        if json_depth(text) > limit:
            raise _refused(gettext(JSON_TOO_DEEP).format(limit=limit))
        try:
            data = super().parse(_Bytes(raw), media_type, parser_context)  # type: ignore[arg-type]  # read() is all it uses
        except RecursionError as exc:  # a defence in depth: the scan above should make this unreachable
            raise _refused(gettext(JSON_TOO_DEEP).format(limit=limit)) from exc
        if _contains_nul(data):
            raise _refused(gettext(JSON_NUL_REFUSED))
        return data


class _Bytes:
    """The already-read body, as the stream DRF's JSONParser expects."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    def read(self, *args: Any) -> bytes:
        raw, self._raw = self._raw, b""
        return raw
