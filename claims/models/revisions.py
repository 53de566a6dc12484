from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicRevision(models.Model):
    """The public pages' revision counters: one row (id 1), bumped by `claims.feed.revisions`.

    `content` changes with anything a public page shows (home, lists, feed: their cache keys);
    `reference` only with claimant, source and rating edits, which every claim page may show
    (its validators combine it with the claim's own `public_revision`). Derived state, no history.
    Keys carry the times as well as the counters: a database restored from a backup counts from
    an older value again, and must not meet the pages cached after it.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, verbose_name=_("ID"))
    content = models.BigIntegerField(default=0, verbose_name=_("content revision"))
    content_changed_at = models.DateTimeField(verbose_name=_("content changed"))
    reference = models.BigIntegerField(default=0, verbose_name=_("reference data revision"))
    reference_changed_at = models.DateTimeField(verbose_name=_("reference data changed"))

    class Meta:
        verbose_name = _("public revision")
        verbose_name_plural = _("public revisions")

    def __str__(self) -> str:
        return f"public revision {self.content} (reference {self.reference})"
