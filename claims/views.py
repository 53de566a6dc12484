"""Public, read-only pages. Thin: selectors choose what is public and how it is loaded."""

import functools
import hashlib
from pathlib import Path

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from . import selectors
from .claimreview import claim_review, rating_scale_bounds
from .forms import ClaimFilterForm
from .models import Claim, Claimant
from .representations import current_verdict, withdrawal_notice
from .timeline import relation_timeline

CLAIMS_PER_PAGE = 20
CORRECTIONS_PER_PAGE = 50


@require_safe
def home(request):
    return render(request, "claims/home.html", {"claims": list(selectors.latest_fact_checks(10))})


@require_safe
def claim_list(request):
    form = ClaimFilterForm(
        request.GET or None,
        ratings=selectors.rating_scale(),
        claimants=list(selectors.public_claimants_with_claims()),
    )
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.public_claim_list(**filters), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/claim_list.html", {"form": form, "page": page, "filters": filters})


def _claim_validators(request, slug):
    # Computed once per request (one query) and shared by the ETag and Last-Modified checks.
    if not hasattr(request, "_claim_validators"):
        request._claim_validators = selectors.public_claim_validators(slug)
    return request._claim_validators


@functools.cache
def _templates_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _release_tag() -> str:
    """Changes when a deploy changes the pages' templates or static files (hashed names), so a
    page revalidated after a deploy is sent again rather than kept with stale stylesheet links."""
    return hashlib.sha256(f"{_templates_fingerprint()}|{static('claims/site.css')}".encode()).hexdigest()[:12]


def _claim_etag(request, slug):
    validators = _claim_validators(request, slug)
    return f"{validators[0]}-{_release_tag()}" if validators else None


def _claim_last_modified(request, slug):
    validators = _claim_validators(request, slug)
    return validators[1] if validators else None


@require_safe
@condition(etag_func=_claim_etag, last_modified_func=_claim_last_modified)
def claim_detail(request, slug):
    if _claim_validators(request, slug) is None:
        withdrawal = selectors.withdrawal_of(slug=slug)
        if withdrawal is not None:
            return withdrawn_claim(request, withdrawal)
        raise Http404("No published claim here.")
    try:
        claim = selectors.public_claim_detail(slug)
    except Claim.DoesNotExist as exc:  # withdrawn between the two queries
        raise Http404("No published claim here.") from exc
    verdict = current_verdict(claim)
    context = {
        "claim": claim,
        "verdict": verdict,
        "timeline": relation_timeline(claim),
        "claim_review": claim_review(claim, scale=rating_scale_bounds(), verdict=verdict, request=request),
    }
    response = render(request, "claims/claim_detail.html", context)
    # Caches may keep the page but must ask again (cheaply, with the validators) before reuse.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def withdrawn_claim(request, withdrawal):
    """410 Gone: the fact-check was withdrawn; the page says what, when and why."""
    context = {"withdrawal": withdrawal, "claim": withdrawal.claim, "notice": withdrawal_notice(withdrawal, request)}
    return render(request, "claims/claim_withdrawn.html", context, status=410)


@require_safe
def claimant_detail(request, slug):
    try:
        claimant, claims = selectors.public_claimant_detail(slug)
    except Claimant.DoesNotExist as exc:
        raise Http404("No claimant with published fact-checks here.") from exc
    return render(request, "claims/claimant_detail.html", {"claimant": claimant, "claims": claims})


@require_safe
def methodology(request):
    return render(request, "claims/methodology.html", {"ratings": selectors.rating_scale()})


@require_safe
def corrections(request):
    page = Paginator(selectors.public_corrections(), CORRECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    # Withdrawn fact-checks are few and final: all of them, on the first page.
    withdrawals = list(selectors.public_withdrawals()) if page.number == 1 else []
    return render(request, "claims/corrections.html", {"page": page, "withdrawals": withdrawals})


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on every page without an icon link (the admin, the API,
    the feed): the static icon, under its hashed name in production."""
    return HttpResponseRedirect(static("claims/favicon.ico"))
