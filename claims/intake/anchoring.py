"""Anchoring: where exactly in a captured source a quote or an excerpt is (one service for all).

An anchor is a W3C Web Annotation TextQuoteSelector (`exact` with the shortest `prefix`/`suffix`
that make it unique in the snapshot) plus a TextPositionSelector (`start`, `end`, code points into
the snapshot's text). A passage that differs from the snapshot only by whitespace, quote style or
Unicode normalisation (NFC/NFD, no-break spaces) anchors to the snapshot's own verbatim span;
anything else is refused. Claims and evidence re-verify their anchor on every save through
`anchor_claim` / `anchor_evidence`.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from claims.models import Claim, Evidence, SourceSnapshot

PASSAGE_NOT_FOUND = gettext_noop(
    "This passage was not found in the captured source (snapshot {snapshot}): select it from the snapshot's text."
)
PASSAGE_EMPTY = gettext_noop("Give the passage to anchor: it is empty.")
PASSAGE_AMBIGUOUS = gettext_noop(
    "This passage occurs {count} times in the captured source: give its prefix or suffix (the words just "
    "before or after it), or select it in the snapshot, to say which one is meant."
)
SNAPSHOT_OF_OTHER_SOURCE = gettext_noop("That snapshot is a capture of “{snapshot_source}”, not of “{source}”.")
CONTEXT_TOO_LONG = gettext_noop(
    "The passage cannot be told apart from its repetitions within {limit} characters of context."
)
QUOTE_NEEDS_SOURCE = gettext_noop("A quote anchored in a snapshot needs the source it appeared in.")

# The model's prefix/suffix columns.
CONTEXT_MAX_LENGTH = 200

# Typographic variants a reviewer's typing (or a browser's copy) may differ by.
QUOTE_FOLDS = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
}


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class AnchorError(ValidationError):
    """The passage cannot be anchored in the snapshot; the message says why."""


# ---- normalised matching -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Folded:
    """`text` folded for matching, with where each folded character came from in the original."""

    folded: str
    starts: list[int]  # original index where the cluster behind folded[i] starts
    ends: list[int]  # original index where it ends


def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """Base characters with their combining marks, so NFC and NFD forms fold alike."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        yield i, j
        i = j


def fold(text: str) -> _Folded:
    """NFKC, quotes to ASCII, every run of whitespace (no-break spaces, line breaks) to one space."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, j in _clusters(text):
        cluster = unicodedata.normalize("NFKC", text[i:j])
        for char in cluster:
            char = QUOTE_FOLDS.get(char, char)
            if char.isspace() or char in "\u200b\ufeff":
                if out and out[-1] == " ":
                    ends[-1] = j
                    continue
                char = " "
            out.append(char)
            starts.append(i)
            ends.append(j)
    return _Folded("".join(out), starts, ends)


def _find_all(haystack: str, needle: str) -> list[int]:
    """Every start of `needle` in `haystack`, overlapping ones included."""
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _candidate_spans(text: str, passage: str) -> list[tuple[int, int]]:
    exact = _find_all(text, passage)
    if exact:
        return [(at, at + len(passage)) for at in exact]
    folded_text = fold(text)
    needle = fold(passage).folded.strip()
    if not needle:
        return []
    spans = []
    for at in _find_all(folded_text.folded, needle):
        start = folded_text.starts[at]
        end = folded_text.ends[at + len(needle) - 1]
        spans.append((start, end))
    return spans


def _context_matches(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Whether the given context agrees with the text around the span (compared folded)."""
    if prefix:
        wanted = fold(prefix).folded.lstrip()
        before = fold(text[max(0, start - len(prefix) - 8) : start]).folded
        if wanted and not before.endswith(wanted) and not before.endswith(wanted.rstrip()):
            return False
    if suffix:
        wanted = fold(suffix).folded.rstrip()
        after = fold(text[end : end + len(suffix) + 8]).folded
        if wanted and not after.startswith(wanted) and not after.startswith(wanted.lstrip()):
            return False
    return True


