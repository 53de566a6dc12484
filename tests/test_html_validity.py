"""Every public page and the desk's claim pages are valid HTML: 0 errors from the Nu HTML Checker.

The pages are rendered with the data that exposed errors before: verdicts published and corrected
in the desk (timestamps with microseconds), a claim with evidence, a draft verdict and a relation
(the admin's inlines), fixture-loaded history rows, a list with a filter error; and what the
intake and push branches added: quotes in context (the demo's article captured and anchored), a
confirmed link to another fact-checker's review, the desk's source page with its snapshot text and
a claim form prefilled from a selection.
"""

import json
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import services
from claims.external.importing import external_reviews_import_document
from claims.external.linking import external_review_link_decide
from claims.models import Claim, Evidence, ExternalReviewLink, Rating, SourceSnapshot
from claims.services.profiles import desk_language_set
from claims.tips import services as tips_services
from tests.admin.conftest import drafted_claim, login
from tests.builders import published_claim
from tests.conftest import ARTICLE_PATH
from tests.external import documents
from tests.factories import SourceFactory
from tests.nu_checker import check_pages

pytestmark = pytest.mark.django_db

PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
RANGE_CLAIM = "iskander-m-maximum-range-500-km"
HAKOBYAN = "hakobyan-iskander-used-in-the-war"


@pytest.fixture
def desk_data(article_claims, reviewer, second_reviewer, editor, settings):
    """The article's claims (the article captured and their quotes anchored, as `make run` does), one
    of them corrected in the desk, one linked to another fact-checker's review, and a claim in
    research with everything its change page can show."""
    settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
    call_command("setup_demo", verbosity=0)
    corrected = Claim.objects.get(slug=PASHINYAN)
    services.verdict_correct(
        verdict=corrected.verdict,
        user=editor,
        public_reason="The office's retraction was dated wrongly.",
        reason="Correction requested by the claimant's office.",
        rating=Rating.objects.order_by("value").first(),
        headline="Corrected headline",
        rationale="Corrected rationale.",
    )
    desk_published = published_claim(reviewer=reviewer, editor=editor, claim_reviewed="Desk-published claim")
    linked = published_claim(
        reviewer=reviewer,
        editor=editor,
        text="Only ten per cent of the missiles exploded, said the speaker.",
        claim_reviewed="Only 10% of the Iskander missiles exploded",
    )
    external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    external_review_link_decide(
        link=ExternalReviewLink.objects.get(claim=linked),
        status=ExternalReviewLink.Status.CONFIRMED,
        user=editor,  # on a published claim, an editor's decision
        reason="Same quote",
    )
    withdrawn = services.claim_withdraw(
        claim=published_claim(reviewer=reviewer, editor=editor, claim_reviewed="Withdrawn claim"),
        user=editor,
        reason="Legal",
        public_reason="We could not verify the quote.",
    )
    # Reopened for a correction (issue 14): public as last published, with the notice, and a draft.
    under_review = services.claim_transition(
        claim=Claim.objects.get(slug=HAKOBYAN), to_status="researching", user=editor, reason="New report"
    )
    draft = drafted_claim(reviewer=reviewer, claim_reviewed="A claim in research")
    services.evidence_attach(
        claim=draft,
        source=SourceFactory(),
        excerpt="An excerpt.",
        stance=Evidence.Stance.REFUTES,
        note="Why it matters.",
        user=reviewer,
        reason="Found it",
    )
    services.relation_create(
        from_claim=draft, to_claim=corrected, kind="contradicts", user=reviewer, reason="Related", note="A note."
    )
    draft = Claim.objects.get(pk=draft.pk)
    draft = services.claim_update(
        claim=draft,
        user=second_reviewer,
        reason="Tidy",
        expected_version=draft.version,
        internal_notes="Check the date.",
    )
    # A cluster of tips from the public (issue 23), one with a link the desk may capture.
    clustered = tips_services.tip_submit(text="<b>Bread</b> costs 5 manat", language="en", url="https://example.org/1")
    tips_services.tip_cluster(tip_id=clustered.pk)
    clustered.refresh_from_db()
    return {
        "tip": clustered,
        "corrected": corrected,
        "desk_published": desk_published,
        "linked": linked,
        "draft": draft,
        "withdrawn": withdrawn,
        "under_review": under_review,
        "snapshot": SourceSnapshot.objects.get(),
    }


