"""The public's doors to tips: the form (`/tips/new/`) and the private status page (`/tips/status/<token>/`).

Thin: `claims.tips.services` validates and stores, `claims.tips.selectors` says what a tipster may
see. The form carries a honeypot field that people never see (hidden by the stylesheet, skipped by
keyboard and screen readers); a submission that fills it is answered like a real one and dropped.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from claims.models.tips import TIP_TEXT_MAX_LENGTH, TIP_URL_MAX_LENGTH
from claims.tips import selectors, services
from claims.tips.throttle import tip_allowed

HONEYPOT_FIELD = "website"


class TipForm(forms.Form):
    text = forms.CharField(
        label=_("What should we check?"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TIP_TEXT_MAX_LENGTH}),
        max_length=TIP_TEXT_MAX_LENGTH,
        help_text=_("The claim in the words you saw or heard it, and where."),
    )
    url = forms.CharField(
        label=_("Link (optional)"),
        required=False,
        max_length=TIP_URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_("Where you saw it. We do not open links automatically."),
    )
    language = forms.CharField(required=False, widget=forms.HiddenInput)
    contact_email = forms.CharField(
        label=_("Your e-mail (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Only used to tell you about this tip; erased when it is closed, or whenever you ask."),
    )
    notify = forms.BooleanField(
        label=_("E-mail me when the fact-check is published, corrected or withdrawn."), required=False
    )
    # The honeypot: no label a person would fill; hidden from sight, keyboard and screen readers.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def too_many_tips(minutes: int) -> str:
    """The rate limit's message, with the wait in the language's plural form."""
    return ngettext(
        "You have sent many tips in a short time. Please try again in %(minutes)d minute.",
        "You have sent many tips in a short time. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tip_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = TipForm(initial={"language": getattr(request, "LANGUAGE_CODE", "")})
        return render(request, "claims/tips/new.html", {"form": form})
    form = TipForm(request.POST)
    if request.POST.get(HONEYPOT_FIELD):
        return render(request, "claims/tips/thanks.html", {"status_url": None})
    allowed, wait = tip_allowed(request)
    if not allowed:
        form.add_error(None, too_many_tips(max(wait // 60, 1)))
        response = render(request, "claims/tips/new.html", {"form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != HONEYPOT_FIELD}
        try:
            tip = services.tip_submit(**fields)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return HttpResponseRedirect(reverse("claims:tip-status", args=[tip.status_token]) + "?sent=1")
    return render(request, "claims/tips/new.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "HEAD"])
def tip_status(request: HttpRequest, token: str) -> HttpResponse:
    tip = selectors.tip_by_status_token(token)
    if tip is None:
        raise Http404
    response = render(
        request,
        "claims/tips/status.html",
        {"tip": tip, "status": selectors.tip_public_status(tip), "just_sent": request.GET.get("sent") == "1"},
    )
    # The token is the only key to this page: keep it out of Referer headers and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def tip_forget_me(request: HttpRequest, token: str) -> HttpResponse:
    tip = selectors.tip_by_status_token(token)
    if tip is None:
        raise Http404
    services.tip_erase_contact(tip=tip, user=None, reason=services.ERASED_ON_REQUEST)
    return HttpResponseRedirect(reverse("claims:tip-status", args=[token]) + "?forgotten=1")
