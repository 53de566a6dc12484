"""Captures and imports run in the worker, with progress (issue 20, item 7).

Before: a 9 MB HTML file of 200,000 paragraphs was extracted inside the request (30 s, killed:
500; two at once took the site offline), and an admin import of a 2,000-review DataFeed died at
30 s after committing 1,671 reviews, with no summary. Now the request stores the upload and
enqueues a job (asserted: the job is queued and nothing is extracted until the worker runs), the
worker extracts under limits and imports resumably, and the desk and the API show the result.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from claims.intake.bounded import HTML_MAX_ELEMENTS, TOO_MANY_ELEMENTS
from claims.intake.jobs import intake_job_run
from claims.models import ExternalReview, IntakeJob, Source, SourceSnapshot
from tests.admin.conftest import login
from tests.api.conftest import token_client
from tests.factories import SourceFactory
from tests.hardening.generated import datafeed, huge_html
from tests.intake.conftest import ARTICLE_HTML

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def huge_page() -> bytes:
    return huge_html(200_000)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/html")


def test_two_huge_pages_at_once_are_queued_by_the_request_and_refused_by_the_worker(
    reviewer, huge_page, run_worker, client, django_assert_max_num_queries
):
    assert len(huge_page) > 8_000_000 and huge_page.count(b"<p>") == 200_000
    api = token_client(reviewer)
    source = SourceFactory()
    url = f"/api/v1/sources/{source.pk}/snapshots/"
    responses = [
        api.post(url, {"file": upload(f"huge-{n}.html", huge_page), "reason": "Huge"}, format="multipart")
        for n in (1, 2)
    ]
    assert [r.status_code for r in responses] == [202, 202], [r.content for r in responses]
    jobs = [r.json() for r in responses]
    assert [job["status"] for job in jobs] == ["queued", "queued"]
    assert responses[0]["Location"] == jobs[0]["status_url"]
    # The request stored and enqueued; it extracted nothing.
    assert DBTaskResult.objects.filter(task_path__endswith="run_intake_job").count() == 2
    assert not SourceSnapshot.objects.exists()
    with django_assert_max_num_queries(30):
        assert client.get("/").status_code == 200  # the site answers with both captures queued
    run_worker()
    refusal = str(TOO_MANY_ELEMENTS).format(limit=HTML_MAX_ELEMENTS)
    for job in jobs:
        status = api.get(job["status_url"]).json()
        assert (status["status"], status["error"]) == ("failed", refusal)
    assert not SourceSnapshot.objects.exists()


def test_a_source_from_an_html_upload_is_created_by_the_worker(reviewer, run_worker):
    api = token_client(reviewer)
    response = api.post(
        "/api/v1/sources/",
        {"kind": "opinion", "file": upload("page.html", ARTICLE_HTML.encode()), "reason": "Page"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    assert not Source.objects.exists()
    run_worker()
    job = api.get(response.json()["status_url"]).json()
    assert (job["status"], job["percent"]) == ("done", 100)
    source = Source.objects.get(pk=job["result"]["source"])
    assert source.author == "Vasif Huseynov" and source.snapshots.get().pk == job["result"]["snapshot"]
    assert source.history.get().history_user == reviewer


def test_another_users_job_is_404(reviewer, second_reviewer):
    job = IntakeJob.objects.create(kind="capture", created_by=reviewer, reason="x")
    assert token_client(second_reviewer).get(f"/api/v1/intake-jobs/{job.pk}/").status_code == 404


def test_the_desk_capture_page_hands_a_file_to_the_worker_and_shows_progress(reviewer, run_worker):
    source = SourceFactory()
    client = login(reviewer)
    response = client.post(
        reverse("admin:claims_source_capture", args=[source.pk]),
        {"file": upload("page.html", ARTICLE_HTML.encode()), "change_reason": "Saved page"},
    )
    job = IntakeJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:claims_intakejob_change", args=[job.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="job-progress"' in page and 'http-equiv="refresh"' in page
    assert not SourceSnapshot.objects.exists()
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-source"' in page and 'http-equiv="refresh"' not in page
    assert source.snapshots.count() == 1


REVIEWS = 100


def test_a_datafeed_imports_in_the_worker_resumably_and_a_rerun_adds_nothing(editor, run_worker):
    # 100 reviews (four progress records) show what the 2,000 did, at a twentieth of the
    # suite's time (each review is matched against the desk's claims with the real model): the request
    # only stores the file; the worker imports, resumes and skips.
    feed = datafeed(REVIEWS)
    client = login(editor)
    response = client.post(
        reverse("admin:claims_externalreview_import"), {"file": SimpleUploadedFile("feed.json", feed)}
    )
    assert response.status_code == 302
    assert not ExternalReview.objects.exists()  # the request only stored the file
    run_worker()
    job = IntakeJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", REVIEWS, REVIEWS)
    assert (job.result["imported"], job.result["failed"]) == (REVIEWS, 0)
    assert ExternalReview.objects.count() == REVIEWS
    page = client.get(response["Location"]).content.decode()
    assert f"Imported {REVIEWS}, updated 0, skipped 0, failed 0." in page

    # Cut off half way (a killed worker): the job goes on from where it recorded, adding nothing twice.
    job.status, job.done, job.upload = "running", REVIEWS // 2, feed
    job.save()
    intake_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and ExternalReview.objects.count() == REVIEWS
    assert intake_job_run(job_id=job.pk) == "done"  # a finished job is left as it is

    # The same feed again: nothing added, every review skipped.
    client.post(reverse("admin:claims_externalreview_import"), {"file": SimpleUploadedFile("feed.json", feed)})
    run_worker()
    again = IntakeJob.objects.order_by("-pk").first()
    assert (again.result["imported"], again.result["skipped"]) == (0, REVIEWS)
    assert ExternalReview.objects.count() == REVIEWS
