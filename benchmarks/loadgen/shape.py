"""The generated desk's shape: the shares of the issue, the words and the rating scale, the run's report."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from claims.models import Claim

REASON = "Generated load (generate_load)"
CHUNK = 5_000
PUBLISHED_SHARE = 0.60
CORRECTED_SHARE = 0.02
RELATED_SHARE = 0.05
PROLIFIC_SHARE = 0.05
ISKANDER_SHARE = 0.10
UNPUBLISHED_STATUSES = [Claim.Status.NEW, Claim.Status.RESEARCHING, Claim.Status.IN_REVIEW, Claim.Status.ARCHIVED]
WORDS = [
    "minister",
    "said",
    "budget",
    "deficit",
    "exports",
    "doubled",
    "unemployment",
    "fell",
    "record",
    "schools",
    "hospitals",
    "border",
    "troops",
    "agreement",
    "vaccine",
    "rates",
    "inflation",
    "wages",
    "taxes",
    "pension",
    "reform",
    "election",
    "turnout",
    "missiles",
]
SCALE = [  # used only when the database has no rating scale yet
    (1, "False", "#b3261e"),
    (2, "Misleading", "#e8710a"),
    (3, "Unproven", "#777777"),
    (4, "Mostly accurate", "#7cb342"),
    (5, "Accurate", "#2e7d32"),
]


@dataclass
class LoadReport:
    claimants: int = 0
    sources: int = 0
    claims: int = 0
    published: int = 0
    evidence: int = 0
    verdicts: int = 0
    corrections: int = 0
    relations: int = 0
    events: int = 0
    history_rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def claims_per_second(self) -> float:
        """Claims with everything that hangs off them (evidence, verdicts, history) per second."""
        spent = sum(v for k, v in self.seconds.items() if k in ("claimants+sources", "claims"))
        return self.claims / spent if spent else 0.0

    @property
    def claim_rows_per_second(self) -> float:
        """Claim rows with their history rows, per second of writing them."""
        spent = self.seconds.get("claim rows", 0.0)
        return self.claims / spent if spent else 0.0

    def summary(self) -> str:
        total = sum(v for k, v in self.seconds.items() if k in ("claimants+sources", "claims", "events"))
        return (
            f"{self.claims} claims ({self.published} published), {self.claimants} claimants, {self.sources} sources, "
            f"{self.evidence} evidence, {self.verdicts} verdicts, {self.corrections} corrections, "
            f"{self.relations} relations, {self.history_rows} history rows, {self.events} change events "
            f"in {total:.1f}s — {self.claims_per_second:,.0f} claims/s with evidence, verdicts, relations and "
            f"history ({self.claim_rows_per_second:,.0f} claim rows/s with their history rows); "
            + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        )


class Sentences:
    """Sentences of random words: each call cuts the next `words` words from one stream of words drawn
    uniformly from WORDS, a million at a time by numpy, so a sentence is one string slice. As random as
    drawing each word (the windows do not overlap), without the Python calls per word that drawing
    them took: ~2.6 s of the main thread's ~13 s at 100k claims (430,000 sentences). The same `rng`
    state gives the same stream."""

    STREAM = 1 << 20

    def __init__(self, rng: random.Random) -> None:
        self.draw = np.random.default_rng(rng.getrandbits(64))
        self.text = ""
        self.starts: list[int] = [0]
        self.next = 0

    def __call__(self, words: int) -> str:
        if self.next + words >= len(self.starts):
            self._refill()
        first, self.next = self.next, self.next + words
        return self.text[self.starts[first] : self.starts[self.next] - 1]

    def _refill(self) -> None:
        drawn = self.draw.integers(len(WORDS), size=self.STREAM)
        self.text = " ".join([WORDS[i] for i in drawn.tolist()])
        # Where each word starts in `text` (and where one more would), for slicing.
        self.starts = [0, *np.cumsum(_WORD_LENGTHS[drawn] + 1).tolist()]
        self.next = 0


_WORD_LENGTHS = np.array([len(word) for word in WORDS])
