"""django-filter sets for the list endpoints. Every filter narrows the caller's scope; none widens it."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django_filters.fields import IsoDateTimeField

from claims.languages import normalize_language_tag, validate_language_tag
from claims.models import Claim, Claimant, Evidence, Source, Verdict
from claims.querysets import may_view_unpublished

MAX_ID = 2**63 - 1  # the database's bigint; a larger number is a 400, not an overflow


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 with any offset Python accepts, normalised to UTC (PostgreSQL refuses offsets beyond ±15:59)."""

    def to_python(self, value: Any) -> datetime.datetime | None:  # noqa: ANN401  # as Django's Field
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(gettext("Date out of range."), code="invalid") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


# A claim reopened for a correction is public as last published (its CorrectionReview's snapshot):
# for the public, filters match what it shows, never the desk's draft rating or claimant.
SHOWN = "correction_review__public_snapshot__"


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices,
        method="filter_status",
        help_text="Workflow status (reviewers see every status; the public only published).",
    )
    rating = django_filters.CharFilter(method="filter_rating", help_text="Slug of the verdict's rating.")
    claimant = django_filters.CharFilter(method="filter_claimant", help_text="Claimant slug.")
    claimant_id = IdFilter(method="filter_claimant_id")
    updated_after = UtcIsoDateTimeFilter(method="filter_updated_after")
    updated_before = UtcIsoDateTimeFilter(method="filter_updated_before")
    language = django_filters.CharFilter(
        method="filter_language",
        validators=[validate_language_tag],
        help_text="BCP 47 tag of the claim's language: `ru` matches ru and ru-*, `az-Latn` only az-Latn.",
    )

    class Meta:
        model = Claim
        fields = ["status", "rating", "claimant", "claimant_id", "updated_after", "updated_before", "language"]

    def _for_public(self) -> bool:
        return not may_view_unpublished(getattr(self.request, "user", None))

    def _match(self, queryset: QuerySet[Claim], current: dict, shown: dict) -> QuerySet[Claim]:
        """Filter on the current rows; for the public, claims under review on what they show."""
        if not self._for_public():
            return queryset.filter(**current)
        return queryset.filter(
            Q(correction_review__isnull=True, **current) | Q(correction_review__isnull=False, **shown)
        )

    def filter_status(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        if self._for_public():  # every claim the public sees shows status "published"
            return queryset if value == Claim.Status.PUBLISHED else queryset.none()
        return queryset.filter(status=value)

    def filter_rating(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return self._match(queryset, {"verdict__rating__slug": value}, {f"{SHOWN}verdict__rating__slug": value})

    def filter_claimant(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return self._match(queryset, {"claimant__slug": value}, {f"{SHOWN}claimant__slug": value})

    def filter_claimant_id(self, queryset: QuerySet[Claim], name: str, value: int) -> QuerySet[Claim]:
        return self._match(queryset, {"claimant_id": value}, {f"{SHOWN}claimant__id": value})

    def filter_language(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        tag = normalize_language_tag(value)
        current, shown = Q(language=tag), Q(**{f"{SHOWN}language": tag})
        if "-" not in tag:  # a bare language also matches its regional and script variants
            current |= Q(language__startswith=f"{tag}-")
            shown |= Q(**{f"{SHOWN}language__startswith": f"{tag}-"})
        if not self._for_public():
            return queryset.filter(current)
        return queryset.filter(Q(current, correction_review__isnull=True) | Q(shown, correction_review__isnull=False))

    def filter_updated_after(self, queryset: QuerySet[Claim], name: str, value: datetime.datetime) -> QuerySet[Claim]:
        # What the public sees of a claim under review last changed when it was reopened.
        return self._match(queryset, {"updated_at__gte": value}, {"correction_review__opened_at__gte": value})

    def filter_updated_before(self, queryset: QuerySet[Claim], name: str, value: datetime.datetime) -> QuerySet[Claim]:
        return self._match(queryset, {"updated_at__lt": value}, {"correction_review__opened_at__lt": value})


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
