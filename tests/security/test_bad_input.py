"""Bad input never 500s: each NUL-byte and deep-nesting case the probe found, replayed.

These ran into 500s on PostgreSQL (psycopg refuses NUL in text parameters; json.load recursed
5,000 levels deep). They run in both passes of `make test`.
"""

import base64
import json

import pytest

from claims.api.parsers import JSON_NUL_REFUSED, JSON_TOO_DEEP
from claims.security.nul_bytes import NUL_REFUSED
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def basic(username: str, password: str = "pw") -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_nul_in_the_basic_auth_username_is_400(client):
    response = client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic("edi\x00tor"))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [NUL_REFUSED]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/verdicts/?rating=%00",
        "/api/v1/claims/?rating=%00",
        "/api/v1/claims/?search=a%00b",
        "/api/v1/ratings/?slug=%00",
        "/claims/?rating=%00",
        "/claims/?q=%00",
        "/claims/%00/",
        "/claimants/a%00/",
    ],
)
def test_nul_in_slugs_and_query_parameters_is_400(client, url):
    response = client.get(url)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/claims/claim/?status__exact=%00",
        "/admin/claims/claim/?rating=%00",
        "/admin/claims/claim/?q=%00",
        "/admin/claims/source/?kind__exact=%00",
        "/admin/autocomplete/?app_label=claims&model_name=evidence&field_name=source&term=%00",
    ],
)
def test_nul_in_admin_filters_and_autocomplete_is_400(client, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == NUL_REFUSED


def test_nul_in_an_admin_form_field_is_400_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/claims/claimant/add/",
        {"name": "Evil\x00", "slug": "evil", "kind": "person", "change_reason": "x"},
    )
    assert response.status_code == 400
    from claims.models import Claimant

    assert not Claimant.objects.filter(slug="evil").exists()


def test_nul_in_a_header_is_400(client):
    assert client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH='"a\x00"').status_code == 400


def test_json_nested_5000_levels_is_400(reviewer):
    client = token_client(reviewer)
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [JSON_TOO_DEEP.format(limit=64)]}


def test_json_at_the_depth_limit_is_parsed(reviewer):
    client = token_client(reviewer)
    nested = {"x": 1}
    for _ in range(62):
        nested = {"x": nested}
    response = client.post("/api/v1/claims/", json.dumps({"text": nested}), content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()  # a field error: the body was parsed and validated


def test_json_depth_ignores_brackets_inside_strings(reviewer):
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/claims/", json.dumps({"text": "[" * 500, "reason": "x"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "non_field_errors" not in response.json()


def test_nul_in_a_json_string_is_400(reviewer):
    client = token_client(reviewer)
    response = client.post(
        "/api/v1/claims/", json.dumps({"text": "a\u0000b", "reason": "x"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [JSON_NUL_REFUSED]}
