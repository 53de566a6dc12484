"""ClaimReview import: real-world shapes and languages, DataFeeds, broken input, de-duplication."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from claims.external.importing import (
    CLAIM_REVIEWED_MISSING,
    DATE_INVALID,
    external_reviews_import_document,
)
from claims.external.reading import NO_CLAIMREVIEW_FOUND
from claims.external.sources import external_reviews_import_url
from claims.models import ExternalReview
from tests.admin.conftest import login
from tests.builders import published_claim
from tests.external import documents

pytestmark = pytest.mark.django_db


def review(url: str) -> ExternalReview:
    return ExternalReview.objects.get(review_url=url)


@pytest.mark.parametrize(
    ("document", "base_url", "expected"),
    [
        (
            documents.ENGLISH_PAGE,
            "https://checks.example.org/2024/missiles",
            [
                (
                    "https://checks.example.org/2024/missiles",
                    "Checks Desk",
                    "Mostly false",
                    0.25,
                    "en",
                    "A. Speaker",
                    "https://news.example.org/interview",
                ),
            ],
        ),
        (
            documents.SPANISH_GRAPH_PAGE,
            "https://verifica.example.es/a",
            [
                ("https://verifica.example.es/a", "Verifica", "Falso", None, "es", "Un portavoz", ""),
                ("https://verifica.example.es/b", "Verifica", "Engañoso", None, "es", "", ""),
            ],
        ),
        (
            documents.GERMAN_ARRAY_DOCUMENT,
            None,
            [
                ("https://fakten.example.de/iskander", "Faktencheck", "", 0.3, "de", "", ""),
            ],
        ),
        (
            documents.FRENCH_MICRODATA_PAGE,
            "https://verif.example.fr/iskander",
            [
                ("https://verif.example.fr/iskander", "Vérif", "Faux", None, "fr", "Un ministre", ""),
            ],
        ),
        (
            documents.ARMENIAN_RDFA_PAGE,
            "https://fip.example.am/iskander",
            [
                ("https://fip.example.am/iskander", "FIP", "Մանիպուլյացիա", 0.25, "hy", "Նիկոլ Փաշինյան", ""),
            ],
        ),
    ],
    ids=["english-jsonld", "spanish-graph-two-reviews", "german-array-no-item", "french-microdata", "armenian-rdfa"],
)
def test_pages_in_several_shapes_and_languages(document, base_url, expected, editor):
    summary = external_reviews_import_document(document, source="test page", user=editor, base_url=base_url)
    assert (summary.imported, summary.updated, summary.skipped, summary.failed) == (len(expected), 0, 0, 0), summary
    got = [
        (r.review_url, r.publisher_name, r.textual_rating, r.normalized_score, r.language, r.claimant_name,
         r.appearance_url)
        for r in ExternalReview.objects.order_by("review_url")
    ]  # fmt: skip
    assert got == sorted(expected)
    first = ExternalReview.objects.order_by("review_url").first()
    assert first.history.get().history_user == editor
    assert first.history.get().history_change_reason == "Imported from test page"


def test_the_numbers_are_kept_with_their_scale(editor):
    external_reviews_import_document(documents.ENGLISH_PAGE, source="p", user=editor)
    imported = review("https://checks.example.org/2024/missiles")
    assert (imported.rating_value, imported.best_rating, imported.worst_rating) == (2, 5, 1)
    assert imported.date_published.isoformat() == "2024-03-01" and imported.claim_reviewed.startswith("Only 10%")


def test_a_datafeed(editor):
    summary = external_reviews_import_document(documents.DATAFEED_DOCUMENT, source="feed.json", user=editor)
    assert str(summary) == "imported 3, updated 0, skipped 0, failed 0"
    scores = dict(ExternalReview.objects.values_list("textual_rating", "normalized_score"))
    assert scores == {"False": 0.0, "Mixed": 0.5, "True": 1.0}


def test_our_own_datafeed_imports_back_as_the_same_reviews(client, article_claims, editor, settings):
    # As served on the site's public address (a test client's "testserver" host is no valid URL host).
    settings.FACTCHECK_SITE_URL = "https://checks.example.org"
    data = b"".join(client.get("/api/v1/claimreview/datafeed.json").streaming_content)
    summary = external_reviews_import_document(data, source="our feed", user=editor)
    # The demo's five published fact-checks, each also published in ru, az and hy: every language
    # version is its own ClaimReview (its own url and inLanguage), so 5 × 4 come back.
    assert (summary.imported, summary.failed) == (20, 0)
    assert set(ExternalReview.objects.values_list("publisher_name", flat=True)) == {"factcheck desk"}
    assert set(ExternalReview.objects.values_list("language", flat=True)) == {"en", "ru", "az", "hy"}


def test_reimport_skips_unchanged_and_updates_changed_reviews_with_history(editor):
    external_reviews_import_document(documents.DATAFEED_DOCUMENT, source="feed.json", user=editor)
    again = external_reviews_import_document(documents.DATAFEED_DOCUMENT, source="feed.json", user=editor)
    assert (again.imported, again.updated, again.skipped) == (0, 0, 3)
    changed = documents.DATAFEED_DOCUMENT.replace(b'"Mixed"', b'"Half true"')
    third = external_reviews_import_document(changed, source="feed v2", user=editor)
    assert (third.imported, third.updated, third.skipped) == (0, 1, 2)
    updated = review("https://feed.example.net/checks/2")
    assert updated.textual_rating == "Half true"
    assert updated.history.first().history_change_reason == "Updated from feed v2 (textual_rating, raw)"
    assert ExternalReview.objects.count() == 3


def test_broken_items_fail_alone_and_nothing_is_half_imported(editor):
    summary = external_reviews_import_document(documents.MIXED_BROKEN_DOCUMENT, source="mixed", user=editor)
    assert (summary.imported, summary.failed) == (1, 4)
    assert list(ExternalReview.objects.values_list("review_url", flat=True)) == ["https://mixed.example.com/good"]
    errors = "\n".join(summary.errors)
    assert "ratingValue 9 is outside worstRating 1 – bestRating 5." in errors
    assert CLAIM_REVIEWED_MISSING in errors
    assert DATE_INVALID.format(value="yesterday") in errors
    assert "mixed review 5: review_url: Enter a valid URL." in errors


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (documents.NOT_JSON, "Not a JSON-LD document or an HTML page"),
        (documents.NO_CLAIMREVIEW_PAGE, NO_CLAIMREVIEW_FOUND),
    ],
)
def test_unreadable_documents_fail_with_a_message(document, message, editor):
    summary = external_reviews_import_document(document, source="bad", user=editor)
    assert summary.failed == 1 and message in summary.errors[0]
    assert not ExternalReview.objects.exists()


def test_the_command_prints_the_summary_and_fails_on_broken_input(tmp_path, editor, capsys):
    files = {
        "english.html": documents.ENGLISH_PAGE,
        "graph.html": documents.SPANISH_GRAPH_PAGE,
        "array.json": documents.GERMAN_ARRAY_DOCUMENT,
        "microdata.html": documents.FRENCH_MICRODATA_PAGE,
        "rdfa.html": documents.ARMENIAN_RDFA_PAGE,
        "feed.json": documents.DATAFEED_DOCUMENT,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    call_command("import_claimreview", *[str(tmp_path / n) for n in files], "--user", editor.username)
    out = capsys.readouterr().out
    assert "Total: imported 9, updated 0, skipped 0, failed 0" in out, out

    (tmp_path / "mixed.json").write_bytes(documents.MIXED_BROKEN_DOCUMENT)
    with pytest.raises(CommandError, match="5 item\\(s\\) failed"):
        call_command("import_claimreview", str(tmp_path / "mixed.json"), str(tmp_path / "missing.json"))
    captured = capsys.readouterr()
    assert "Total: imported 1, updated 0, skipped 0, failed 5" in captured.out
    assert "missing.json: cannot read it" in captured.err
    with capsys.disabled():
        totals = [line for line in (out + captured.out).splitlines() if line.startswith("Total")]
        print(f"\n[import] six test inputs, then the broken ones: {totals}")


class _PageServer:
    def __init__(self, routes: dict[str, tuple[int, dict, bytes]]):
        routes_ = routes

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                status, headers, body = routes_.get(self.path, (404, {}, b"missing"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def page_server():
    server = _PageServer(
        {
            "/check": (200, {"content-type": "text/html"}, documents.FRENCH_MICRODATA_PAGE),
            "/moved": (302, {"location": "/check"}, b""),
            "/to-metadata": (302, {"location": "http://169.254.169.254/latest/meta-data"}, b""),
        }
    )
    yield server
    server.close()


def test_url_import_follows_redirects_through_the_guard(page_server, editor):
    with override_settings(FACTCHECK_FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        summary = external_reviews_import_url(f"{page_server.base}/moved", user=editor)
    assert (summary.imported, summary.failed) == (1, 0)


def test_url_import_refuses_private_addresses(page_server, editor):
    summary = external_reviews_import_url(f"{page_server.base}/check", user=editor)
    assert summary.failed == 1 and "a loopback address, which this server does not fetch" in summary.errors[0]
    refused = external_reviews_import_url("file:///etc/passwd", user=editor)
    assert refused.failed == 1 and "Only http and https addresses can be fetched" in refused.errors[0]
    assert not ExternalReview.objects.exists()


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(page_server, editor, monkeypatch):
    # Only the first hop (the test server on 127.0.0.1) is allowed: the redirect's target is checked itself.
    with override_settings(FACTCHECK_FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        summary = external_reviews_import_url(f"{page_server.base}/to-metadata", user=editor)
    assert summary.failed == 1 and "169.254.169.254" in summary.errors[0]


def test_the_admin_import_page_takes_an_upload_and_shows_the_summary(editor, reviewer, run_worker):
    client = login(editor)
    url = reverse("admin:claims_externalreview_import")
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("graph.html", documents.SPANISH_GRAPH_PAGE, content_type="text/html")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302 and not ExternalReview.objects.exists()  # imported by the worker
    run_worker()
    assert "Imported 2, updated 0, skipped 0, failed 0." in client.get(response["Location"]).content.decode()
    assert ExternalReview.objects.count() == 2
    refused = client.post(url, {})
    assert "Upload a file or give a URL (one of them)." in refused.content.decode()
    assert login(reviewer).get(url).status_code == 403


def test_reviewers_see_external_reviews(reviewer, editor):
    external_reviews_import_document(documents.DATAFEED_DOCUMENT, source="feed", user=editor)
    assert login(reviewer).get(reverse("admin:claims_externalreview_changelist")).status_code == 200


def test_published_claims_are_unaffected_by_imports(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    external_reviews_import_document(documents.DATAFEED_DOCUMENT, source="feed", user=editor)
    claim.refresh_from_db()
    assert claim.status == "published"


def test_a_review_that_does_not_say_its_language_gets_it_detected(editor):
    # A bare JSON document (no page `lang` either): only the text can tell.
    document = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://yoxla.example.az/iskender",
            "claimReviewed": "Paşinyan etiraf edib ki, İskəndər raketlərinin cəmi on faizi partlayıb.",
            "author": {"@type": "Organization", "name": "Yoxla"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1},
            "datePublished": "2024-01-20",
        },
        ensure_ascii=False,
    ).encode()
    assert external_reviews_import_document(document, source="bare", user=editor).imported == 1
    assert ExternalReview.objects.get().language == "az"
