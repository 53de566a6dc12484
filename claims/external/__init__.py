"""ClaimReview from other fact-checkers: reading it (`reading`), fetching it (`fetching`), taking it
in as external reviews (`importing`) and linking it to our claims (`linking`)."""
