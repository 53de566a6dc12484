"""The desk's intake in the admin: anchors survive a save untouched, a selection prefills the
claim form, evidence is attached from a passage, sources are captured from the admin."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.intake.anchoring import PASSAGE_NOT_FOUND
from claims.intake.capture import snapshot_capture
from claims.models import Claim, Evidence, Source, SourceSnapshot
from tests.admin.conftest import change_url, form_data, login
from tests.conftest import ARTICLE_PATH
from tests.factories import SourceFactory
from tests.intake.conftest import ARTICLE_HTML

pytestmark = pytest.mark.django_db

RANGE_CLAIM = "iskander-m-maximum-range-500-km"  # claim 11: its prefix ends in a no-break space


@pytest.fixture
def demo(db, settings):
    """The demo as `make run` sets it up: the fixture, with the article captured and anchored."""
    settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
    call_command("setup_demo", verbosity=0)
    return SourceSnapshot.objects.get()


@pytest.mark.parametrize("anchored", [False, True], ids=["fixture-only", "anchored-in-snapshot"])
def test_saving_claim_11_unchanged_keeps_its_anchor_byte_for_byte(article_claims, reviewer, anchored, settings):
    if anchored:
        settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
        call_command("setup_demo", verbosity=0)
    claim = Claim.objects.get(slug=RANGE_CLAIM)
    assert claim.quote_prefix.endswith("\u00a0")
    before = (claim.quote_exact, claim.quote_prefix, claim.quote_suffix, claim.quote_start, claim.quote_end)
    history_rows = claim.history.count()
    client = login(reviewer)
    data = form_data(client.get(change_url(claim)))
    data["change_reason"] = "Saved without changes"
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    claim.refresh_from_db()
    assert (claim.quote_exact, claim.quote_prefix, claim.quote_suffix, claim.quote_start, claim.quote_end) == before
    assert claim.history.count() == history_rows  # nothing changed, so nothing recorded
    assert claim.quote_anchor_verified is anchored


def test_anchor_fields_posted_with_crlf_line_breaks_are_kept_as_the_snapshots_lf(demo, reviewer):
    """Browsers send textarea line breaks as CRLF; the anchor must stay the snapshot's own text."""
    claim = Claim.objects.get(slug="csto-special-session-would-not-take-place")  # status new
    assert claim.quote_suffix.startswith(".\n\nThe Tovuz")
    before = (claim.quote_suffix, claim.quote_start, claim.version, claim.history.count())
    client = login(reviewer)
    data = form_data(client.get(change_url(claim)))
    data["quote_suffix"] = data["quote_suffix"].replace("\n", "\r\n")
    data["change_reason"] = "Saved from a browser"
    assert client.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert (claim.quote_suffix, claim.quote_start, claim.version, claim.history.count()) == before


def test_editing_the_summary_of_an_anchored_claim_leaves_the_anchor_as_it_was(demo, reviewer):
    claim = Claim.objects.get(slug=RANGE_CLAIM)
    before = (claim.quote_prefix, claim.quote_suffix, claim.quote_start, claim.quote_end)
    client = login(reviewer)
    data = form_data(client.get(change_url(claim)))
    data.update(claim_reviewed="Iskander-M reaches 500 km", change_reason="Sharper summary")
    assert client.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert claim.claim_reviewed == "Iskander-M reaches 500 km"
    assert (claim.quote_prefix, claim.quote_suffix, claim.quote_start, claim.quote_end) == before
    assert claim.history.first().history_change_reason == "Sharper summary"


def test_a_quote_edited_to_something_not_in_the_snapshot_is_a_form_error(demo, reviewer):
    claim = Claim.objects.get(slug=RANGE_CLAIM)
    client = login(reviewer)
    data = form_data(client.get(change_url(claim)))
    data.update(quote_exact="Iskander-M with a range of 700 km", text="Iskander-M with a range of 700 km")
    data["change_reason"] = "Typo?"
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert PASSAGE_NOT_FOUND.format(snapshot=demo.pk) in response.context["adminform"].form.errors["quote_exact"]
    assert Claim.objects.get(pk=claim.pk).quote_exact == claim.quote_exact


def test_the_source_page_shows_the_snapshot_text_exactly_with_the_selection_buttons(demo, reviewer):
    client = login(reviewer)
    response = client.get(reverse("admin:claims_source_change", args=[demo.source_id]))
    assert response.status_code == 200
    assert response.context["intake"]["shown"] == demo
    html = response.content.decode()
    assert 'id="snapshot-text"' in html and 'id="claim-from-selection"' in html
    assert "claims/intake.js" in html
    assert "<script>" not in html.split('id="snapshot-text"')[1].split("</pre>")[0]


