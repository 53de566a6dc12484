"""One service creates a source with its first capture: the desk's add page (pasted text) and the API
both call `claims.intake.sources.source_create_with_capture`, and leave the same rows and history."""

import pytest

from claims.admin import source_intake
from claims.api import sources as api_sources
from claims.intake import sources as intake_sources
from claims.models import Source, SourceSnapshot
from tests.admin.conftest import form_data, login
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

TEXT = "Statement of the ministry.\nNo Iskander-M was used in Shusha.\n"
FIELDS = {"title": "Ministry statement", "kind": "official_statement", "reliability": "credible"}
ADD_URL = "/admin/claims/source/add/"


@pytest.fixture
def service_calls(monkeypatch) -> list[str]:
    """Who called the service (the real one runs): the desk's admin and the API import it by name."""
    calls: list[str] = []

    def recording(door: str):
        def call(**kwargs):
            calls.append(door)
            return intake_sources.source_create_with_capture(**kwargs)

        return call

    monkeypatch.setattr(source_intake, "source_create_with_capture", recording("desk"))
    monkeypatch.setattr(api_sources, "source_create_with_capture", recording("api"))
    return calls


def add_on_the_desk(client, **fields):
    page = client.get(ADD_URL)
    return client.post(ADD_URL, {**form_data(page), "published_on_precision": "day", **fields})


def created(source: Source) -> dict:
    """What a creation leaves: the source's fields, its snapshot, and both histories."""
    snapshot = SourceSnapshot.objects.get(source=source)
    return {
        "source": {name: getattr(source, name) for name in ("title", "kind", "reliability", "language", "url")},
        "snapshot": (snapshot.method, snapshot.text, snapshot.text_sha256, snapshot.captured_by_id),
        "history": [
            (row.history_type, row.history_change_reason, row.history_user_id)
            for model in (source, snapshot)
            for row in model.history.order_by("history_id")
        ],
    }


def test_the_desk_and_the_api_create_a_source_and_its_capture_through_the_one_service(reviewer, service_calls):
    response = add_on_the_desk(login(reviewer), **FIELDS, first_capture_text=TEXT, change_reason="From the desk")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    desk_source = Source.objects.get()

    api = token_client(reviewer).post("/api/v1/sources/", {**FIELDS, "text": TEXT, "reason": "From the desk"})
    assert api.status_code == 201, api.content
    api_source = Source.objects.get(pk=api.json()["source"]["id"])

    assert service_calls == ["desk", "api"]
    desk, through_api = created(desk_source), created(api_source)
    assert desk == through_api
    assert desk["snapshot"] == ("text", TEXT, desk["snapshot"][2], reviewer.pk)
    assert desk["history"] == [("+", "From the desk", reviewer.pk), ("+", "From the desk", reviewer.pk)]


def test_a_source_without_a_capture_is_added_as_before_and_needs_its_title(reviewer, service_calls):
    client = login(reviewer)
    refused = add_on_the_desk(client, **{**FIELDS, "title": ""}, change_reason="No text yet")
    assert refused.status_code == 200
    assert "title" in refused.context["adminform"].form.errors
    assert not Source.objects.exists()

    assert add_on_the_desk(client, **FIELDS, change_reason="No text yet").status_code == 302
    source = Source.objects.get()
    assert source.history.get().history_change_reason == "No text yet"
    assert not source.snapshots.exists() and service_calls == []


def test_the_capture_may_leave_the_title_out(reviewer, service_calls):
    response = add_on_the_desk(
        login(reviewer), **{**FIELDS, "title": ""}, first_capture_text=TEXT, change_reason="Pasted"
    )
    assert response.status_code == 302
    assert Source.objects.get().title == "(untitled capture)" and service_calls == ["desk"]


def test_the_add_page_offers_the_first_capture_before_the_reason(reviewer, django_assert_max_num_queries):
    client = login(reviewer)
    with django_assert_max_num_queries(12):
        html = client.get(ADD_URL).content.decode()
    assert html.index('name="first_capture_text"') < html.index('name="change_reason"')