def public_pages(client, data) -> dict[str, str]:
    urls = {
        "home": "/",
        "claim-list": "/claims/",
        "claim-list-search": "/claims/?q=Iskander&rating=&claimant=nikol-pashinyan",
        "claim-list-filter-error": "/claims/?stated_from=2022-01-01&stated_to=2021-01-01",
        "claimant": "/claimants/nikol-pashinyan/",
        "methodology": "/methodology/",
        "corrections": "/corrections/",
        "withdrawals": "/corrections/withdrawn/",
        "tip-new": "/tips/new/",
        "tip-status": f"/tips/status/{data['tip'].status_token}/",
        **{f"claim-{c.slug}"[:60]: c.get_absolute_url() for c in Claim.objects.published()},
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode()
    # What the intake and push branches put on claim pages is on the pages checked.
    assert 'class="quote-context"' in pages[f"claim-{PASHINYAN}"[:60]]
    assert "Checks Desk" in pages[f"claim-{data['linked'].slug}"[:60]]
    not_found = client.get("/claims/no-such-claim/")
    assert not_found.status_code == 404
    pages["not-found"] = not_found.content.decode()
    gone = client.get(data["withdrawn"].get_absolute_url())
    assert gone.status_code == 410
    pages["withdrawn-410"] = gone.content.decode()
    reviewed = client.get(data["under_review"].get_absolute_url())
    assert reviewed.status_code == 200 and 'id="under-review"' in reviewed.content.decode()
    pages["claim-under-review"] = reviewed.content.decode()
    return pages


def desk_pages(reviewer, editor, data) -> dict[str, str]:
    reviewer_client, editor_client = login(reviewer), login(editor)
    draft, published, snapshot, tip = data["draft"], data["corrected"], data["snapshot"], data["tip"]
    first_version = draft.history.order_by("history_id").first()
    selection = Claim.objects.get(slug=RANGE_CLAIM).quote_exact
    gets = {
        "desk-index": (reviewer_client, reverse("admin:index")),
        "desk-claim-list": (editor_client, reverse("admin:claims_claim_changelist")),
        "desk-claim-add": (reviewer_client, reverse("admin:claims_claim_add")),
        "desk-claim-change-draft": (reviewer_client, reverse("admin:claims_claim_change", args=[draft.pk])),
        "desk-claim-change-published": (editor_client, reverse("admin:claims_claim_change", args=[published.pk])),
        "desk-claim-history-published": (editor_client, reverse("admin:claims_claim_history", args=[published.pk])),
        "desk-claim-history-draft": (reviewer_client, reverse("admin:claims_claim_history", args=[draft.pk])),
        "desk-claim-correct": (editor_client, reverse("admin:claims_claim_correct", args=[published.pk])),
        "desk-claim-revert": (
            reviewer_client,
            reverse("admin:claims_claim_revert", args=[draft.pk, first_version.history_id]),
        ),
        "desk-claim-delete": (editor_client, reverse("admin:claims_claim_delete", args=[draft.pk])),
        "desk-claim-change-under-review": (
            editor_client,
            reverse("admin:claims_claim_change", args=[data["under_review"].pk]),
        ),
        "desk-claim-change-withdrawn": (
            editor_client,
            reverse("admin:claims_claim_change", args=[data["withdrawn"].pk]),
        ),
        # The intake's pages: a claim form prefilled from a selection, the source with its snapshot.
        "desk-claim-add-from-selection": (
            reviewer_client,
            reverse("admin:claims_claim_add")
            + f"?snapshot={snapshot.pk}&exact={quote(selection)}&start={snapshot.text.index(selection)}",
        ),
        "desk-source-change": (reviewer_client, reverse("admin:claims_source_change", args=[snapshot.source_id])),
        "desk-source-capture": (reviewer_client, reverse("admin:claims_source_capture", args=[snapshot.source_id])),
        "desk-source-evidence-from-selection": (
            reviewer_client,
            reverse("admin:claims_source_evidence", args=[snapshot.source_id])
            + f"?snapshot={snapshot.pk}&exact={quote(selection)}&start={snapshot.text.index(selection)}",
        ),
        "desk-tip-inbox": (reviewer_client, reverse("admin:claims_tipcluster_changelist")),
        "desk-tip-cluster": (reviewer_client, reverse("admin:claims_tipcluster_change", args=[tip.cluster_id])),
        "desk-tip-capture": (
            reviewer_client,
            reverse("admin:claims_tipcluster_capture_tip", args=[tip.cluster_id, tip.pk]),
        ),
        "desk-dashboard": (editor_client, reverse("admin:claims_desk_dashboard")),
        "desk-source-metadata": (
            editor_client,
            reverse("admin:claims_source_metadata", args=[snapshot.source_id, snapshot.pk]),
        ),
    }
    pages = {}
    for name, (client, url) in gets.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode()
    confirmation = editor_client.post(
        reverse("admin:claims_claim_changelist"), {"action": "move_to_archived", "_selected_action": [draft.pk]}
    )
    assert confirmation.status_code == 200
    pages["desk-claim-action-confirmation"] = confirmation.content.decode()
    return pages


class PrefixedClient:
    """The test client, asking for each public page's version in `language` (/ru/claims/…)."""

    def __init__(self, client, language: str):
        self.client, self.language = client, language

    def get(self, url: str, *args, **kwargs):
        return self.client.get(f"/{self.language}{url}", *args, **kwargs)


# A page the checker must fault: the batch proves it is looking (a checker that finds nothing in
# anything would pass every page).
BROKEN = "<!doctype html><html lang=en><title>x</title><p><time datetime='2026-11-25T05:19:00.123456+00:00'>x</time>"


def test_public_and_desk_pages_have_no_nu_checker_errors_in_english_russian_and_armenian(
    client, desk_data, reviewer, editor, tmp_path
):
    """One Java start for the whole batch: English, then the Russian and Armenian versions (translations
    put markup such as links and <time> inside sentences; the switcher and hreflang links are on every
    page), each desk in the language its users chose."""
    assert ARTICLE_PATH.exists()
    pages = {**public_pages(client, desk_data), **desk_pages(reviewer, editor, desk_data)}
    for language in ("ru", "hy"):
        public = public_pages(PrefixedClient(client, language), desk_data)
        assert all(f'<html lang="{language}">' in html for html in public.values())
        for user in (reviewer, editor):
            desk_language_set(user=user, language=language, reason="Test")
        desk = desk_pages(reviewer, editor, desk_data)
        assert all(f'<html lang="{language}"' in html for html in desk.values())
        pages.update({f"{language}-{name}": html for name, html in {**public, **desk}.items()})
    errors = check_pages({**pages, "known-broken": BROKEN}, tmp_path)
    broken = errors.pop("known-broken")
    assert [m.message for m in broken] and "datetime" in broken[0].message
    # Kept for the record (CI artifacts): the count per page.
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "nu-checker.json").write_text(
        json.dumps({name: [str(m) for m in found] for name, found in sorted(errors.items())}, indent=2),
        encoding="utf-8",
    )
    report = "\n".join(str(message) for found in errors.values() for message in found)
    assert not report, f"{sum(map(len, errors.values()))} errors:\n{report}"
