"""Sentence vectors of claims, for semantic "has this been checked before?" (claims.matching).

Derived data, recomputed from the claim's text by the worker: no history. One row per claim; the
vector is float16 bytes (384 × 2 = 768 bytes per claim, 77 MB at 100k claims), plenty for cosine
ranking (float16 keeps 3 significant digits; the thresholds are two-digit). PostgreSQL here has
no pgvector: the ranking runs in the web process over a matrix loaded from this table
(claims.matching.index); `updated_at` (indexed) lets each process fetch only what changed.
"""

from django.db import models


class ClaimEmbedding(models.Model):
    claim = models.OneToOneField("claims.Claim", on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    model = models.CharField(max_length=100, help_text="The embedder that made the vector.")
    text_sha256 = models.CharField(max_length=64, help_text="Of the text the vector was made from.")
    # The claim's language when the vector was made: the index centres each vector on its language's mean.
    language = models.CharField(max_length=35, blank=True)
    vector = models.BinaryField(help_text="float16, little-endian, L2-normalised.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "claim embedding"

    def __str__(self) -> str:
        return f"embedding of claim {self.claim_id} ({self.model})"
