"""What the tip POST skips for speed (issue 23's target) must change nothing it answers or stores:
the status link built without `reverse()`, the service's checks standing in for `full_clean()`,
and the one-statement insert sending values as they are where `get_db_prep_save` would keep them
(PostgreSQL only, as that statement: elsewhere the tip is saved the ordinary way)."""

import datetime
import json
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from claims.models import Tip
from claims.models.tips import TIP_LANGUAGE_MAX_LENGTH, TIP_TEXT_MAX_LENGTH, TIP_URL_MAX_LENGTH
from claims.services import history_insert
from claims.tips import services
from claims.tips.status_link import tip_status_path
from tests.prepared_statements import prepared_statement_count

TOKEN = "k3Jx_9-aZ" * 4 + "abcdefg"  # 43 characters, as `new_status_token` makes them


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("language", ["en", "ru", "az", "hy"])
@pytest.mark.parametrize("prefix", ["/", "/sub/", "/ünï côdé/"])
def test_the_status_path_is_the_one_reverse_makes(language, prefix, script_prefix):
    script_prefix(prefix)
    with translation.override(language):
        for token in (TOKEN, "a", "not plain ü %20", "0stand-in0"):
            assert tip_status_path(token) == reverse("claims:tip-status", args=[token])


def test_the_status_path_follows_the_urlconf(settings):
    plain = tip_status_path(TOKEN)
    settings.ROOT_URLCONF = "tests.tips.site_under_a_path"
    assert tip_status_path(TOKEN) == reverse("claims:tip-status", args=[TOKEN]) == f"/site{plain}"


@pytest.mark.django_db
@pytest.mark.parametrize(("accept_language", "prefix"), [("en", ""), ("hy", "/hy"), ("ru", "/ru")])
def test_the_api_answers_the_status_url_under_the_script_prefix_and_language(accept_language, prefix, script_prefix):
    body = json.dumps({"text": "The mayor said bread costs 5 manat"})
    for script_name in ("/", "/sub/", "/"):
        script_prefix(script_name)  # as the WSGI handler does from SCRIPT_NAME (the test client does not)
        response = Client().post(
            "/api/v1/tips/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=accept_language
        )
        assert response.status_code == 201, response.content
        token = Tip.objects.latest("id").status_token
        assert (
            response.json()["status_url"] == f"http://testserver{script_name.rstrip('/')}{prefix}/tips/status/{token}/"
        )


ACCEPTED = [
    {"text": "x" * TIP_TEXT_MAX_LENGTH, "url": "https://example.org/" + "a" * (TIP_URL_MAX_LENGTH - 20)},
    {"text": "  <b>markup</b>  ", "url": " http://example.org ", "language": " EN-gb "},
    {"text": "t", "language": "a" * TIP_LANGUAGE_MAX_LENGTH},
    {"text": "t", "language": "ǅ" * TIP_LANGUAGE_MAX_LENGTH},
    {
        "text": "t",
        "contact_email": "a" * 64 + "@" + "b" * 60 + "." + "b" * 60 + "." + "b" * 63 + ".org",
        "notify": True,
    },
    {"text": "t", "contact_email": "reader@example.org", "notify": False},
    {"text": "Мэр сказал\u2028", "contact_email": "reader@пример.рф", "notify": True},
]
REFUSED = [
    {"text": "t", "language": "İ" * TIP_LANGUAGE_MAX_LENGTH},  # 70 characters once lowered
    {
        "text": "t",
        "contact_email": "a" * 64 + "@" + "b" * 61 + "." + "b" * 60 + "." + "b" * 63 + ".org",
        "notify": True,
    },  # 255: valid, too long
]


@pytest.mark.parametrize("fields", ACCEPTED + REFUSED)
def test_the_service_refuses_all_that_full_clean_would(fields):
    """tip_submit() no longer runs full_clean(): whatever its own checks accept, full_clean() accepts."""
    try:
        cleaned = services.clean_tip_fields(**fields)
    except ValidationError:
        assert fields in REFUSED
        return
    assert fields in ACCEPTED
    Tip(**cleaned).full_clean(validate_unique=False, validate_constraints=False)


def comparable(value: object) -> tuple[type, object]:
    """A parameter's type and value: psycopg's wrappers (Binary…) and SQLite's memoryview do not compare equal."""
    return type(value), bytes(value) if isinstance(value, memoryview) else repr(value)


