from django.db import models


class PublicRevision(models.Model):
    """The public pages' revision counters: one row (id 1), bumped by `claims.feed.revisions`.

    `content` changes with anything a public page shows (home, lists, feed: their cache keys);
    `reference` only with claimant, source and rating edits, which every claim page may show
    (its validators combine it with the claim's own `public_revision`). Derived state, no history.
    Keys carry the times as well as the counters: a database restored from a backup counts from
    an older value again, and must not meet the pages cached after it.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    content = models.BigIntegerField(default=0)
    content_changed_at = models.DateTimeField()
    reference = models.BigIntegerField(default=0)
    reference_changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"public revision {self.content} (reference {self.reference})"
