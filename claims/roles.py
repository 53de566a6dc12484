"""The desk's roles. Reviewers research and draft; editors also approve, publish, reopen and archive.

`ensure_roles` is idempotent: it runs after every `migrate` (see apps.py) and sets each group's
permissions to exactly the lists below. No role can change or delete history rows: the
historical models' permissions are given to nobody.
"""

from django.contrib.auth.models import Group, Permission

REVIEWER = "Reviewer"
EDITOR = "Editor"

_RESEARCH = [
    "view_claimant", "add_claimant", "change_claimant",
    "view_source", "add_source", "change_source",
    "view_sourcesnapshot", "add_sourcesnapshot",
    "view_claim", "add_claim", "change_claim",
    "view_evidence", "add_evidence", "change_evidence", "delete_evidence",
    "view_claimrelation", "add_claimrelation", "change_claimrelation", "delete_claimrelation",
    "view_verdict", "add_verdict", "change_verdict",
    # Translations (issue 21): reviewers translate, editors publish.
    "view_verdicttranslation", "add_verdicttranslation", "change_verdicttranslation",
    "view_ratingtranslation",
    "view_rating",
    "view_correction",
    "view_changeevent",
    "view_unpublished",
    # External reviews (issue 13): read them, decide the proposed links to our claims.
    "view_externalreview", "view_externalreviewlink", "change_externalreviewlink",
    # Tips (issue 23): the inbox and its moves.
    "view_tip", "view_tipcluster", "move_tipcluster",
]  # fmt: skip

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REVIEWER: _RESEARCH,
    EDITOR: [
        *_RESEARCH,
        "publish_claim", "reopen_claim", "archive_claim", "withdraw_claim", "delete_claim",
        "view_withdrawal",
        "correct_verdict",
        "add_rating", "change_rating",
        "publish_verdicttranslation",
        "add_ratingtranslation", "change_ratingtranslation", "delete_ratingtranslation",
        "delete_claimant", "delete_source",
        "change_published_reference",
        # Push (issue 13): partners' webhooks and their delivery log.
        "view_webhooksubscription", "add_webhooksubscription", "change_webhooksubscription",
        "delete_webhooksubscription", "replay_webhooksubscription", "view_webhookdelivery",
        "add_externalreview", "change_externalreview",
    ],
}  # fmt: skip


def ensure_roles() -> dict[str, Group]:
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for role {name}: {sorted(missing)}")
        group.permissions.set(permissions)
        groups[name] = group
    return groups
