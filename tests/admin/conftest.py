"""Admin test helpers: logged-in clients and the POST data a browser would send from a change page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.factories import ClaimFactory, RatingFactory


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_client(reviewer):
    return login(reviewer)


@pytest.fixture
def editor_client(editor):
    return login(editor)


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def history_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_history", args=[claim.pk])


def transition_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_transition", args=[claim.pk])


def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def form_data(response) -> dict:
    """The fields of the admin change form as the page rendered them (main form, inlines, management forms)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = _value(form[name].value())
            if value is None or name == "attachment":
                continue
            data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for form in formset.forms:
            add(form)
    return data


def researching_claim(*, reviewer, **fields) -> Claim:
    claim = ClaimFactory(**fields)
    return services.claim_transition(claim=claim, to_status="researching", user=reviewer, reason="Start research")


def drafted_claim(*, reviewer, **fields) -> Claim:
    """Researching, with a rated draft verdict by `reviewer` and no evidence yet."""
    claim = researching_claim(reviewer=reviewer, **fields)
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="First draft",
        rating=RatingFactory(),
        headline="Not supported by the record",
        rationale="The cited report says otherwise.",
    )
    return Claim.objects.get(pk=claim.pk)
