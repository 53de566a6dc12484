"""Sentence vectors of claims, for semantic "has this been checked before?" (claims.matching).

Derived data, recomputed from the claim's text by the worker: no history. One row per claim; the
vector is float16 bytes (384 × 2 = 768 bytes per claim, 77 MB at 100k claims), plenty for cosine
ranking (float16 keeps 3 significant digits; the thresholds are two-digit). PostgreSQL here has
no pgvector: the ranking runs in the web process over a matrix loaded from this table
(claims.matching.index); `updated_at` (indexed) lets each process fetch only what changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimEmbedding(models.Model):
    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, primary_key=True, related_name="embedding", verbose_name=_("claim")
    )
    model = models.CharField(
        max_length=100, help_text=_("The embedder that made the vector."), verbose_name=_("embedding model")
    )
    text_sha256 = models.CharField(
        max_length=64, help_text=_("Of the text the vector was made from."), verbose_name=_("text hash (SHA-256)")
    )
    # The claim's language when the vector was made: the index centres each vector on its language's mean.
    language = models.CharField(max_length=35, blank=True, verbose_name=_("language"))
    vector = models.BinaryField(help_text=_("float16, little-endian, L2-normalised."), verbose_name=_("vector"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("claim embedding")
        verbose_name_plural = _("claim embeddings")

    def __str__(self) -> str:
        return f"embedding of claim {self.claim_id} ({self.model})"
