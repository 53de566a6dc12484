"""Why an intake job failed, in the reader's language (issue 21).

Before, the worker stored the failure as English text ("This file is not a readable PDF: …") and the
desk and the API showed it as stored, whatever their reader's language. Now the worker stores a code
and the messages' msgids and values; the desk renders them in the desk's language, the API in the
request's (Accept-Language). A job that failed before keeps its text, shown as it is.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from claims.external.importing import CLAIM_REVIEWED_MISSING, REVIEW_FAILED
from claims.intake.capture import NO_PDF_HEADER, NOT_A_PDF
from claims.intake.jobs import UPLOADED_FILE, intake_job_run
from claims.models import IntakeJob
from claims.service_messages import StoredMessage, stored_message_text
from tests.admin.conftest import login
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

NOT_A_PDF_IN = {
    "en": "This file is not a readable PDF: it does not start with %PDF-",
    "ru": "Этот файл не является читаемым PDF: он не начинается с %PDF-",
    "hy": "Այս ֆայլը ընթեռնելի PDF չէ՝ այն չի սկսվում %PDF-ով",
}
PROGRESS_PAGE_QUERIES = 8


def job_page(job: IntakeJob) -> str:
    return reverse("admin:claims_intakejob_change", args=[job.pk])


def test_a_failed_capture_reads_in_russian_on_the_desk_and_in_armenian_over_the_api(
    reviewer, django_assert_max_num_queries
):
    api = token_client(reviewer)
    upload = SimpleUploadedFile("scan.pdf", b"plain words, no PDF", content_type="application/pdf")
    response = api.post(
        "/api/v1/sources/",
        {"kind": "report", "file": upload, "reason": "Scan"},
        format="multipart",
        headers={"accept-language": "ru"},  # the language of the request that asked changes nothing stored
    )
    assert response.status_code == 202, response.content
    job = IntakeJob.objects.get()
    intake_job_run(job_id=job.pk)  # what the worker's task runs (tests/hardening runs the worker itself)
    job.refresh_from_db()
    assert (job.status, job.error_code, job.error) == ("failed", "not_a_pdf", "")
    assert job.error_messages == [{"msgid": NOT_A_PDF, "params": {"error": {"msgid": NO_PDF_HEADER, "params": {}}}}]

    for language in ("hy", "en"):
        shown = api.get(response.json()["status_url"], headers={"accept-language": language}).json()
        assert (shown["status"], shown["error_code"], shown["error"]) == ("failed", "not_a_pdf", NOT_A_PDF_IN[language])

    desk = login(reviewer)
    with django_assert_max_num_queries(PROGRESS_PAGE_QUERIES):
        page = desk.get(job_page(job), headers={"accept-language": "ru"}).content.decode()
    assert f'<ul class="errorlist" id="job-error"><li>{NOT_A_PDF_IN["ru"]}</li></ul>' in page


def test_a_job_that_failed_before_shows_its_text_as_it_was_stored(reviewer, django_assert_max_num_queries):
    old = "The server at “example.org” could not be reached: timed out"
    job = IntakeJob.objects.create(kind="capture", status="failed", created_by=reviewer, reason="Old", error=old)
    desk = login(reviewer)
    with django_assert_max_num_queries(PROGRESS_PAGE_QUERIES):
        page = desk.get(job_page(job), headers={"accept-language": "az"}).content.decode()
    assert f'<ul class="errorlist" id="job-error"><li>{old}</li></ul>' in page
    shown = token_client(reviewer).get(f"/api/v1/intake-jobs/{job.pk}/", headers={"accept-language": "hy"}).json()
    assert (shown["error"], shown["error_code"]) == (old, "")


def review(number: int, **fields: object) -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"https://checker.example/reviews/{number}",
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "claimReviewed": f"Claim number {number}",
        **fields,
    }


def test_an_imports_failed_reviews_read_in_the_readers_language(editor, django_assert_max_num_queries):
    feed = json.dumps([review(1), review(2, claimReviewed="")]).encode()
    job = IntakeJob.objects.create(kind="import", created_by=editor, reason="Feed", upload=feed, filename="feed.json")
    intake_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.result["imported"], job.result["failed"]) == ("done", 1, 1)
    assert job.result["errors"] == [
        {
            "msgid": REVIEW_FAILED,
            "params": {
                "source": {"msgid": UPLOADED_FILE, "params": {"name": "feed.json"}},
                "number": 2,
                "error": {"msgid": CLAIM_REVIEWED_MISSING, "params": {}},
            },
        }
    ]
    desk = login(editor)
    with django_assert_max_num_queries(PROGRESS_PAGE_QUERIES):
        page = desk.get(job_page(job), headers={"accept-language": "az"}).content.decode()
    assert "<li>yükləmə feed.json, yoxlama №2: ClaimReview-da claimReviewed mətni yoxdur.</li>" in page
    shown = token_client(editor).get(f"/api/v1/intake-jobs/{job.pk}/", headers={"accept-language": "ru"}).json()
    assert shown["result"]["errors"] == ["загрузка feed.json, проверка № 2: В ClaimReview нет текста claimReviewed."]


def test_a_stored_message_keeps_its_msgid_through_a_copy_and_renders_in_each_language():
    import copy
    import pickle

    with translation.override("ru"):
        message = StoredMessage(NOT_A_PDF, error=StoredMessage(NO_PDF_HEADER))
    assert message == NOT_A_PDF_IN["ru"]
    for again in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert isinstance(again, StoredMessage) and again.stored() == message.stored()
    for language, text in NOT_A_PDF_IN.items():
        with translation.override(language):
            assert stored_message_text(message.stored()) == text
    assert stored_message_text("free text {x}") == "free text {x}"
