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
# Drafts, claims in review and withdrawn ones: both desk roles hold it (`is_staff` decides nothing).
VIEW_UNPUBLISHED = "claims.view_unpublished"
ADD_SOURCE = "claims.add_source"
CAPTURE_SOURCE = "claims.add_sourcesnapshot"
# Claimants, sources and ratings that a published claim shows (issue 11).
CHANGE_PUBLISHED_REFERENCE = "claims.change_published_reference"
DECIDE_EXTERNAL_LINK = "claims.change_externalreviewlink"
REPLAY_WEBHOOKS = "claims.replay_webhooksubscription"
# Tips (issue 23): the inbox, and the moves on its clusters.
VIEW_TIPS = "claims.view_tip"
VIEW_TIP_CLUSTERS = "claims.view_tipcluster"
MOVE_TIP_CLUSTERS = "claims.move_tipcluster"
IMPORT_EXTERNAL_REVIEWS = "claims.add_externalreview"
# Translations of published fact-checks (issue 21): reviewers translate, editors publish.
ADD_TRANSLATION = "claims.add_verdicttranslation"
TRANSLATE = "claims.change_verdicttranslation"
PUBLISH_TRANSLATION = "claims.publish_verdicttranslation"
