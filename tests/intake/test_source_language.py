"""A source created without a language gets one detected from its title and capture, in the worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from claims.intake.tasks import detect_source_language_task
from claims.models import Source
from claims.services.reference import reference_save
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

TASK_PATH = "claims.intake.tasks.detect_source_language_task"
RUSSIAN = (
    "Министерство обороны заявило, что ракеты «Искандер» не применялись в ходе войны, "
    "а сообщения об их использовании назвало недостоверными."
)
ARMENIAN_HTML = (
    "<html><head><title>Հայտարարություն</title></head><body><article><p>"
    "Պաշտպանության նախարարությունը հայտարարել է, որ «Իսկանդեր» հրթիռները չեն կիրառվել պատերազմի ընթացքում։"
    "</p></article></body></html>"
)


def create(client, **fields):
    body = {"title": "Заявление", "kind": "official_statement", "text": RUSSIAN, "reason": "New", **fields}
    return client.post("/api/v1/sources/", body, format="json")


def queued(source: Source) -> int:
    return DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__args__0=source.pk).count()


def test_a_source_without_a_language_is_detected_in_the_worker_not_in_the_request(reviewer):
    response = create(token_client(reviewer))
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["source"]["id"])
    assert response.json()["source"]["language"] == "en" == source.language  # the default until the worker ran
    assert queued(source) == 1
    assert detect_source_language_task.call(source.pk, reviewer.pk) == "ru"
    source.refresh_from_db()
    assert source.language == "ru"
    record = source.history.latest()
    assert record.history_user == reviewer and record.language == "ru"
    assert record.history_change_reason == "Language detected from the title and the capture"
    assert detect_source_language_task.call(source.pk, reviewer.pk) is None  # a rerun changes nothing
    assert source.history.count() == 2


def test_a_given_language_is_kept_and_nothing_is_queued(reviewer):
    response = create(token_client(reviewer), language="uk")
    source = Source.objects.get(pk=response.json()["source"]["id"])
    assert source.language == "uk" and queued(source) == 0


def test_the_desks_correction_before_the_worker_ran_is_not_overwritten(reviewer):
    source = Source.objects.get(pk=create(token_client(reviewer)).json()["source"]["id"])
    source.language = "be"
    reference_save(obj=source, user=reviewer, reason="It is Belarusian")
    assert detect_source_language_task.call(source.pk, reviewer.pk) is None
    source.refresh_from_db()
    assert source.language == "be"


def test_an_undetectable_capture_keeps_the_default(reviewer):
    response = create(token_client(reviewer), title="2024", text="12 345 678 — 90 %")
    source = Source.objects.get(pk=response.json()["source"]["id"])
    assert detect_source_language_task.call(source.pk, reviewer.pk) is None
    source.refresh_from_db()
    assert source.language == "en" and source.history.count() == 1


def test_a_source_captured_by_an_upload_in_the_worker_is_detected_there_too(reviewer, run_worker):
    upload = SimpleUploadedFile("page.html", ARMENIAN_HTML.encode(), content_type="text/html")
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/sources/", {"kind": "official_statement", "file": upload, "reason": "Saved page"}, format="multipart"
    )
    assert response.status_code == 202
    run_worker()  # the capture job, which enqueues the detection
    run_worker()  # the detection (a worker's batch may have started before it was queued)
    source = Source.objects.get()
    assert source.language == "hy"
    assert client.get(f"/api/v1/sources/{source.pk}/").json()["language"] == "hy"
