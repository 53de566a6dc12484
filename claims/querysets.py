"""Permission scopes. The public pages and the anonymous API use the same scopes, so they cannot disagree."""

from django.db import models


class ClaimQuerySet(models.QuerySet):
    def published(self):
        """Claims a reader may see: published, with a published verdict."""
        return self.filter(status="published", verdict__published_at__isnull=False)

    def visible_to(self, user):
        """Staff see every claim; everyone else sees the published ones."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class VerdictQuerySet(models.QuerySet):
    def published(self):
        """The published verdicts of published claims."""
        return self.filter(published_at__isnull=False, claim__status="published")

    def visible_to(self, user):
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections of claims that are published now."""
        return self.filter(claim__status="published")


class ChangeEventQuerySet(models.QuerySet):
    def after(self, cursor: int):
        return self.filter(id__gt=cursor).order_by("id")
