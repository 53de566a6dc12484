"""How far a PDF's compressed streams expand, measured without trusting the PDF.

A "PDF bomb" is a small file whose Flate streams inflate to gigabytes; pypdf stops at 75 MB per
stream with `LimitReachedError`, after spending the memory. The capture and the evidence
attachments measure first, inflating at most `limit` + 1 bytes in all, and refuse beyond it.
"""

import re
import zlib

from django.utils.translation import gettext_noop

from claims.service_messages import StoredMessage

PDF_MAX_EXPANDED_BYTES = 50_000_000
PDF_TOO_EXPANSIVE = gettext_noop(
    "This PDF's compressed content expands to more than {limit} MB (a “PDF bomb”?): refused. "
    "Save it again as a plain PDF, or paste its text."
)
STREAM_START = re.compile(rb"stream\r?\n")
INFLATE_STEP = 1_000_000


def pdf_expands_beyond(data: bytes, limit: int = PDF_MAX_EXPANDED_BYTES) -> bool:
    """Whether the Flate streams of `data` together inflate to more than `limit` bytes."""
    remaining = limit
    for match in STREAM_START.finditer(data):
        if data[max(0, match.start() - 3) : match.start()] == b"end":
            continue  # the "stream" of an "endstream"
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end != -1 else len(data)]
        inflater = zlib.decompressobj()
        pending = body
        try:
            while pending and remaining >= 0:
                remaining -= len(inflater.decompress(pending, min(INFLATE_STEP, remaining + 1)))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # not Flate (or damaged): pypdf decides about it
        if remaining < 0:
            return True
    return False


def pdf_too_expansive_message(limit: int = PDF_MAX_EXPANDED_BYTES) -> StoredMessage:
    return StoredMessage(PDF_TOO_EXPANSIVE, limit=limit // 1_000_000)
