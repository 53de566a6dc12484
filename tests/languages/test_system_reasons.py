"""Reasons the system writes into history read in the desk's language (issue 21).

Before, the desk's history pages showed "Assigned to nobody (was nobody), no due date: …" or
"Imported from …" in English whatever the desk spoke. The code writes its own reasons from the
templates in `claims.services.reasons` (in English, whoever caused them); the history pages show
them in the reader's language. What a person typed, alone or quoted inside a system reason, stays as
typed.
"""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from claims.external.importing import external_reviews_import_document
from claims.models import Claim, ExternalReview
from claims.services import reasons
from claims.services.assignments import claim_assign
from claims.services.reasons import reason_in_language, system_reason
from tests.admin.conftest import history_url, login, researching_claim
from tests.admin.test_history_page import PASHINYAN
from tests.admin.test_query_counts import HISTORY_PAGE_QUERIES
from tests.languages.test_job_errors import review
from tests.webhooks.test_desk import make_subscription

pytestmark = pytest.mark.django_db

PERSONS_REASON = "Ксения берёт это на себя"  # typed by a person, in whatever language they wrote
ASSIGNED_IN_AZ = f"Təyin edildi: heç kim (əvvəl: heç kim), son tarix yoxdur: {PERSONS_REASON}"


def test_a_system_reason_on_the_claims_history_page_reads_in_azerbaijani(
    reviewer, editor, django_assert_max_num_queries
):
    claim = researching_claim(reviewer=reviewer)
    with translation.override("ru"):  # the language of the request that wrote it changes nothing stored
        claim = claim_assign(
            claim=claim, assignee=None, due_on=None, user=editor, reason=PERSONS_REASON, expected_version=claim.version
        )
    row = claim.history.order_by("-history_id").first()
    assert row.history_change_reason == f"Assigned to nobody (was nobody), no due date: {PERSONS_REASON}"

    desk = login(editor)
    desk.get(history_url(claim))
    with django_assert_max_num_queries(HISTORY_PAGE_QUERIES):
        page = desk.get(history_url(claim), headers={"accept-language": "az"}).content.decode()
    shown_reasons = [line.strip() for line in page.splitlines() if PERSONS_REASON in line or "Start research" in line]
    assert shown_reasons == [ASSIGNED_IN_AZ, "Start research"]  # the newest first; a person's reason as typed


def test_an_imports_reason_reads_in_armenian_on_the_reviews_history_page(editor):
    external_reviews_import_document(json.dumps([review(1)]).encode(), source="feed.json", user=editor)
    external = ExternalReview.objects.get()
    assert external.history.get().history_change_reason == "Imported from feed.json"
    url = reverse("admin:claims_externalreview_history", args=[external.pk])
    page = login(editor).get(url, headers={"accept-language": "hy"}).content.decode()
    assert "Ներմուծվել է feed.json-ից" in page


def test_every_system_reason_reads_in_each_language_and_only_registered_ones_are_written():
    for template in reasons.SYSTEM_REASONS:
        values = {name: "7" for name in re.findall(r"\{(\w+)\}", template)}
        stored = system_reason(template, **values)
        for language in ("ru", "az", "hy"):
            with translation.override(language):
                shown = reason_in_language(stored)
            assert shown != stored, (language, template)
    with pytest.raises(ValueError):
        system_reason("Something no one registered")
    with translation.override("hy"):
        assert reason_in_language(PERSONS_REASON) == PERSONS_REASON
        assert reason_in_language(None) == ""


def test_why_the_worker_disabled_a_webhook_reads_in_russian_with_its_technical_error_as_it_was(editor):
    subscription = make_subscription(editor)
    subscription.is_active = False
    subscription.disabled_reason = system_reason(
        reasons.WEBHOOK_DISABLED, when="2026-01-01 00:00 UTC", hours="24", attempts=40, error="HTTP 503"
    )
    subscription.save()
    url = reverse("admin:claims_webhooksubscription_change", args=[subscription.pk])
    page = login(editor).get(url, headers={"accept-language": "ru"}).content.decode()
    assert WEBHOOK_DISABLED_IN_RU in page
    changelist = login(editor).get(
        reverse("admin:claims_webhooksubscription_changelist"), headers={"accept-language": "ru"}
    )
    assert WEBHOOK_DISABLED_IN_RU in changelist.content.decode()


WEBHOOK_DISABLED_IN_RU = (
    "Отключено 2026-01-01 00:00 UTC: доставки не удавались 24 ч (попыток: 40). Последняя ошибка: HTTP 503"
)


def test_the_rows_the_demo_load_wrote_read_in_armenian(article_claims, editor):
    claim = Claim.objects.get(slug=PASHINYAN)
    loaded = claim.history.order_by("history_id").first()
    assert loaded.history_user is None and loaded.history_change_reason.startswith("Loaded from fixture ")
    page = login(editor).get(history_url(claim), headers={"accept-language": "hy"}).content.decode()
    assert "Բեռնվել է " in page and "ֆիքսչերից (manage.py loaddata)" in page
    assert "ֆիքսչեր\n" in page or "ֆիքսչեր<" in page  # who made the row
    assert "Loaded from fixture" not in page


def test_a_system_reason_inside_another_reads_in_the_readers_language_around_the_persons_words():
    # A tip's link captured as a source: the capture's reason names the tip, the source's history
    # row adds what the capture filled in.
    stored = system_reason(
        reasons.FILLED_FROM_CAPTURE,
        reason=system_reason(reasons.TIP_LINK_SOURCE, reason=PERSONS_REASON, tip=12),
        fields="title, author",
    )
    with translation.override("ru"):
        assert reason_in_language(stored) == RU_TIP_LINK_FILLED


RU_TIP_LINK_FILLED = f"{PERSONS_REASON} (ссылка из сигнала №12) (заполнено по копии: title, author)"
