"""django-filter sets for the list endpoints. Every filter narrows the caller's scope; none widens it."""

import datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from claims.models import Claim, Claimant, Evidence, Source, Verdict

MAX_ID = 2**63 - 1  # the database's bigint; a larger number is a 400, not an overflow


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 with any offset Python accepts, normalised to UTC (PostgreSQL refuses offsets beyond ±15:59)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError("Date out of range.", code="invalid") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices,
        help_text="Workflow status (reviewers see every status; the public only published).",
    )
    rating = django_filters.CharFilter(field_name="verdict__rating__slug", help_text="Slug of the verdict's rating.")
    claimant = django_filters.CharFilter(field_name="claimant__slug", help_text="Claimant slug.")
    claimant_id = IdFilter(field_name="claimant_id")
    updated_after = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="lt")

    class Meta:
        model = Claim
        fields = ["status", "rating", "claimant", "claimant_id", "updated_after", "updated_before"]


class VerdictFilter(django_filters.FilterSet):
    rating = django_filters.CharFilter(field_name="rating__slug", help_text="Rating slug.")
    claim = IdFilter(field_name="claim_id")
    updated_after = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="lt")

    class Meta:
        model = Verdict
        fields = ["rating", "claim", "updated_after", "updated_before"]


class ClaimantFilter(django_filters.FilterSet):
    class Meta:
        model = Claimant
        fields = ["kind", "country"]


class SourceFilter(django_filters.FilterSet):
    class Meta:
        model = Source
        fields = ["kind", "reliability"]


class EvidenceFilter(django_filters.FilterSet):
    claim = IdFilter(field_name="claim_id")

    class Meta:
        model = Evidence
        fields = ["claim", "stance"]
