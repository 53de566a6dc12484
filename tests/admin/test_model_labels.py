"""The desk names every model and column it shows in the reader's language (issue 21): a model of
ours that the admin registers, or shows inline, carries translatable verbose names for itself and
for each of its fields. Django's fallback (the attribute name, "publisher_name" → "publisher name")
would stay English in every language."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from claims.models import IntakeJob, SourceSnapshot, WebhookDelivery
from tests.admin.conftest import login
from tests.webhooks.test_desk import log_attempts, make_subscription


def models_the_desk_shows() -> set[type[models.Model]]:
    shown: set[type[models.Model]] = set()
    for model, model_admin in admin.site._registry.items():
        shown.add(model)
        shown.update(inline.model for inline in model_admin.inlines)
    return {model for model in shown if model._meta.app_label == "claims"}


def english_only_labels(model: type[models.Model]) -> list[str]:
    options = model._meta
    missing = [
        f"{model.__name__}.Meta.{name}"
        for name in ("verbose_name", "verbose_name_plural")
        if not isinstance(options.original_attrs.get(name), Promise)
    ]
    missing += [
        f"{model.__name__}.{field.name}"
        for field in options.get_fields()
        if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    return missing


def test_every_model_and_field_the_desk_shows_has_a_translatable_name() -> None:
    shown = models_the_desk_shows()
    assert {IntakeJob, WebhookDelivery}.issubset(shown)
    assert [label for model in sorted(shown, key=lambda m: m.__name__) for label in english_only_labels(model)] == []


def test_the_new_labels_read_in_each_language() -> None:
    expected = {
        "ru": ("задание приёма", "HTTP-статус", "способ сохранения копии"),
        "az": ("qəbul tapşırığı", "HTTP statusu", "surətin çıxarılma üsulu"),
        "hy": ("ընդունման առաջադրանք", "HTTP կարգավիճակ", "պատճենման եղանակ"),
    }
    for language, labels in expected.items():
        with translation.override(language):
            assert (
                str(IntakeJob._meta.verbose_name),
                str(WebhookDelivery._meta.get_field("status_code").verbose_name),
                str(SourceSnapshot._meta.get_field("method").verbose_name),
            ) == labels


# Column headings Django made from the attribute names before (issue 21), and what the desk says now.
ENGLISH_HEADINGS = ["Attempted at", "Webhook id", "Status code", "Duration ms", "Finished at", "Created at"]
TRANSLATED_HEADINGS = {
    "ru": ["Время попытки", "HTTP-статус", "Длительность (мс)", "Обработано", "Всего", "Завершено"],
    "hy": ["Փորձի ժամանակը", "HTTP կարգավիճակ", "Տևողություն (մվ)", "Մշակվել է", "Ընդամենը", "Ավարտվել է"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(TRANSLATED_HEADINGS))
def test_the_delivery_log_and_the_intake_jobs_list_head_their_columns_in_the_desks_language(
    editor: User, language: str, django_assert_max_num_queries: Callable[[int], AbstractContextManager[Any]]
) -> None:
    log_attempts(make_subscription(editor), 1)
    IntakeJob.objects.create(kind=IntakeJob.Kind.CAPTURE, created_by=editor, reason="Recapture")
    desk = login(editor)
    headers = {"accept-language": language}
    with django_assert_max_num_queries(8):
        deliveries = desk.get(reverse("admin:claims_webhookdelivery_changelist"), headers=headers)
    with django_assert_max_num_queries(8):
        jobs = desk.get(reverse("admin:claims_intakejob_changelist"), headers=headers)
    assert (deliveries.status_code, jobs.status_code) == (200, 200)
    html = deliveries.content.decode() + jobs.content.decode()
    assert [heading for heading in ENGLISH_HEADINGS if heading in html] == []
    assert [heading for heading in TRANSLATED_HEADINGS[language] if heading not in html] == []
