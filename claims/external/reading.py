"""Find the ClaimReview objects in a document, whatever shape its publisher wrote them in.

HTML pages go through extruct (JSON-LD, microdata and RDFa); JSON documents are read as JSON-LD.
Real publishers write `@graph`s, top-level arrays, several reviews on one page, DataFeeds
(`dataFeedElement` → `DataFeedItem.item`), references by `@id`, full schema.org IRIs as keys, and
`{"@value": …}` wrappers (RDFa). Everything is brought to one plain shape: short schema.org keys,
nested objects, scalars where there is one value.
"""

import json
import re
from typing import Any

import extruct
from django.utils.translation import gettext_noop

from claims.service_messages import StoredMessage

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
DOCUMENT_NOT_READABLE = gettext_noop("Not a JSON-LD document or an HTML page: {error}")
NEITHER_JSON_NOR_HTML = gettext_noop("neither JSON nor HTML")
NO_CLAIMREVIEW_FOUND = gettext_noop("No ClaimReview found in this document.")
DOCUMENT_TOO_DEEP = gettext_noop("The document nests objects and lists more than {limit} levels deep: refused.")
MAX_DEPTH = 40
# Real ClaimReview documents nest a dozen levels; this bound keeps every recursive walk below far
# from Python's recursion limit (a 5,000-deep document raised RecursionError in the importer).
MAX_DOCUMENT_DEPTH = 200


class UnreadableDocument(ValueError):
    pass


def deeper_than(value: object, limit: int) -> bool:
    """Whether `value` (parsed JSON) nests dicts and lists more than `limit` levels deep, walked
    without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: list = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def json_deeper_than(text: str, limit: int) -> bool:
    """Whether a JSON text opens more than `limit` brackets at once (strings skipped), read before
    parsing: the parser itself recurses once per level."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def short_name(name: str) -> str:
    for prefix in SCHEMA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def types_of(node: dict) -> set[str]:
    value = node.get("@type", [])
    return {short_name(t) for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _index_nodes(value: object, index: dict) -> None:
    if isinstance(value, dict):
        if isinstance(value.get("@id"), str) and len(value) > 1:
            index.setdefault(value["@id"], value)
        for child in value.values():
            _index_nodes(child, index)
    elif isinstance(value, list):
        for child in value:
            _index_nodes(child, index)


def _plain(value: Any, index: dict, depth: int = 0) -> Any:  # noqa: ANN401  # a JSON-LD value of any shape
    """Short keys, references resolved, `@value` unwrapped, one-element lists flattened."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, list):
        items = [_plain(v, index, depth + 1) for v in value]
        items = [v for v in items if v not in (None, "", [], {})]
        return items[0] if len(items) == 1 else items
    if not isinstance(value, dict):
        return value
    if "@value" in value:
        return value["@value"]
    if set(value) == {"@id"} and value["@id"] in index:
        value = index[value["@id"]]
    elif set(value) == {"@id"}:
        return value["@id"]  # a plain IRI (RDFa writes links this way)
    plain = {}
    for key, child in value.items():
        if key == "@type":
            types = sorted(types_of(value))
            plain["@type"] = types[0] if len(types) == 1 else types
        elif key == "@context" or (key == "@id" and not str(child).startswith("_:")):
            plain[key] = child  # blank-node ids differ at every parse: dropped
        elif not key.startswith("http://www.w3.org/"):
            plain[short_name(key)] = _plain(child, index, depth + 1)
    return plain


def _collect(value: object, found: list, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for child in value:
            _collect(child, found, depth + 1)
    elif isinstance(value, dict):
        if "ClaimReview" in types_of(value):
            found.append(value)
            return
        for child in value.values():  # @graph, dataFeedElement, item, mainEntity, …
            _collect(child, found, depth + 1)


def claimreviews_in(roots: list, page_language: str = "") -> list[dict]:
    index: dict = {}
    _index_nodes(roots, index)
    found: list = []
    _collect(_plain(roots, index) if not isinstance(roots, dict) else [_plain(roots, index)], found)
    if page_language:
        for review in found:
            review.setdefault("_page_language", page_language)
    return found


def _looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] in {"{", "["}


HTML_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z0-9-]+)", re.IGNORECASE)


def read_claimreviews(data: bytes, *, base_url: str | None = None) -> list[dict]:
    """Every ClaimReview in `data` (an HTML page or a JSON-LD document): JSON-LD, then microdata, then RDFa."""
    text = data.decode("utf-8-sig", errors="replace")
    if _looks_like_json(text):
        if json_deeper_than(text, MAX_DOCUMENT_DEPTH):
            raise UnreadableDocument(StoredMessage(DOCUMENT_TOO_DEEP, limit=MAX_DOCUMENT_DEPTH))
        try:
            roots = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableDocument(StoredMessage(DOCUMENT_NOT_READABLE, error=exc)) from exc
        found = claimreviews_in(roots if isinstance(roots, list) else [roots])
    elif "<" in text:
        try:
            extracted = extruct.extract(
                text, base_url=base_url, syntaxes=["json-ld", "microdata", "rdfa"], uniform=True, errors="log"
            )
        except RecursionError as exc:  # a JSON-LD block nested past the parser's recursion limit
            raise UnreadableDocument(StoredMessage(DOCUMENT_TOO_DEEP, limit=MAX_DOCUMENT_DEPTH)) from exc
        except Exception as exc:  # extruct raises parser-specific errors on hostile markup
            raise UnreadableDocument(StoredMessage(DOCUMENT_NOT_READABLE, error=exc)) from exc
        lang = HTML_LANG.search(text)
        found = []
        for syntax in ("json-ld", "microdata", "rdfa"):
            blocks = extracted.get(syntax, [])
            if deeper_than(blocks, MAX_DOCUMENT_DEPTH):
                raise UnreadableDocument(StoredMessage(DOCUMENT_TOO_DEEP, limit=MAX_DOCUMENT_DEPTH))
            found += claimreviews_in(blocks, lang.group(1) if lang else "")
    else:
        raise UnreadableDocument(StoredMessage(DOCUMENT_NOT_READABLE, error=StoredMessage(NEITHER_JSON_NOR_HTML)))
    if not found:
        raise UnreadableDocument(StoredMessage(NO_CLAIMREVIEW_FOUND))
    return found