@pytest.mark.django_db
@pytest.mark.postgres  # the one-statement insert is PostgreSQL's: runs in the PostgreSQL pass
def test_the_insert_sends_what_get_db_prep_save_would(reviewer):
    tip = Tip(text=gettext_lazy("Tip"), url="https://example.org/", language="ru", notify=True)
    tip.contact_email, tip.cluster_attempts, tip.embedding = "reader@example.org", 3, b"\x00\x01"
    tip.cluster_due_at = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Baku"))
    # Naive: made aware, with a warning, as before.
    tip.clustered_at = datetime.datetime(2026, 3, 29, 1, 30)  # noqa: DTZ001
    statement = history_insert._statement(Tip)
    values = {"history_date": timezone.now(), "history_type": "+", "history_change_reason": "r"}
    for user_id in (None, reviewer.pk):
        with pytest.warns(RuntimeWarning, match="naive datetime"):
            params = history_insert._params(statement, tip, {**values, "history_user_id": user_id}, connection)
        # As before the shortcut: every field's pre_save (done above, on `tip`) and get_db_prep_save.
        history_values = {**values, "history_user_id": user_id}
        with pytest.warns(RuntimeWarning, match="naive datetime"):
            expected = [c.field.get_db_prep_save(getattr(tip, c.attname), connection) for c in statement.columns] + [
                c.field.get_db_prep_save(history_values[c.attname], connection) for c in statement.history_columns
            ]
        assert [comparable(p) for p in params] == [comparable(e) for e in expected]
    assert {c.attname for c in statement.columns if c.unchanged} >= {"text", "url", "language", "notify", "cluster_id"}
    assert {c.attname for c in statement.columns if c.pre_save} == {"created_at"}  # auto_now_add
    # The history row's tracked fields are copied from the row in the statement, not sent twice.
    assert {c.attname for c in statement.history_columns} == set(history_insert.HISTORY_COLUMNS)


def submitted_fields(tip: Tip) -> tuple[str, str, str, str, bool]:
    """What a tipster sends, as stored."""
    return tip.text, tip.url, tip.language, tip.contact_email, tip.notify


@pytest.mark.django_db
def test_a_tip_stored_through_the_shortcuts_reads_back_as_sent():
    tip = services.tip_submit(text=" Мэр <b>сказал</b> ", url="https://example.org/", language="RU", notify=False)
    stored = Tip.objects.get(pk=tip.pk)
    assert submitted_fields(stored) == (
        "Мэр <b>сказал</b>",
        "https://example.org/",
        "ru",
        "",
        False,
    )
    assert stored.created_at == tip.created_at and stored.status_token == tip.status_token
    assert stored.history.get().text == stored.text


@pytest.mark.django_db
@pytest.mark.postgres  # prepared statements are PostgreSQL's
def test_the_insert_is_prepared_once_per_connection_and_stores_what_it_was_sent(reviewer):
    """The statement is prepared on the server (its values bound there, not written into the SQL):
    every value must arrive as it does through Django's own cursor, and the public's tips, however
    many, share one prepared statement per connection."""
    for number in range(7):
        services.tip_submit(text=f"Tip {number}", contact_email="reader@example.org", notify=number % 2 == 0)
    assert prepared_statement_count(connection, "claims_historicaltip") == 1

    baku = zoneinfo.ZoneInfo("Asia/Baku")
    tip = Tip(text=gettext_lazy("Tip"), url="https://example.org/ü", language="hy", notify=True)
    tip.contact_email, tip.cluster_attempts, tip.embedding = "reader@пример.рф", 3, b"\x00\xff\x01"
    tip.cluster_due_at = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=baku)
    tip.cluster_error = "ValueError: 'quoted' \\ back\u2028slashed"
    history_insert.insert_with_history(tip, user=reviewer, reason="Typed by the desk")
    stored = Tip.objects.get(pk=tip.pk)
    assert submitted_fields(stored) == (
        "Tip",
        "https://example.org/ü",
        "hy",
        "reader@пример.рф",
        True,
    )
    assert (bytes(stored.embedding), stored.cluster_attempts, stored.cluster_error) == (
        b"\x00\xff\x01",
        3,
        tip.cluster_error,
    )
    assert stored.cluster_due_at == tip.cluster_due_at and stored.created_at == tip.created_at
    history = stored.history.get()
    assert (history.history_user, history.history_change_reason, history.text) == (reviewer, "Typed by the desk", "Tip")
