"""The permission each door into the services needs, named once.

The services check these; the admin and the API read them (never restate them) to decide which
buttons, actions and endpoints to offer before the service checks again with the object in hand.
"""

ADD_CLAIM = "claims.add_claim"
CHANGE_CLAIM = "claims.change_claim"
DELETE_CLAIM = "claims.delete_claim"
PUBLISH_CLAIM = "claims.publish_claim"
REOPEN_CLAIM = "claims.reopen_claim"
ARCHIVE_CLAIM = "claims.archive_claim"
WITHDRAW_CLAIM = "claims.withdraw_claim"
ADD_EVIDENCE = "claims.add_evidence"
DELETE_EVIDENCE = "claims.delete_evidence"
ADD_RELATION = "claims.add_claimrelation"
DELETE_RELATION = "claims.delete_claimrelation"
DRAFT_VERDICT = "claims.change_verdict"
CORRECT_VERDICT = "claims.correct_verdict"
VIEW_CLAIM = "claims.view_claim"
ADD_SOURCE = "claims.add_source"
ADD_SNAPSHOT = "claims.add_sourcesnapshot"
