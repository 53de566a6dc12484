"""Translations on the desk (issue 21): written, submitted and published in the admin through the services."""

import pytest

from claims.models import ChangeEvent, VerdictTranslation
from tests.builders import published_claim

pytestmark = pytest.mark.django_db

URL = "/admin/claims/verdicttranslation/"


@pytest.fixture
def verdict(reviewer, editor):
    return published_claim(reviewer=reviewer, editor=editor).verdict


def test_a_translation_is_written_submitted_and_published_by_another_editor(
    client, verdict, reviewer, editor, second_editor
):
    client.force_login(reviewer)
    response = client.post(
        f"{URL}add/",
        {
            "verdict": verdict.pk,
            "language": "hy",
            "headline": "Ապացուցված չէ",
            "rationale": "Աղբյուրը ապացույցներ չի ներկայացնում։",
            "public_notes": "",
            "change_reason": "Armenian edition",
            "move_to": "in_review",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    translation = VerdictTranslation.objects.get()
    assert (translation.status, translation.translator) == ("in_review", reviewer)

    client.force_login(editor)
    page = client.get(f"{URL}{translation.pk}/change/").content.decode()
    assert 'lang="hy"' in page  # the translation's words are marked with its language
    client.force_login(reviewer)  # the translator may not publish (nor may any reviewer)
    refused = client.post(
        f"{URL}{translation.pk}/change/",
        {
            "headline": translation.headline,
            "rationale": translation.rationale,
            "public_notes": "",
            "change_reason": "Publish",
            "move_to": "published",
            "expected_version": translation.version,
        },
    )
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    client.force_login(second_editor)
    done = client.post(
        f"{URL}{translation.pk}/change/",
        {
            "headline": translation.headline,
            "rationale": translation.rationale,
            "public_notes": "",
            "change_reason": "Checked against the original",
            "move_to": "published",
            "expected_version": translation.version,
        },
    )
    assert done.status_code == 302
    translation.refresh_from_db()
    assert (translation.status, translation.approved_by) == ("published", second_editor)
    assert translation.history.first().history_change_reason == "Checked against the original"
    assert ChangeEvent.objects.order_by("-id").first().kind == "translated"


def test_the_translation_list_costs_the_same_at_any_size(
    client, verdict, reviewer, editor, django_assert_max_num_queries
):
    from claims.services import translations as service

    for language in ("ru", "az", "hy", "ka", "uk"):
        service.translation_create(
            verdict=verdict, user=reviewer, reason="r", language=language, headline="h", rationale="r"
        )
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
