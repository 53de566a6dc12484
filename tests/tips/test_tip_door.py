"""The quick door of `POST /api/v1/tips/` (`claims.api.tip_door`) answers exactly as the DRF view:
every request is sent once through the door and once to the DRF view alone, and the two answers
must agree byte for byte (status, headers, body; the new tip's own token aside)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client

from claims.api.tips import TipViewSet
from claims.models import Tip

pytestmark = pytest.mark.django_db

DRF_ONLY = "tests.tips.drf_only_urls"
PLAIN = "application/json"
CASES = {
    "plain": (b'{"text": "The mayor said bread costs 5 manat", "language": "en"}', PLAIN, {}),
    "every field": (
        '{"text": "Мэр сказал \u2028 <b>хлеб</b>", "url": "https://example.org/?q=<c>", "language": " RU ", '
        '"contact_email": " reader@example.org ", "notify": true}'.encode(),
        "application/json; charset=utf-8",
        {},
    ),
    "blank text": (b'{"text": "   "}', PLAIN, {}),
    "no text": (b'{"url": "https://example.org/"}', PLAIN, {}),
    "null text": (b'{"text": null}', PLAIN, {}),
    "not an object": (b'["text"]', PLAIN, {}),
    "a number for text": (b'{"text": 5}', PLAIN, {}),
    "a boolean for text": (b'{"text": true}', PLAIN, {}),
    "notify as a string": (b'{"text": "abc", "notify": "yes", "contact_email": "a@example.org"}', PLAIN, {}),
    "notify without an address": (b'{"text": "abc", "notify": true}', PLAIN, {}),
    "an unknown field": (b'{"text": "abc", "extra": {"a": [1]}}', PLAIN, {}),
    "a long language": (b'{"text": "abc", "language": "' + b"x" * 36 + b'"}', PLAIN, {}),
    "markup for a language": (b'{"text": "abc", "language": "en<script>"}', PLAIN, {}),
    "a javascript link": (b'{"text": "abc", "url": "javascript:alert(1)"}', PLAIN, {}),
    "a long address": (b'{"text": "abc", "contact_email": "' + b"a" * 250 + b'@x.org"}', PLAIN, {}),
    "a long text": (b'{"text": "' + b"a" * 5001 + b'"}', PLAIN, {}),
    "a lone surrogate": (b'{"text": "abc\\ud800"}', PLAIN, {}),
    "a NUL": (b'{"text": "a\\u0000b"}', PLAIN, {}),
    "NaN": (b'{"text": "abc", "notify": NaN}', PLAIN, {}),
    "malformed": (b'{"text": ', PLAIN, {}),
    "not UTF-8": (b'{"text": "\xff"}', PLAIN, {}),
    "too deep": (b'{"text": "abc", "x": ' + b"[" * 100 + b"]" * 100 + b"}", PLAIN, {}),
    "empty body": (b"", PLAIN, {}),
    "a form": (b"text=abc", "application/x-www-form-urlencoded", {}),
    "XML": (b"<tip/>", "application/xml", {}),
    "Latin-1": (b'{"text": "abc"}', "application/json; charset=latin-1", {}),
    "the browsable API": (b'{"text": "abc"}', PLAIN, {"HTTP_ACCEPT": "text/html"}),
    "Accept XML": (b'{"text": "abc"}', PLAIN, {"HTTP_ACCEPT": "application/xml"}),
    "a bad token": (b'{"text": "abc"}', PLAIN, {"HTTP_AUTHORIZATION": "Token nope"}),
    "a query string": (b'{"text": "abc"}', PLAIN, {"QUERY_STRING": "format=json"}),
    "in Russian": (b'{"text": ""}', PLAIN, {"HTTP_ACCEPT_LANGUAGE": "ru"}),
    "in Armenian, accepted": (b'{"text": "abc"}', PLAIN, {"HTTP_ACCEPT_LANGUAGE": "hy"}),
}


def answer(client: Client, body: bytes, content_type: str, extra: dict) -> tuple[int, dict, str]:
    response = client.generic("POST", "/api/v1/tips/", body, content_type=content_type, **extra)
    headers = {k: v for k, v in response.headers.items() if k != "X-Request-ID"}
    text = re.sub(r"/tips/status/[\w-]{43}/", "/tips/status/<token>/", response.content.decode())
    text = re.sub(r'(csrfmiddlewaretoken" value="|"csrfToken": ")\w+', r"\1<csrf>", text)
    return response.status_code, headers, text


@pytest.mark.parametrize("case", CASES)
def test_the_door_answers_as_the_drf_view(case, settings):
    body, content_type, extra = CASES[case]
    through_the_door = answer(Client(), body, content_type, extra)
    settings.ROOT_URLCONF = DRF_ONLY
    drf_alone = answer(Client(), body, content_type, extra)
    assert through_the_door == drf_alone
    assert Tip.objects.count() == 2 * (through_the_door[0] == 201)


def test_a_plain_tip_never_reaches_the_drf_view_and_is_one_statement(monkeypatch, django_assert_num_queries):
    def refuse(*args, **kwargs):
        raise AssertionError("the DRF view answered a plain tip")

    monkeypatch.setattr(TipViewSet, "create", refuse)
    body = json.dumps({"text": "The mayor said bread costs 5 manat", "language": "en"})
    # PostgreSQL: the tip and its history row in one INSERT. SQLite: a savepoint and two INSERTs.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        response = Client().post("/api/v1/tips/", body, content_type=PLAIN)
    assert response.status_code == 201
    assert response.json()["status_url"].endswith(f"/tips/status/{Tip.objects.get().status_token}/")


def test_a_tip_the_door_hands_on_is_throttled_once(settings):
    settings.FACTCHECK_TIPS_THROTTLE = "3/minute"
    client = Client()
    answers = [
        client.post("/api/v1/tips/", body, content_type=PLAIN).status_code
        for body in ('{"text": ""}', '{"text": 5}', '{"text": "A plain tip"}', '{"text": "One too many"}')
    ]
    assert answers == [400, 201, 201, 429]
    assert Tip.objects.count() == 2


def test_a_signed_in_desk_user_posting_without_a_csrf_token_is_refused_as_before(reviewer):
    # The session cookie sends the request to the DRF view, whose session authentication asks for the token.
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post("/api/v1/tips/", '{"text": "abc"}', content_type=PLAIN)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Tip.objects.exists()
