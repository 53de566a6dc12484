"""Permission scopes. The public pages and the anonymous API use the same scopes, so they cannot disagree.

Vocabulary: `published()` is what a reader may see; `visible_to(user)` is `published()` unless the
user holds `claims.view_unpublished` (both desk roles do), who sees everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from claims.types import Reader


def may_view_unpublished(user: Reader | None) -> bool:
    # Imported here: the models import these querysets, and the services package imports the models.
    from claims.services.permissions import VIEW_UNPUBLISHED

    return user is not None and user.is_authenticated and user.has_perm(VIEW_UNPUBLISHED)


class VisibleToQuerySet(models.QuerySet[Any]):
    def published(self) -> Self:
        raise NotImplementedError

    def visible_to(self, user: Reader | None) -> Self:
        """Everything for users who may view unpublished work; the published scope for everyone else."""
        return self.all() if may_view_unpublished(user) else self.published()


# A claim is published when its status says so and its verdict was published: `published()` and
# `public()` share the one condition.
PUBLISHED_CLAIM = Q(status="published", verdict__published_at__isnull=False)


class ClaimQuerySet(VisibleToQuerySet):
    def published(self) -> Self:
        """Claims a reader may see: published, with a published verdict."""
        return self.filter(PUBLISHED_CLAIM)

    def public(self) -> Self:
        """Claims a reader may reach by their URL or the API: published ones, and those reopened for a
        correction (shown as last published, from their CorrectionReview, never as the desk drafts
        them). Lists that render current rows use `published()`."""
        return self.filter(PUBLISHED_CLAIM | Q(correction_review__isnull=False))


class VerdictQuerySet(VisibleToQuerySet):
    def published(self) -> Self:
        """The published verdicts of published claims."""
        return self.filter(published_at__isnull=False, claim__status="published")


def _published_claims() -> ClaimQuerySet:
    from claims.models import Claim

    return Claim.objects.published()


class ClaimantQuerySet(VisibleToQuerySet):
    def published(self) -> Self:
        """Claimants of at least one published claim."""
        return self.filter(Exists(_published_claims().filter(claimant=OuterRef("pk"))))


class SourceQuerySet(VisibleToQuerySet):
    def published(self) -> Self:
        """Sources a published claim appeared in or cites as evidence."""
        from claims.models import Evidence

        published = _published_claims()
        return self.filter(
            Q(Exists(published.filter(appeared_in=OuterRef("pk"))))
            | Q(Exists(Evidence.objects.filter(source=OuterRef("pk"), claim__in=published)))
        )


class EvidenceQuerySet(VisibleToQuerySet):
    def published(self) -> Self:
        """Evidence attached to published claims."""
        return self.filter(claim__in=_published_claims())


class CorrectionQuerySet(models.QuerySet[Any]):
    def published(self) -> Self:
        """Corrections readers see: those of claims published now, and those of fact-checks withdrawn
        since (issue 20): a withdrawal takes the verdict down, not the record of how it was corrected."""
        # Joins on the claim, its verdict and its withdrawal (each one row), not `claim__in=…` or
        # EXISTS under an OR: PostgreSQL answers those with a hashed SubPlan over every published
        # claim on each request (200 ms at 100k claims). Joined, the page walks the corrections
        # newest first and stops at its LIMIT.
        return self.filter(
            Q(claim__status="published", claim__verdict__published_at__isnull=False)
            | Q(claim__withdrawal__isnull=False)
        )


class ChangeEventQuerySet(models.QuerySet[Any]):
    def after(self, cursor: int) -> Self:
        return self.filter(id__gt=cursor).order_by("id")
