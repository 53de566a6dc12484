"""Anchors over the API: a claim's quote or an evidence excerpt as W3C Web Annotation selectors
(TextQuoteSelector + TextPositionSelector) in a snapshot, and anchoring errors as field errors."""

from typing import NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from claims.api.errors import validation_error_body
from claims.models import Claim, Evidence


def anchor_representation(
    *, snapshot_id: int | None, exact: str, prefix: str, suffix: str, start: int | None, end: int | None
) -> dict:
    """An anchor as W3C Web Annotation selectors."""
    return {
        "snapshot": snapshot_id,
        "verified": snapshot_id is not None and start is not None,
        "selectors": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
            *([{"type": "TextPositionSelector", "start": start, "end": end}] if start is not None else []),
        ],
    }


def claim_anchor(claim: Claim) -> dict:
    return anchor_representation(
        snapshot_id=claim.quote_snapshot_id,
        exact=claim.quote_exact,
        prefix=claim.quote_prefix,
        suffix=claim.quote_suffix,
        start=claim.quote_start,
        end=claim.quote_end,
    )


def evidence_anchor(evidence: Evidence) -> dict:
    return anchor_representation(
        snapshot_id=evidence.excerpt_snapshot_id,
        exact=evidence.excerpt,
        prefix=evidence.excerpt_prefix,
        suffix=evidence.excerpt_suffix,
        start=evidence.excerpt_start,
        end=evidence.excerpt_end,
    )


class AnchorSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField(allow_null=True)
    verified = serializers.BooleanField()
    selectors = serializers.ListField(
        child=serializers.DictField(),
        help_text="TextQuoteSelector {exact, prefix, suffix} and TextPositionSelector {start, end} (code points).",
    )


def raise_as_field_errors(error: DjangoValidationError, field_names: dict[str, str]) -> NoReturn:
    """A service's validation error as the API's field errors, model field names renamed to the API's."""
    body = validation_error_body(error)
    raise serializers.ValidationError({field_names.get(key, key): value for key, value in body.items()})
