"""Tips from anyone: the form and POST /api/v1/tips/, the private status page, and the abuse controls."""

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from claims.models import Tip
from claims.tips import services

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_tip(client: APIClient, headers: dict | None = None, **body) -> object:
    body = {"text": "The mayor said bread costs 5 manat", **body}
    return client.post("/api/v1/tips/", body, format="json", **(headers or {}))


def test_an_anonymous_tip_through_the_api_gets_a_private_status_link():
    response = post_tip(
        APIClient(), url="https://example.org/post/1", language="az", contact_email="reader@example.org", notify=True
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"status", "status_url"} and body["status"] == "received"
    tip = Tip.objects.get()
    assert body["status_url"] == f"http://testserver/tips/status/{tip.status_token}/"
    assert len(tip.status_token) >= 43 and tip.contact_email == "reader@example.org" and tip.notify
    assert "reader@example.org" not in response.content.decode()
    # Clustering is left to the worker: the tip waits in its queue, no task row is written for it.
    assert list(services.waiting_tips()) == [tip] and not DBTaskResult.objects.exists()
    history = tip.history.get()
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        None,
        services.RECEIVED_REASON,
    )
    assert (history.text, history.url, history.language, history.status_token, history.created_at) == (
        tip.text,
        tip.url,
        tip.language,
        tip.status_token,
        tip.created_at,
    )


def test_an_anonymous_tip_is_one_statement(django_assert_num_queries):
    """The tip and its history row in one INSERT on PostgreSQL (the throttle is in the cache). SQLite
    cannot INSERT inside WITH: a savepoint and two INSERTs there."""
    api = APIClient()
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        response = post_tip(api, language="en")
    assert response.status_code == 201
    assert Tip.history.count() == 1


def test_the_address_is_kept_only_with_consent_and_never_in_history():
    post_tip(APIClient(), contact_email="quiet@example.org", notify=False)
    tip = Tip.objects.get()
    assert tip.contact_email == "" and not tip.notify
    post_tip(APIClient(), text="Another claim entirely", contact_email="loud@example.org", notify=True)
    tip = Tip.objects.get(text="Another claim entirely")
    assert not hasattr(tip.history.get(), "contact_email")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://example.org/" + "a" * 2000}, "url"),
        ({"notify": True}, "contact_email"),
        ({"contact_email": "not-an-address", "notify": True}, "contact_email"),
        ({"language": "en<script>"}, "language"),
    ],
)
def test_bad_tips_get_field_errors_and_store_nothing(body, field):
    response = post_tip(APIClient(), **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Tip.objects.exists()


def test_the_form_sends_a_tip_and_shows_the_status_page(client):
    page = client.get("/tips/new/")
    assert page.status_code == 200 and 'name="website"' in page.text
    response = client.post("/tips/new/", {"text": "Vaccines contain chips", "url": "", "contact_email": ""})
    tip = Tip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tips/status/{tip.status_token}/?sent=1"
    status = client.get(response["Location"])
    assert status.status_code == 200 and "Vaccines contain chips" in status.text
    assert status["Referrer-Policy"] == "no-referrer" and "noindex" in status["X-Robots-Tag"]


def test_the_honeypot_drops_the_tip_but_answers_like_a_real_one(client):
    response = client.post("/tips/new/", {"text": "Buy cheap pills", "website": "https://spam.example"})
    assert response.status_code == 200 and "received your tip" in response.text
    assert not Tip.objects.exists()


def test_a_wrong_token_is_404(client):
    assert client.get("/tips/status/not-a-token/").status_code == 404
    assert client.get("/tips/status/" + "a" * 43 + "/").status_code == 404


def test_markup_in_every_field_is_stored_as_text_and_escaped(client):
    response = post_tip(APIClient(), text=MARKUP, url=f"https://example.org/?q={MARKUP}", language="en")
    assert response.status_code == 201
    tip = Tip.objects.get()
    assert tip.text == MARKUP
    page = client.get(reverse("claims:tip-status", args=[tip.status_token]))
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text
    form = client.post("/tips/new/", {"text": MARKUP, "url": "javascript:alert(1)", "contact_email": MARKUP})
    assert form.status_code == 400 and "<script>alert" not in form.text


def test_a_tip_with_an_internal_url_is_never_fetched(monkeypatch):
    import socket

    from claims.intake import net

    def refuse(*args, **kwargs):
        raise AssertionError("a tip's URL was fetched")

    monkeypatch.setattr(net, "fetch_public_url", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    response = post_tip(APIClient(), url="http://169.254.169.254/latest/meta-data/")
    assert response.status_code == 201
    tip = Tip.objects.get()
    services.tip_cluster(tip_id=tip.pk)
    tip.refresh_from_db()
    assert tip.cluster is not None and tip.url == "http://169.254.169.254/latest/meta-data/"


def test_a_tip_flood_from_one_address_is_throttled_on_both_doors(settings, client):
    settings.FACTCHECK_TIPS_THROTTLE = "5/minute"
    api = APIClient()
    answers = [post_tip(api, text=f"Flood {i}").status_code for i in range(4)]
    # Forged X-Forwarded-For (no trusted proxy) neither resets the count nor escapes it.
    answers += [
        post_tip(api, {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i}"}, text=f"Forged {i}").status_code for i in range(2)
    ]
    form = client.post("/tips/new/", {"text": "Through the form"})
    assert answers == [201, 201, 201, 201, 201, 429]
    assert form.status_code == 429 and int(form["Retry-After"]) > 0
    assert Tip.objects.count() == 5


def test_the_limit_holds_for_a_window_opened_by_the_first_tip(settings, monkeypatch):
    from claims.tips import throttle

    settings.FACTCHECK_TIPS_THROTTLE = "2/minute"
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: clock[0])  # the cache's expiry reads it too
    api = APIClient()
    first = [post_tip(api, text=f"T{i}").status_code for i in range(3)]
    clock[0] += 59
    late = post_tip(api, text="Still within the minute")
    clock[0] += 1.5
    next_window = post_tip(api, text="The minute is over")
    assert first == [201, 201, 429]
    assert late.status_code == 429 and int(late["Retry-After"]) == 1
    assert next_window.status_code == 201


def test_behind_one_trusted_proxy_each_client_has_its_own_count(settings):
    settings.FACTCHECK_TIPS_THROTTLE = "2/minute"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    api = APIClient()
    first = [post_tip(api, {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, text=f"A{i}").status_code for i in range(3)]
    second = [post_tip(api, {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}, text=f"B{i}").status_code for i in range(3)]
    assert first == [201, 201, 429] and second == [201, 201, 429]


def test_the_status_page_and_form_query_counts(client, django_assert_max_num_queries):
    post_tip(APIClient())
    tip = Tip.objects.get()
    with django_assert_max_num_queries(3):
        assert client.get(f"/tips/status/{tip.status_token}/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/tips/new/").status_code == 200


def test_the_form_is_served_in_the_sites_languages(client):
    for prefix in ("", "/ru", "/az", "/hy"):
        assert client.get(f"{prefix}/tips/new/").status_code == 200
