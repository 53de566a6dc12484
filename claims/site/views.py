"""Public, read-only pages. Thin: selectors choose what is public and how it is loaded."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from claims import selectors
from claims.feed import revisions
from claims.feed.claimreview import claim_review, rating_scale_bounds
from claims.feed.representations import (
    UnderReviewNotice,
    claim_verdict,
    confirmed_external_links,
    under_review_notice,
    withdrawal_notice,
)
from claims.intake.quotes import quote_in_context
from claims.languages.translations import (
    load_rating_translations,
    rating_label,
    shown_verdict,
    translated_claim_review,
)
from claims.links import origin
from claims.models import Claim, Claimant, CorrectionReview, Withdrawal
from claims.selectors import ClaimPageRevision
from claims.site.atom import VerdictFeed
from claims.site.forms import ClaimFilterForm
from claims.site.pagecache import cached_page, page_key, release_tag
from claims.site.pagination import LookaheadPaginator
from claims.site.timeline import relation_timeline

CLAIMS_PER_PAGE = 20
CORRECTIONS_PER_PAGE = 20
# Lists stop at this many pages (200 claims, 200 corrections): see claims.site.pagination. A reader
# narrows a longer list with the filters; the cap is below even a small desk's size, so a list
# request does the same work at 1,000 claims as at 100,000 (issue 9).
MAX_LIST_PAGES = 10
MAX_CORRECTION_PAGES = 10
WITHDRAWALS_ON_CORRECTIONS = 10  # the rest on /corrections/withdrawn/


def _site_content_revision() -> str:
    return revisions.site_content_revision()


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def render_home() -> HttpResponse:
        claims = list(selectors.latest_fact_checks(10))
        selectors.load_claim_card_ratings(claims)
        return render(request, "claims/home.html", {"claims": claims})

    return cached_page(page_key("home", _site_content_revision(), origin(request)), render_home)


@require_safe
def claim_list(request: HttpRequest) -> HttpResponse:
    if not request.GET:  # the unfiltered first page is the one most readers open: cached
        return cached_page(
            page_key("claim-list", _site_content_revision(), origin(request)), lambda: _claim_list(request)
        )
    return _claim_list(request)


def _claim_list(request: HttpRequest) -> HttpResponse:
    # The scale with its labels in every language (the filter's choices), which the cards reuse.
    scale = selectors.rating_scale(translated=True)
    form = ClaimFilterForm(request.GET or None, ratings=scale)
    filters = form.filters() if form.is_bound else {}
    claims = selectors.public_claim_list(**filters)
    page = LookaheadPaginator(claims, CLAIMS_PER_PAGE, max_pages=MAX_LIST_PAGES).page_or_404(request.GET.get("page"))
    selectors.load_claim_card_ratings(page.object_list, scale)
    return render(request, "claims/claim_list.html", {"form": form, "page": page, "filters": filters})


def _claim_revision(request: HttpRequest, slug: str) -> ClaimPageRevision | None:
    # Computed once per request (one query) and shared by the ETag and Last-Modified checks.
    if not hasattr(request, "_claim_revision"):
        request._claim_revision = selectors.public_claim_revision(slug)  # type: ignore[attr-defined]
    return request._claim_revision  # type: ignore[attr-defined]


def _claim_etag(request: HttpRequest, slug: str) -> str | None:
    revision = _claim_revision(request, slug)
    # The language is in the URL, but a validator must still differ between the versions of a page.
    return f"{revision.etag}-{translation.get_language()}-{release_tag()}" if revision else None


def _claim_last_modified(request: HttpRequest, slug: str) -> datetime.datetime | None:
    revision = _claim_revision(request, slug)
    return revision.changed_at if revision else None


@require_safe
@condition(etag_func=_claim_etag, last_modified_func=_claim_last_modified)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    revision = _claim_revision(request, slug)
    if revision is None:
        withdrawal = selectors.withdrawal_of(slug=slug)
        if withdrawal is not None:
            return withdrawn_claim(request, withdrawal)
        raise Http404("No published claim here.")
    # Absolute URLs (canonical, ClaimReview) follow the origin served: one cached copy per origin.
    render_page = _render_claim_under_review if revision.under_review_since else _render_claim
    response = cached_page(page_key("claim", revision.etag, origin(request)), lambda: render_page(request, slug))
    # Caches may keep the page but must ask again (cheaply, with the validators) before reuse.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def _render_claim(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        claim = selectors.public_claim_detail(slug)
    except Claim.DoesNotExist as exc:  # withdrawn between the two queries
        raise Http404("No published claim here.") from exc
    return _claim_page(request, claim)


def _render_claim_under_review(request: HttpRequest, slug: str) -> HttpResponse:
    """Reopened for a correction: the version last published, with the notice (never the draft)."""
    try:
        claim, review = selectors.public_claim_under_review(slug)
    except CorrectionReview.DoesNotExist as exc:  # republished or withdrawn between the two queries
        raise Http404("No published claim here.") from exc
    return _claim_page(request, claim, under_review=under_review_notice(review))


def _claim_page(request: HttpRequest, claim: Claim, under_review: UnderReviewNotice | None = None) -> HttpResponse:
    verdict = claim_verdict(claim)
    if verdict is None:  # the selectors read published claims only, which have a verdict
        raise Http404("No published claim here.")
    # The verdict in the reader's language where a published translation exists (issue 21), with
    # that version's own ClaimReview.
    shown = shown_verdict(verdict)
    review = claim_review(claim, scale=rating_scale_bounds(), verdict=verdict, request=request)
    original_url = review["url"]
    if shown.translation is not None:
        review = {
            **translated_claim_review(review, claim, shown.translation, request),
            "translationOfWork": {"@type": "ClaimReview", "url": original_url, "inLanguage": verdict.language},
        }
    context = {
        "shown": shown,
        "rating_label": rating_label(verdict.rating),
        "original_url": original_url if shown.translation is not None and original_url != review["url"] else "",
        "under_review": under_review,
        "claim": claim,
        "verdict": verdict,
        "timeline": relation_timeline(claim),
        "quote_context": quote_in_context(claim),
        "claim_review": review,
        "other_fact_checks": confirmed_external_links(claim),
    }
    return render(request, "claims/claim_detail.html", context)


def withdrawn_claim(request: HttpRequest, withdrawal: Withdrawal) -> HttpResponse:
    """410 Gone: the fact-check was withdrawn; the page says what, when and why."""
    corrections = selectors.corrections_before_withdrawal(withdrawal)
    load_rating_translations(
        [withdrawal.previous_rating, *(r for c in corrections for r in (c.previous_rating, c.new_rating))]
    )
    context = {
        "withdrawal": withdrawal,
        "claim": withdrawal.claim,
        "notice": withdrawal_notice(withdrawal, request),
        "corrections": corrections,
    }
    return render(request, "claims/claim_withdrawn.html", context, status=410)


@require_safe
def claimant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        claimant, claims = selectors.public_claimant_detail(slug)
    except Claimant.DoesNotExist as exc:
        raise Http404("No claimant with published fact-checks here.") from exc
    page = LookaheadPaginator(claims, CLAIMS_PER_PAGE, max_pages=MAX_LIST_PAGES).page_or_404(request.GET.get("page"))
    selectors.load_claim_card_ratings(page.object_list)
    return render(request, "claims/claimant_detail.html", {"claimant": claimant, "page": page})


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    # The scale's labels and definitions in the reader's language (issue 21): one more query.
    return render(request, "claims/methodology.html", {"ratings": selectors.rating_scale(translated=True)})


@require_safe
def corrections(request: HttpRequest) -> HttpResponse:
    paginator = LookaheadPaginator(selectors.public_corrections(), CORRECTIONS_PER_PAGE, max_pages=MAX_CORRECTION_PAGES)
    page = paginator.page_or_404(request.GET.get("page"))
    # The newest withdrawn fact-checks on the first page (one more read, to know whether to link
    # to the rest): a desk that withdraws many does not make this page grow.
    withdrawals = list(selectors.public_withdrawals()[: WITHDRAWALS_ON_CORRECTIONS + 1]) if page.number == 1 else []
    load_rating_translations(  # the ratings' labels in the reader's language, one query for the page
        [
            *(
                rating
                for correction in page.object_list
                for rating in (correction.previous_rating, correction.new_rating)
            ),
            *(withdrawal.previous_rating for withdrawal in withdrawals),
        ]
    )
    context = {
        "page": page,
        "withdrawals": withdrawals[:WITHDRAWALS_ON_CORRECTIONS],
        "more_withdrawals": len(withdrawals) > WITHDRAWALS_ON_CORRECTIONS,
    }
    return render(request, "claims/corrections.html", context)


@require_safe
def withdrawals(request: HttpRequest) -> HttpResponse:
    """Every withdrawn fact-check, newest first, paged like the corrections."""
    paginator = LookaheadPaginator(selectors.public_withdrawals(), CORRECTIONS_PER_PAGE, max_pages=MAX_CORRECTION_PAGES)
    page = paginator.page_or_404(request.GET.get("page"))
    load_rating_translations(withdrawal.previous_rating for withdrawal in page.object_list)
    return render(request, "claims/withdrawals.html", {"page": page})


_verdict_feed = VerdictFeed()


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    return cached_page(page_key("feed", _site_content_revision(), origin(request)), lambda: _verdict_feed(request))


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for on every page without an icon link (the admin, the API,
    the feed): the static icon, under its hashed name in production."""
    return HttpResponseRedirect(static("claims/favicon.ico"))
