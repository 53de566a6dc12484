"""A fact-check translated into Russian through the whole workflow (issue 21): the services' rules,
history, the language version of the claim page, the API, the change feed and the ClaimReview."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation as i18n

from claims.languages.translations import claim_url_in
from claims.models import ChangeEvent, RatingTranslation, VerdictTranslation
from claims.services import translations as service
from claims.services.errors import StateConflictError
from tests.api.conftest import apply_events, drain_feed, public_state, token_client
from tests.builders import published_claim
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HEADLINE_RU = "Заявление не подтверждается доступными данными"
RATIONALE_RU = "Источники, на которые ссылается заявление, не содержат таких данных."


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def claim(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor, language="en")
    RatingTranslation.objects.create(
        rating=claim.verdict.rating, language="ru", label="Не подтверждено", definition="Нет данных."
    )
    return claim


def translate(claim, user, language: str = "ru") -> VerdictTranslation:
    return service.translation_create(
        verdict=claim.verdict,
        user=user,
        reason="Russian edition",
        language=language,
        headline=HEADLINE_RU,
        rationale=RATIONALE_RU,
    )


def publish(translation, *, submitter, editor) -> VerdictTranslation:
    translation = service.translation_transition(
        translation=translation, to_status="in_review", user=submitter, reason="Ready for review"
    )
    return service.translation_transition(
        translation=translation, to_status="published", user=editor, reason="Checked against the original"
    )


def test_the_workflow_needs_an_editor_who_wrote_none_of_it(claim, reviewer, editor, second_editor):
    draft = translate(claim, reviewer)
    assert (draft.status, draft.translator, draft.verdict_version) == ("draft", reviewer, claim.verdict.version)
    with pytest.raises(StateConflictError):  # draft → published skips the review
        service.translation_transition(translation=draft, to_status="published", user=editor, reason="x")
    draft = service.translation_update(translation=draft, user=editor, reason="Terminology", headline="Правка")
    in_review = service.translation_transition(translation=draft, to_status="in_review", user=reviewer, reason="Go")
    with pytest.raises(PermissionDenied):  # a reviewer may not publish at all
        service.translation_transition(translation=in_review, to_status="published", user=reviewer, reason="x")
    with pytest.raises(PermissionDenied, match="wrote none"):  # the editor edited its text
        service.translation_transition(translation=in_review, to_status="published", user=editor, reason="x")
    published = service.translation_transition(
        translation=in_review, to_status="published", user=second_editor, reason="Approved"
    )
    assert (published.status, published.approved_by) == ("published", second_editor)
    assert published.published_at is not None
    history = list(
        published.history.order_by("history_date").values_list(
            "history_user__username", "history_change_reason", "status"
        )
    )
    assert history == [
        ("rita-reviewer", "Russian edition", "draft"),
        ("eddie-editor", "Terminology", "draft"),
        ("rita-reviewer", "Go", "in_review"),
        ("erin-editor", "Approved", "published"),
    ]
    with pytest.raises(StateConflictError):  # published: read-only
        service.translation_update(translation=published, user=reviewer, reason="x", headline="y")
    with pytest.raises(StateConflictError):  # one translation per language
        translate(claim, reviewer)


def test_a_reason_is_required_and_the_language_validated(claim, reviewer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        service.translation_create(
            verdict=claim.verdict, user=reviewer, reason=" ", language="ru", headline="", rationale="x"
        )
    with pytest.raises(ValidationError):
        service.translation_create(
            verdict=claim.verdict, user=reviewer, reason="r", language="Russian", headline="", rationale="x"
        )
    assert translate(claim, reviewer, language="RU").language == "ru"


def test_publishing_appends_a_translated_event_with_the_translation(claim, reviewer, editor, second_editor):
    version = claim.version
    publish(translate(claim, reviewer), submitter=reviewer, editor=second_editor)
    event = ChangeEvent.objects.order_by("-id").first()
    assert (event.kind, event.language, event.claim_id) == ("translated", "ru", claim.pk)
    [entry] = event.payload["translations"]
    assert entry["headline"] == HEADLINE_RU and entry["translated_from"] == "en"
    assert entry["rating_label"] == "Не подтверждено"
    claim.refresh_from_db()
    assert claim.version == version + 1  # the claim's ETag moves with its representation


def test_the_feed_replayed_ends_with_the_published_translations(claim, reviewer, editor, second_editor, api_client):
    mirror: dict = {}
    cursor, _ = drain_feed(api_client, None, mirror)
    translation = publish(translate(claim, reviewer), submitter=reviewer, editor=second_editor)
    cursor, applied = drain_feed(api_client, cursor, mirror)
    assert applied == 1 and mirror == public_state()
    service.translation_transition(translation=translation, to_status="draft", user=editor, reason="Revise")
    response = api_client.get("/api/v1/changes/", {"after": cursor}).json()
    assert [(e["kind"], e["language"]) for e in response["events"]] == [("translated", "ru")]
    apply_events(mirror, response["events"])
    assert mirror == public_state() and mirror[claim.pk]["translations"] == []


def test_the_russian_page_shows_the_translation_marked_and_the_english_page_the_original(
    client, claim, reviewer, second_editor
):
    publish(translate(claim, reviewer), submitter=reviewer, editor=second_editor)
    with i18n.override("ru"):
        html = client.get(claim.get_absolute_url()).content.decode()
    assert f'<p class="verdict-headline" lang="ru">{HEADLINE_RU}</p>' in html
    assert 'class="translation-note"' in html  # "Translated from English", in the page's language
    assert "Не подтверждено" in html  # the rating's label in Russian
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert review["inLanguage"] == "ru"
    assert review["itemReviewed"]["inLanguage"] == "en"
    assert review["reviewRating"]["ratingExplanation"] == HEADLINE_RU
    assert review["reviewRating"]["alternateName"] == "Не подтверждено"
    assert review["url"].endswith(claim_url_in(claim, "ru"))
    assert review["translationOfWork"]["inLanguage"] == "en"
    english = client.get(claim.get_absolute_url()).content.decode()
    assert HEADLINE_RU not in english and 'class="translation-note"' not in english
    assert f'lang="{claim.language}"' in english  # the quote is marked with its language


def test_the_api_shows_translations_and_filters_claims_by_language(api_client, claim, reviewer, second_editor):
    publish(translate(claim, reviewer), submitter=reviewer, editor=second_editor)
    body = api_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert [t["language"] for t in body["translations"]] == ["ru"]
    assert body["translations"][0]["url"].endswith(claim_url_in(claim, "ru"))
    assert [c["id"] for c in api_client.get("/api/v1/claims/", {"language": "en"}).json()["results"]] == [claim.pk]
    assert api_client.get("/api/v1/claims/", {"language": "ru"}).json()["results"] == []
    assert api_client.get("/api/v1/claims/", {"language": "not a tag"}).status_code == 400
    listed = api_client.get("/api/v1/translations/").json()["results"]
    assert [(t["language"], t["status"]) for t in listed] == [("ru", "published")]


def test_the_claimreview_feed_carries_each_translation(api_client, claim, reviewer, second_editor):
    publish(translate(claim, reviewer), submitter=reviewer, editor=second_editor)
    [review] = api_client.get("/api/v1/claimreview/").json()["results"]
    [translated] = review["workTranslation"]
    assert (review["inLanguage"], translated["inLanguage"]) == ("en", "ru")
    assert translated["translationOfWork"]["url"] == review["url"]
    response = api_client.get("/api/v1/claimreview/datafeed.json")
    datafeed = json.loads(b"".join(response.streaming_content))
    assert [item["inLanguage"] for item in datafeed["dataFeedElement"][0]["item"]] == ["en", "ru"]


def test_api_writes_need_if_match_and_follow_the_rules(claim, reviewer, editor, second_editor):
    reviewer_api, editor_api = token_client(reviewer), token_client(second_editor)
    body = {"verdict": claim.verdict.pk, "language": "ru", "headline": HEADLINE_RU, "rationale": RATIONALE_RU}
    assert reviewer_api.post("/api/v1/translations/", body, format="json").status_code == 400  # no reason
    created = reviewer_api.post("/api/v1/translations/", {**body, "reason": "Start"}, format="json")
    assert created.status_code == 201, created.content
    url, etag = f"/api/v1/translations/{created.json()['id']}/", created["ETag"]
    assert reviewer_api.patch(url, {"headline": "x", "reason": "r"}, format="json").status_code == 428
    assert (
        reviewer_api.patch(url, {"headline": "x", "reason": "r"}, format="json", HTTP_IF_MATCH='"stale"').status_code
        == 412
    )
    edited = reviewer_api.patch(
        url, {"public_notes": "Термины по оригиналу.", "reason": "Notes"}, format="json", HTTP_IF_MATCH=etag
    )
    assert edited.status_code == 200
    moved = reviewer_api.post(
        f"{url}transitions/", {"to_status": "in_review", "reason": "Ready"}, format="json", HTTP_IF_MATCH=edited["ETag"]
    )
    assert moved.status_code == 200
    refused = reviewer_api.post(
        f"{url}transitions/", {"to_status": "published", "reason": "Mine"}, format="json", HTTP_IF_MATCH=moved["ETag"]
    )
    assert refused.status_code == 403
    done = editor_api.post(
        f"{url}transitions/", {"to_status": "published", "reason": "OK"}, format="json", HTTP_IF_MATCH=moved["ETag"]
    )
    assert done.status_code == 200 and done.json()["status"] == "published"
    anonymous = token_client(make_user("nobody")).get("/api/v1/translations/").json()["results"]
    assert [t["public_notes"] for t in anonymous] == ["Термины по оригиналу."]


@pytest.mark.parametrize("count", [0, 3])
def test_the_claim_page_and_api_cost_the_same_with_any_number_of_translations(
    count, client, api_client, claim, reviewer, second_editor, django_assert_num_queries
):
    for language in ["ru", "az", "hy"][:count]:
        publish(translate(claim, reviewer, language), submitter=reviewer, editor=second_editor)
    with i18n.override("ru"), django_assert_num_queries(10):
        assert client.get(claim.get_absolute_url()).status_code == 200
    with django_assert_num_queries(4):  # + published translations + rating translations
        body = api_client.get("/api/v1/claims/").json()
    assert len(body["results"][0]["translations"]) == count
    with django_assert_num_queries(1):  # the page of translations, their verdicts joined
        listed = api_client.get("/api/v1/translations/").json()["results"]
    assert len(listed) == count
