"""OpenAPI: the schema validates, documents every status and header the API really sends, the docs
serve their assets locally, and a schema-driven fuzz run (schemathesis) finds no server error."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_client
from tests.builders import claim_in_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(openapi_schema) -> dict:
    return openapi_schema.document


def test_schema_validates_and_lists_every_endpoint(openapi):
    assert set(openapi["paths"]) >= {
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/{id}/transitions/",
        "/api/v1/verdicts/",
        "/api/v1/claimants/",
        "/api/v1/sources/",
        "/api/v1/evidence/",
        "/api/v1/ratings/",
        "/api/v1/changes/",
        "/api/v1/changes/head/",
        "/api/v1/claimreview/",
        "/api/v1/auth/login/",
        "/api/v1/auth/logout/",
    }


def test_schema_documents_errors_and_conditional_headers(openapi):
    paths = openapi["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"401", "429"} <= set(operation["responses"]), (method, path)
            assert "Retry-After" in operation["responses"]["429"]["headers"]
    detail = paths["/api/v1/claims/{id}/"]
    assert {"200", "304", "404"} <= set(detail["get"]["responses"])
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert "If-None-Match" in {p["name"] for p in detail["get"]["parameters"]}
    for method, path in [
        ("patch", "/api/v1/claims/{id}/"),
        ("delete", "/api/v1/claims/{id}/"),
        ("post", "/api/v1/claims/{id}/transitions/"),
        ("patch", "/api/v1/verdicts/{id}/"),
        ("post", "/api/v1/verdicts/{id}/corrections/"),
    ]:
        operation = paths[path][method]
        if_match = next(p for p in operation["parameters"] if p["name"] == "If-Match")
        assert if_match["in"] == "header" and if_match["required"] is True
        assert {"400", "401", "403", "404", "409", "412", "428"} <= set(operation["responses"]), (method, path)
    assert "410" in paths["/api/v1/changes/"]["get"]["responses"]
    assert "400" in paths["/api/v1/claims/"]["get"]["responses"]


def test_docs_serve_their_assets_locally(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), asset
        assert client.get(asset).status_code == 200, asset


# --- Fuzzing --------------------------------------------------------------------------------------

# Per operation and auth mode (the run's case count is printed at the end). Derandomized, so each run
# replays the same cases; 5 reach every operation with valid and invalid input in seconds (20 took a
# minute per mode for no new finding). The all-phases schemathesis run (tests/security) fuzzes further.
FUZZ_EXAMPLES = 5
FUZZ_CASES: dict[str, int] = {}
FUZZ_STATUSES: dict[int, int] = {}


@pytest.fixture
def wsgi_app_in_test_transaction():
    """The WSGI app, called in-process inside the test's transaction. Like Django's test client,
    keep the end of each request from closing the connection (it would end the transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def fuzz_world(article_claims, reviewer, editor, wsgi_app_in_test_transaction):
    claim_in_review(reviewer=reviewer)
    return {"Authorization": token_client(editor)._credentials["HTTP_AUTHORIZATION"]}


@pytest.fixture(scope="module", autouse=True)
def fuzz_report():
    yield
    if FUZZ_CASES:
        print(
            f"\nschemathesis: {sum(FUZZ_CASES.values())} cases {FUZZ_CASES}; statuses {sorted(FUZZ_STATUSES.items())}"
        )


FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _fuzz(app, mode: str, headers: dict | None) -> int:
    """Every operation of the live schema, `FUZZ_EXAMPLES` generated cases each, through the WSGI app.

    Driven with Hypothesis directly (schemathesis' pytest plugin does not support pytest 9 yet)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    if headers:  # a fuzzed logout would revoke the token the rest of the run uses
        operations = [op for op in operations if "/auth/logout" not in op.path]
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ_SETTINGS
        def run(case):
            # Schemathesis fills the security schemes with random credentials; use none, or ours.
            case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
            case.headers.update(headers or {})
            case.cookies = {}
            response = case.call()
            FUZZ_CASES[mode] = FUZZ_CASES.get(mode, 0) + 1
            FUZZ_STATUSES[response.status_code] = FUZZ_STATUSES.get(response.status_code, 0) + 1
            case.validate_response(
                response,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    response_headers_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )

        run()
    return len(operations)


def test_fuzz_anonymous(fuzz_world, wsgi_app_in_test_transaction):
    operations = _fuzz(wsgi_app_in_test_transaction, "anonymous", None)
    assert FUZZ_CASES["anonymous"] >= 2 * operations


def test_fuzz_as_editor(fuzz_world, wsgi_app_in_test_transaction):
    operations = _fuzz(wsgi_app_in_test_transaction, "editor", fuzz_world)
    assert FUZZ_CASES["editor"] >= 2 * operations


def test_the_delete_reason_is_documented_in_the_body_and_a_header_never_the_query(client):
    openapi = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    delete = openapi["paths"]["/api/v1/claims/{id}/"]["delete"]
    by_place = {(p["in"], p["name"]) for p in delete["parameters"]}
    assert ("header", "X-Change-Reason") in by_place
    assert not any(place == "query" and name == "reason" for place, name in by_place)
    body = delete["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["reason"]["type"] == "string"


def test_the_claim_documents_its_assignment_for_the_desk(openapi):
    """Read (`assignee`, `assignee_username`, `due_on`: desk only, so optional) and written by PATCH."""
    claim = openapi["components"]["schemas"]["Claim"]
    for name, kind in (("assignee", "integer"), ("assignee_username", "string"), ("due_on", "string")):
        assert claim["properties"][name]["type"] == kind and claim["properties"][name]["nullable"] is True
        assert name not in claim.get("required", [])
    assert claim["properties"]["due_on"]["format"] == "date"
    patch = openapi["paths"]["/api/v1/claims/{id}/"]["patch"]["requestBody"]["content"]["application/json"]
    body = openapi["components"]["schemas"][patch["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"assignee", "due_on", "reason", "claim_reviewed"} <= set(body["properties"])
    assert not body.get("required")  # a partial update
