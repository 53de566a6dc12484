"""The change feed: its one append point (`changes`), cursors and retention (`cursors`), and what its
events carry: the public representation of a claim (`representations`), its public revision
(`revisions`) and schema.org ClaimReview (`claimreview`)."""
