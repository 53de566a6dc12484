"""Bad input gets a clear refusal, never a 500 or a traceback (issue 20, item 8).

The hostile documents are generated here (tests/hardening/generated.py): a ClaimReview nested
5,000 deep (RecursionError in the importer before), a PDF bomb (pypdf's LimitReachedError in the
capture before, and accepted as an evidence attachment), a 3 MB `claimReviewed` (a 6 MB desk page).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from claims.external.importing import CLAIM_REVIEWED_MAX_CHARS, external_reviews_import_document
from claims.external.reading import DOCUMENT_TOO_DEEP, MAX_DOCUMENT_DEPTH
from claims.intake.capture import CaptureError, snapshot_capture
from claims.intake.pdf_limits import pdf_too_expansive_message
from claims.models import Evidence, ExternalReview, Source, SourceSnapshot
from tests.api.conftest import token_client
from tests.factories import SourceFactory
from tests.hardening.generated import datafeed, nested_claimreview, pdf_bomb
from tests.security.test_evidence_files import attachment_errors, upload_through_the_admin

pytestmark = pytest.mark.django_db

TOO_DEEP = str(DOCUMENT_TOO_DEEP).format(limit=MAX_DOCUMENT_DEPTH)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return pdf_bomb()


def test_a_claimreview_nested_5000_deep_is_refused_as_one_failure(reviewer):
    summary = external_reviews_import_document(nested_claimreview(5_000), source="deep.json", user=reviewer)
    assert (summary.imported, summary.failed) == (0, 1)
    assert summary.errors == [f"deep.json: {TOO_DEEP}"]
    assert not ExternalReview.objects.exists()


def test_the_import_command_says_why_a_deep_document_failed_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_bytes(nested_claimreview(5_000))
    with pytest.raises(CommandError, match="1 item"):
        call_command("import_claimreview", str(path))
    err = capsys.readouterr().err
    assert TOO_DEEP in err and "Traceback" not in err


def test_a_claimreview_nested_as_deep_as_real_ones_is_still_imported(reviewer):
    summary = external_reviews_import_document(nested_claimreview(20), source="ok.json", user=reviewer)
    assert (summary.imported, summary.failed) == (1, 0), summary.errors


def test_a_3mb_claim_reviewed_is_refused_with_its_length_and_the_others_imported(reviewer):
    huge = external_reviews_import_document(
        datafeed(1, claim_reviewed="x" * 3_000_000), source="huge.json", user=reviewer
    )
    assert huge.failed == 1 and "3,000,000 characters" in huge.errors[0]
    assert f"{CLAIM_REVIEWED_MAX_CHARS:,}" in huge.errors[0]
    assert not ExternalReview.objects.exists()
    normal = external_reviews_import_document(datafeed(3), source="feed.json", user=reviewer)
    assert (normal.imported, normal.failed) == (3, 0)


def test_a_pdf_bomb_is_refused_by_the_capture_with_a_clear_message(reviewer, bomb):
    with pytest.raises(CaptureError) as refused:
        snapshot_capture(source=SourceFactory(), user=reviewer, reason="Bomb", file_data=bomb, filename="b.pdf")
    assert refused.value.messages == [pdf_too_expansive_message()]
    assert not SourceSnapshot.objects.exists()


def test_a_pdf_bomb_posted_to_the_api_fails_its_job_with_the_reason_and_creates_no_source(reviewer, bomb, run_worker):
    upload = SimpleUploadedFile("bomb.pdf", bomb, content_type="application/pdf")
    client = token_client(reviewer)
    response = client.post("/api/v1/sources/", {"kind": "report", "file": upload, "reason": "Bomb"}, format="multipart")
    assert response.status_code == 202, response.content
    run_worker()
    job = client.get(response.json()["status_url"]).json()
    assert (job["status"], job["error"]) == ("failed", pdf_too_expansive_message())
    assert not Source.objects.exists()


def test_a_pdf_bomb_is_refused_as_an_evidence_attachment(reviewer, bomb):
    response = upload_through_the_admin(reviewer, "bomb.pdf", bomb)
    assert response.status_code == 200
    assert attachment_errors(response) == [pdf_too_expansive_message()]
    assert not Evidence.objects.exists()