def test_a_selection_prefills_the_claim_add_form_with_the_server_computed_anchor(demo, reviewer):
    client = login(reviewer)
    verbatim = Claim.objects.get(slug=RANGE_CLAIM).quote_exact
    assert "\u00a0" in verbatim
    # A selection copied as text loses its no-break spaces; the anchor gets them back from the snapshot.
    typed = verbatim.replace("\u00a0", " ")
    start = demo.text.index(verbatim)
    response = client.get(reverse("admin:claims_claim_add"), {"snapshot": demo.pk, "exact": typed, "start": start})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["quote_snapshot"] == demo.pk
    assert form.initial["appeared_in"] == demo.source_id
    assert form.initial["quote_exact"] == form.initial["text"] == verbatim
    exact = verbatim
    assert form.initial["quote_prefix"] == "" and form.initial["quote_suffix"] == ""  # unique as it is
    assert "claimant" not in form.initial and "stated_on" not in form.initial  # still the reviewer's to choose
    preview = response.context["anchor_preview"]
    assert preview["exact"] == exact and preview["before"].endswith("due to the facts that\u00a0")
    assert response.context["similar"]["results"][0].claim.slug == RANGE_CLAIM


def test_a_selection_not_in_the_snapshot_is_refused_with_the_reason(demo, reviewer):
    client = login(reviewer)
    response = client.get(reverse("admin:claims_claim_add"), {"snapshot": demo.pk, "exact": "not in there at all"})
    assert response.status_code == 200
    assert PASSAGE_NOT_FOUND.format(snapshot=demo.pk) in [str(m) for m in response.context["messages"]]
    assert "quote_snapshot" not in response.context["adminform"].form.initial


def test_evidence_from_a_passage_is_anchored_and_attached(demo, reviewer):
    claim = Claim.objects.get(slug="aliyev-asks-russia-how-iskander-m-was-fired")  # researching
    passage = "Azerbaijan has reportedly received no explanation from Russia."
    url = reverse("admin:claims_source_evidence", args=[demo.source_id])
    client = login(reviewer)
    page = client.get(url, {"snapshot": demo.pk, "exact": passage})
    assert page.status_code == 200
    initial = page.context["form"].initial
    response = client.post(
        url,
        {
            "claim": claim.pk,
            "stance": "context",
            "note": "",
            "snapshot": initial["snapshot"],
            "start": initial["start"],
            "end": initial["end"],
            "change_reason": "The answer Aliyev did not get",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    evidence = Evidence.objects.filter(claim=claim).latest("id")
    assert evidence.excerpt == passage
    assert evidence.excerpt_snapshot == demo and evidence.excerpt_anchor_verified
    assert demo.text[evidence.excerpt_start : evidence.excerpt_end] == passage
    assert evidence.history.first().history_change_reason == "The answer Aliyev did not get"


def test_a_source_is_captured_from_an_uploaded_html_file_and_its_metadata_offered(reviewer, run_worker):
    source = SourceFactory(title="Saved page", author="", publisher="", url="", published_on=None)
    client = login(reviewer)
    url = reverse("admin:claims_source_capture", args=[source.pk])
    upload = SimpleUploadedFile("page.html", ARTICLE_HTML.encode(), content_type="text/html")
    job_page = client.post(url, {"file": upload, "change_reason": "Saved copy of the page"})["Location"]
    run_worker()
    snapshot = SourceSnapshot.objects.get(source=source)
    metadata_url = reverse("admin:claims_source_metadata", args=[source.pk, snapshot.pk])
    assert f'href="{metadata_url}"' in client.get(job_page).content.decode()
    response = {"Location": metadata_url}
    offer = client.get(response["Location"])
    assert ("author", "Vasif Huseynov") in offer.context["offer"]
    client.post(response["Location"], {"change_reason": "From the page's metadata"})
    source.refresh_from_db()
    assert (source.author, source.publisher, source.title) == ("Vasif Huseynov", "Example Review", "Saved page")


def test_a_refused_capture_says_why_on_its_job_page(reviewer, run_worker):
    source = SourceFactory()
    client = login(reviewer)
    response = client.post(
        reverse("admin:claims_source_capture", args=[source.pk]),
        {"url": "http://10.0.0.5/secret", "change_reason": "Try"},
    )
    assert response.status_code == 302
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-error"' in page and "private address" in page
    assert not SourceSnapshot.objects.exists()


@pytest.mark.parametrize("snapshots", [1, 10])
def test_the_source_page_costs_the_same_at_any_number_of_snapshots(reviewer, snapshots, django_assert_num_queries):
    source = SourceFactory()
    for i in range(snapshots):
        snapshot_capture(source=source, user=reviewer, reason="capture", text=f"Version {i} of the text.")
    client = login(reviewer)
    url = reverse("admin:claims_source_change", args=[source.pk])
    client.get(url)
    # Session, user, user and group permissions, the source (read by the intake panel and again by the
    # admin's change view), the snapshots without their texts, the text of the one shown.
    with django_assert_num_queries(QUERIES_SOURCE_PAGE):
        response = client.get(url)
    assert response.status_code == 200


QUERIES_SOURCE_PAGE = 8


def test_the_similar_claims_panel_script_is_static(article_claims, reviewer):
    html = login(reviewer).get(reverse("admin:claims_claim_add")).content.decode()
    assert "claims/similar.js" in html
    assert 'data-url="/api/v1/claims/similar/"' in html
    assert settings.STATIC_URL
    assert Source.objects.exists()