def shortest_unique_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The shortest prefix and suffix (grown together) with which text[start:end] occurs once."""
    exact = text[start:end]
    for size in range(CONTEXT_MAX_LENGTH + 1):
        prefix = text[max(0, start - size) : start]
        suffix = text[end : end + size]
        if len(_find_all(text, prefix + exact + suffix)) == 1:
            return prefix, suffix
        if start - size <= 0 and end + size >= len(text):
            break
    raise AnchorError(gettext(CONTEXT_TOO_LONG).format(limit=CONTEXT_MAX_LENGTH), code="context_too_long")


def _is_unique_with(text: str, prefix: str, exact: str, suffix: str) -> bool:
    return len(_find_all(text, prefix + exact + suffix)) == 1


def anchor_in_text(
    text: str,
    passage: str,
    *,
    prefix: str = "",
    suffix: str = "",
    position: int | None = None,
    snapshot_label: str = "",
) -> Anchor:
    """Anchor `passage` in `text`.

    `prefix`/`suffix` (any length, compared folded) or `position` (roughly where the passage starts,
    e.g. from a selection) choose among several occurrences. The anchor's `exact` is always the
    text's own verbatim span; its prefix/suffix are the given ones when they are verbatim and make
    it unique, otherwise the shortest that do.
    """
    if not passage or not passage.strip():
        raise AnchorError(gettext(PASSAGE_EMPTY), code="passage_empty")
    spans = _candidate_spans(text, passage)
    if not spans:
        raise AnchorError(gettext(PASSAGE_NOT_FOUND).format(snapshot=snapshot_label or "?"), code="passage_not_found")
    if len(spans) > 1 and (prefix or suffix):
        spans = [span for span in spans if _context_matches(text, *span, prefix, suffix)] or spans
    if len(spans) > 1 and position is not None:
        near = [span for span in spans if span[0] <= position < span[1] or span[0] == position]
        spans = near or spans
    if len(spans) > 1:
        raise AnchorError(gettext(PASSAGE_AMBIGUOUS).format(count=len(spans)), code="passage_ambiguous")
    start, end = spans[0]
    exact = text[start:end]
    given_are_verbatim = text[max(0, start - len(prefix)) : start] == prefix and text[end : end + len(suffix)] == suffix
    if (prefix or suffix) and given_are_verbatim and _is_unique_with(text, prefix, exact, suffix):
        return Anchor(exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)
    shortest_prefix, shortest_suffix = shortest_unique_context(text, start, end)
    return Anchor(exact=exact, prefix=shortest_prefix, suffix=shortest_suffix, start=start, end=end)


def verify_stored(text: str, anchor: Anchor) -> bool:
    """A stored anchor still holds: the span is `exact`, with `prefix` and `suffix` right around it."""
    start, end = anchor.start, anchor.end
    return (
        0 <= start <= end <= len(text)
        and text[start:end] == anchor.exact
        and text[max(0, start - len(anchor.prefix)) : start] == anchor.prefix
        and text[end : end + len(anchor.suffix)] == anchor.suffix
    )


def anchor_passage(
    *, snapshot: SourceSnapshot, exact: str, prefix: str = "", suffix: str = "", position: int | None = None
) -> Anchor:
    """Anchor `exact` in `snapshot`; raises AnchorError with the reason."""
    return anchor_in_text(
        snapshot.text, exact, prefix=prefix, suffix=suffix, position=position, snapshot_label=str(snapshot.pk)
    )


def resolve_anchor(
    *,
    snapshot: SourceSnapshot,
    exact: str,
    prefix: str,
    suffix: str,
    start: int | None,
    end: int | None,
) -> Anchor:
    """An anchor that still verifies is kept as it is (a save must never rewrite it); otherwise
    the passage is anchored afresh, with the old start as the hint among repetitions."""
    if start is not None and end is not None:
        stored = Anchor(exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)
        if verify_stored(snapshot.text, stored):
            return stored
    return anchor_passage(snapshot=snapshot, exact=exact, prefix=prefix, suffix=suffix, position=start)


def utf16_to_index(text: str, utf16_offset: int) -> int:
    """A browser's (UTF-16) offset into `text` as a Python (code point) index."""
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


# ---- the models' anchors -------------------------------------------------------------------------


def anchor_claim(claim: Claim) -> None:
    """Verify (or compute) the claim's quote anchor in place, before a save. Raises AnchorError.

    Without a snapshot the stored TextQuoteSelector is kept as typed and the anchor is unverified
    (`quote_anchor_verified` is false).
    """
    snapshot = claim.quote_snapshot
    if snapshot is None:
        claim.quote_start = claim.quote_end = None
        return
    if claim.appeared_in_id is None:
        raise AnchorError({"appeared_in": [gettext(QUOTE_NEEDS_SOURCE)]}, code="quote_needs_source")
    if snapshot.source_id != claim.appeared_in_id:
        message = gettext(SNAPSHOT_OF_OTHER_SOURCE).format(snapshot_source=snapshot.source, source=claim.appeared_in)
        raise AnchorError({"quote_snapshot": [message]}, code="snapshot_of_other_source")
    try:
        anchor = resolve_anchor(
            snapshot=snapshot,
            exact=claim.quote_exact or claim.text,
            prefix=claim.quote_prefix,
            suffix=claim.quote_suffix,
            start=claim.quote_start,
            end=claim.quote_end,
        )
    except AnchorError as error:
        raise AnchorError({"quote_exact": error.messages}, code=error.error_list[0].code) from error
    claim.quote_exact, claim.quote_prefix, claim.quote_suffix = anchor.exact, anchor.prefix, anchor.suffix
    claim.quote_start, claim.quote_end = anchor.start, anchor.end


