"""The language versions of the page being rendered: the switcher and `<link rel="alternate" hreflang>`."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template import Context
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation

from claims.links import absolute_url
from claims.models import Rating

register = template.Library()


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str
    path: str  # the switcher's link
    url: str  # absolute: hreflang links must be
    current: bool


def language_versions(request: HttpRequest) -> list[LanguageVersion]:
    """The current page in every language the site speaks (its query string kept)."""
    here = request.get_full_path()
    current = translation.get_language()
    paths = [(code, name, translate_url(here, code)) for code, name in settings.LANGUAGES]
    return [
        LanguageVersion(code, name, path, absolute_url(path, request), code == current) for code, name, path in paths
    ]


@register.simple_tag(takes_context=True)
def page_language_versions(context: Context) -> list[LanguageVersion]:
    request = context.get("request")
    return language_versions(request) if request is not None else []


@register.simple_tag
def default_language_version(versions: list[LanguageVersion]) -> str:
    """`x-default`: the version for readers whose language is not offered (the unprefixed English one)."""
    return next((version.url for version in versions if version.code == settings.LANGUAGE_CODE), "")


@register.simple_tag
def rating_badge_html(rating: Rating | None) -> str:
    """The rating badge as a value (`{% rating_badge_html r as badge %}`), to place inside a
    `{% blocktranslate %}` sentence where translators decide the word order."""
    from claims.templatetags.claims_pages import rating_badge

    return render_to_string("claims/includes/rating_badge.html", rating_badge(rating))
