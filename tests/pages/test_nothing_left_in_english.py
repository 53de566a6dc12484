"""What a Russian or Armenian reader meets is in their language (issue 21): the ratings' labels on
every page that shows them (they are data, translated per rating), the public forms and the Atom
feed's own words, and the refusals the services, the validators and the 2FA step send back. These
strings were English before; each check here failed then."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.admin.external import ImportForm
from claims.intake.anchoring import anchor_in_text
from claims.intake.capture import extract, extract_plain_text
from claims.intake.net import FetchRefused, check_public_url
from claims.intake.validators import validate_evidence_attachment
from claims.models import Claim, Rating, RatingTranslation
from claims.security.two_factor import CODE_INVALID
from claims.services.editing import require_perm
from claims.site.tips import too_many_tips
from tests.pages.test_languages import prefixed

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "hy"]
BADGE = re.compile(r'<span class="badge rating-([\w-]+)">([^<]+)</span>')
ATOM = "{http://www.w3.org/2005/Atom}"
# Public words that stayed English in every language.
FORMERLY_ENGLISH = {
    "/claims/": ["Any rating", "Any relation or none", "Name, e.g. Nikol Pashinyan"],
    "/feeds/verdicts.atom": ["Every fact-check we publish"],
}


def labels(language: str) -> dict[str, str]:
    return {
        t.rating.slug: t.label for t in RatingTranslation.objects.filter(language=language).select_related("rating")
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/claims/", "timeline"])
def test_every_rating_badge_speaks_the_readers_language(client, article_claims, language, path):
    translated = labels(language)
    if path == "timeline":  # a claim page whose timeline shows other claims' ratings
        claim = Claim.objects.published().filter(relations_from__isnull=False).first()
        path = claim.get_absolute_url()
    html = client.get(prefixed(language, path)).content.decode()
    badges = BADGE.findall(html)
    assert len(badges) > 1
    assert badges == [(slug, translated[slug]) for slug, _label in badges]
    if "/claims/" in path and path != "/claims/":
        timeline = re.findall(r'<p class="timeline-sentence">.*?</p>', html, re.S)
        assert timeline and all(BADGE.search(entry) for entry in timeline)
        for entry in timeline:
            slug, label = BADGE.search(entry).groups()
            assert label == translated[slug]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_atom_feed_titles_its_entries_with_translated_ratings(client, article_claims, language):
    translated = set(labels(language).values())
    english = set(Rating.objects.values_list("label", flat=True))
    response = client.get(prefixed(language, "/feeds/verdicts.atom"))
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles
    assert all(title.split(": ", 1)[0] in translated for title in titles)
    assert not any(title.split(": ", 1)[0] in english for title in titles)
    assert (
        feed.find(f"{ATOM}subtitle").text
        != "Every fact-check we publish, and every correction we make to a published verdict."
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", sorted(FORMERLY_ENGLISH))
def test_the_public_pages_own_words_are_translated(client, article_claims, language, path):
    html = client.get(prefixed(language, path)).content.decode()
    assert [text for text in FORMERLY_ENGLISH[path] if text in html] == []


def _message(refusal, language: str) -> str:
    with translation.override(language):
        try:
            refusal()
        except (ValidationError, PermissionDenied, FetchRefused) as error:
            return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    raise AssertionError("not refused")


def _refusals(reader):
    return {
        "attachment type": lambda: validate_evidence_attachment(SimpleUploadedFile("notes.exe", b"MZ")),
        "attachment content": lambda: validate_evidence_attachment(SimpleUploadedFile("scan.pdf", b"<html>")),
        "not UTF-8": lambda: extract_plain_text(b"\xff\xfe\xfa\xfb"),
        "too large": lambda: extract("text", b"x" * (10 * 1024 * 1024 + 1)),
        "not http": lambda: check_public_url("ftp://example.org/file"),
        "passage empty": lambda: anchor_in_text("Some captured text.", "   "),
        "not permitted": lambda: require_perm(reader, "claims.add_claim", gettext_lazy("add claims")),
        "import needs a file or a URL": lambda: _raise_form_errors(ImportForm({"change_reason": "Try"})),
    }


def _raise_form_errors(form) -> None:
    if not form.is_valid():
        raise ValidationError(form.non_field_errors())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_refusals_users_meet_are_translated(language, django_user_model):
    reader = django_user_model.objects.create_user("just-a-reader", password="x")
    for name, refusal in _refusals(reader).items():
        english, translated = _message(refusal, "en"), _message(refusal, language)
        assert translated != english, name
        assert not re.search(r"\b(the|is|not|only|give)\b", translated, re.I), (name, translated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rate_limit_and_the_second_factor_speak_the_readers_language(client, editor, language):
    with translation.override(language):
        assert "minute" not in too_many_tips(3)
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    client.force_login(editor)
    html = client.post(
        "/security/2fa/verify/", {"code": "000000", "next": "/admin/"}, headers={"accept-language": language}
    ).content.decode()
    assert CODE_INVALID not in html
    with translation.override(language):
        assert translation.gettext(CODE_INVALID) in html.replace("&#x27;", "'")