def latest_snapshot(source_id: int | None) -> SourceSnapshot | None:
    """The source's most recent capture (with its text, for anchoring), or None when it has none."""
    if source_id is None:
        return None
    return SourceSnapshot.objects.filter(source_id=source_id).defer("original").order_by("-captured_at", "-id").first()


def anchor_evidence(evidence: Evidence) -> None:
    """Verify (or compute) the evidence excerpt's anchor in place, before a save. Raises AnchorError."""
    snapshot = evidence.excerpt_snapshot
    if snapshot is None:
        evidence.excerpt_start = evidence.excerpt_end = None
        return
    if snapshot.source_id != evidence.source_id:
        raise AnchorError(
            {
                "excerpt_snapshot": [
                    gettext(SNAPSHOT_OF_OTHER_SOURCE).format(snapshot_source=snapshot.source, source=evidence.source)
                ]
            },
            code="snapshot_of_other_source",
        )
    try:
        anchor = resolve_anchor(
            snapshot=snapshot,
            exact=evidence.excerpt,
            prefix=evidence.excerpt_prefix,
            suffix=evidence.excerpt_suffix,
            start=evidence.excerpt_start,
            end=evidence.excerpt_end,
        )
    except AnchorError as error:
        raise AnchorError({"excerpt": error.messages}, code=error.error_list[0].code) from error
    evidence.excerpt, evidence.excerpt_prefix, evidence.excerpt_suffix = anchor.exact, anchor.prefix, anchor.suffix
    evidence.excerpt_start, evidence.excerpt_end = anchor.start, anchor.end


# ---- readers: the quote in context, and a link that scrolls the original to it ---------------------

CONTEXT_WORDS = 8


def words_around(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """A few whole words before and after the span, for showing a quote in context."""
    before = re.findall(r"\S+\s*", text[max(0, start - 400) : start])
    after = re.findall(r"\s*\S+", text[end : end + 400])
    return "".join(before[-words:]), "".join(after[:words])


# Characters a text directive must percent-encode besides those URLs always do (WICG Scroll to Text
# Fragment: "-", "," and "&" are its syntax).
_FRAGMENT_SAFE = re.compile(r"[A-Za-z0-9_.!~*'()]")


def encode_text_directive_part(value: str) -> str:
    out = []
    for char in value:
        if _FRAGMENT_SAFE.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def context_word(context: str, *, before: bool) -> str:
    """The whole word right next to the quote in `context` (prefix: its last, suffix: its first), or "".

    Only a word separated from the quote by whitespace counts (the directive matches whole words),
    and only one known to be whole: a cut-off first word of a stored prefix is not used.
    """
    tokens = context.split()
    if before:
        if not context[-1:].isspace() or not tokens or (len(tokens) == 1 and not context[:1].isspace()):
            return ""
        return tokens[-1]
    if not context[:1].isspace() or not tokens or (len(tokens) == 1 and not context[-1:].isspace()):
        return ""
    return tokens[0]


TEXT_START_END_WORDS = 4
TEXT_FULL_MAX = 80


def text_fragment(*, exact: str, before: str = "", after: str = "") -> str:
    """`#:~:text=[prefix-,]start[,end][,-suffix]` for `exact`, with `before`/`after` its context.

    Long quotes use the start,end form (their first and last words), so the link stays short;
    one whole word of context either side tells repetitions apart. Whitespace runs become one
    space: the browser matches rendered text, not the source's line breaks.
    """
    exact = " ".join(exact.split())
    if not exact:
        return ""
    words = exact.split(" ")
    if len(exact) <= TEXT_FULL_MAX or len(words) < 2 * TEXT_START_END_WORDS:
        parts = [encode_text_directive_part(exact)]
    else:
        parts = [
            encode_text_directive_part(" ".join(words[:TEXT_START_END_WORDS])),
            encode_text_directive_part(" ".join(words[-TEXT_START_END_WORDS:])),
        ]
    directive = ",".join(parts)
    prefix_word = context_word(before, before=True)
    suffix_word = context_word(after, before=False)
    if prefix_word:
        directive = f"{encode_text_directive_part(prefix_word)}-,{directive}"
    if suffix_word:
        directive = f"{directive},-{encode_text_directive_part(suffix_word)}"
    return f"#:~:text={directive}"
