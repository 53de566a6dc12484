"""Entity-tag matching (RFC 9110 §13), for every door that answers conditional requests: the public
site (pages, sitemap, DataFeed) and the API."""

import re

_ETAG_RE = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')


def parse_etags(header: str) -> tuple[bool, list[tuple[bool, str]]]:
    """(`*` given, [(weak, tag), ...]) from an If-Match / If-None-Match header."""
    header = header.strip()
    if header == "*":
        return True, []
    return False, [(bool(m.group(1)), m.group(2)) for m in _ETAG_RE.finditer(header)]


def none_match(header: str | None, etag: str) -> bool:
    """True when `If-None-Match` says the client already has `etag` (weak comparison, as the RFC says)."""
    if not header:
        return False
    star, tags = parse_etags(header)
    return star or any(tag == etag for _weak, tag in tags)
