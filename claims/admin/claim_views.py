"""The claim admin's own pages: workflow buttons on the change page, transition, correction and
revert views, and the history page with the related objects' history.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext

from claims import services
from claims.admin.base import REASON_FIELD, ReasonRequiredAdmin, desk_user, report_refusal
from claims.admin.claim_forms import CorrectionForm, RevertForm, optional_int
from claims.admin.history import ReadableDeltaHelper, claim_related_history, revert_preview
from claims.feed.representations import correction_review_of, under_review_notice
from claims.models import Claim, Correction, Verdict
from claims.services.errors import WorkflowError
from claims.services.moves import offered_moves, review_warnings

S = Claim.Status


if TYPE_CHECKING:  # mixed into ClaimAdmin, whose other base gives it the ModelAdmin's methods
    _ModelAdmin = ReasonRequiredAdmin[Claim]
else:
    _ModelAdmin = object


class ClaimWorkflowViews(_ModelAdmin):
    """The claim page's workflow buttons, the transition, correction and revert views, and the history page.

    Mixed into `ClaimAdmin`; every write goes through a service.
    """

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context.update(self.workflow_context(request, claim))
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request: HttpRequest, claim: Claim) -> dict:
        moves = offered_moves(claim=claim, user=request.user)
        transitions = [move.transition for move in moves]
        return {
            "workflow": {
                # Every move the table lets this user make from here, disabled with the reason the
                # service would give when the data refuses it now (services.moves).
                "moves": moves,
                # Editable claims move with the page's own form and its one reason box.
                "with_page_form": self.has_change_permission(request, claim),
                "transitions": transitions,
                "asks_correction_reason": any(
                    services.claim_needs_correction_reason(claim, move.to_status) for move in transitions
                ),
                # Withdrawing or archiving a published claim: readers get 410 with this notice.
                "asks_withdrawal_notice": any(
                    services.claim_needs_withdrawal_notice(claim, move.to_status) for move in transitions
                ),
                "version": claim.version,
                "status": claim.get_status_display(),
                # Reopened for a correction: still public as last published, with this notice.
                "under_review": under_review_notice(review) if (review := correction_review_of(claim)) else None,
                "can_correct": services.claim_verdict_can_be_corrected(claim)
                and request.user.has_perm(services.permissions.CORRECT_VERDICT),
                "transition_url": reverse("admin:claims_claim_transition", args=[claim.pk]),
                "correct_url": reverse("admin:claims_claim_correct", args=[claim.pk]),
            }
        }

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/transition/", view(self.transition_view), name="claims_claim_transition"),
            path("<path:object_id>/correct/", view(self.correct_view), name="claims_claim_correct"),
            path("<path:object_id>/revert/<int:history_id>/", view(self.revert_view), name="claims_claim_revert"),
            *super().get_urls(),
        ]

    def _get_claim_or_404(self, request: HttpRequest, object_id: str) -> Claim:
        claim = self.get_object(request, object_id)
        if claim is None:
            raise Http404(gettext("No such claim."))
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        return claim

    def _change_url(self, claim: Claim) -> str:
        return reverse("admin:claims_claim_change", args=[claim.pk])

    def response_change(self, request: HttpRequest, obj: Claim) -> HttpResponse:
        """After a save from the page, the status change its workflow button asked for, with the same reason."""
        to_status = request.POST.get("_transition")
        if not to_status:
            return super().response_change(request, obj)
        from_status = obj.status
        try:
            moved = services.claim_transition(
                claim=obj,
                to_status=to_status,
                user=desk_user(request),
                reason=request.POST.get(REASON_FIELD, ""),
                public_reason=request.POST.get("public_reason", ""),
                expected_version=obj.version,
            )
        except (WorkflowError, PermissionDenied) as error:
            report_refusal(request, error)
            messages.info(request, gettext("Your edits, if any, were saved; the status did not change."))
        else:
            self._report_move(request, moved, from_status)
        return HttpResponseRedirect(self._change_url(obj))

    def transition_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        claim = self._get_claim_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(claim))
        to_status = request.POST.get("to_status", "")
        from_status = claim.status
        try:
            moved = services.claim_transition(
                claim=claim,
                to_status=to_status,
                user=desk_user(request),
                reason=request.POST.get(REASON_FIELD, ""),
                public_reason=request.POST.get("public_reason", ""),
                expected_version=optional_int(request.POST.get("expected_version")),
            )
        except (WorkflowError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            self._report_move(request, moved, from_status)
        return HttpResponseRedirect(self._change_url(claim))

    def _report_move(self, request: HttpRequest, moved: Claim, from_status: str) -> None:
        self.log_change(request, moved, f"Status {S(from_status).label} → {moved.get_status_display()}")
        messages.success(
            request,
            gettext("“{claim}” is now {status}.").format(claim=moved, status=moved.get_status_display().lower()),
        )
        if moved.status == S.IN_REVIEW:
            for warning in review_warnings(moved):  # sent to review anyway: say what publishing will need
                messages.warning(request, warning)

    def correct_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """An editor corrects the verdict of a published claim with a public note; the claim stays published."""
        claim = self._get_claim_or_404(request, object_id)
        verdict = Verdict.objects.filter(claim=claim).select_related("rating").first()
        if verdict is None or not services.claim_verdict_can_be_corrected(claim):
            messages.error(request, gettext(services.errors.NOT_PUBLISHED_NOTHING_TO_CORRECT))
            return HttpResponseRedirect(self._change_url(claim))
        if request.method == "POST":
            form = CorrectionForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.verdict_correct(
                        verdict=verdict,
                        user=desk_user(request),
                        public_reason=data["public_reason"],
                        rating=data["rating"],
                        headline=data["headline"],
                        rationale=data["rationale"],
                        expected_version=data["expected_version"],
                    )
                except (WorkflowError, PermissionDenied) as error:
                    form.add_error(None, error if isinstance(error, WorkflowError) else str(error))
                else:
                    messages.success(
                        request,
                        gettext("The verdict on “{claim}” was corrected; readers see the note.").format(claim=claim),
                    )
                    return HttpResponseRedirect(self._change_url(claim))
        else:
            form = CorrectionForm(
                initial={
                    "rating": verdict.rating_id,
                    "headline": verdict.headline,
                    "rationale": verdict.rationale,
                    "expected_version": verdict.version,
                }
            )
        corrections = Correction.objects.filter(claim=claim).select_related("made_by", "previous_rating", "new_rating")
        return TemplateResponse(
            request,
            "admin/claims/claim/correct_verdict.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Correct the verdict on “{claim}”").format(claim=claim),
                "opts": self.opts,
                "original": claim,
                "verdict": verdict,
                "form": form,
                "corrections": corrections,
            },
        )

    def revert_view(self, request: HttpRequest, object_id: str, history_id: int) -> HttpResponse:
        """Bring the claim's content back to an earlier version: an ordinary, version-checked edit."""
        claim = self._get_claim_or_404(request, object_id)
        record = Claim.history.filter(id=claim.pk, history_id=history_id).select_related("history_user").first()
        if record is None:
            raise Http404(gettext("No such version of this claim."))
        if request.method == "POST":
            form = RevertForm(request.POST)
            if form.is_valid():
                try:
                    services.claim_revert(
                        claim=claim,
                        history_id=history_id,
                        user=desk_user(request),
                        reason=form.cleaned_data[REASON_FIELD],
                        expected_version=form.cleaned_data["expected_version"],
                    )
                except (WorkflowError, PermissionDenied) as error:
                    form.add_error(None, error if isinstance(error, WorkflowError) else str(error))
                else:
                    messages.success(
                        request,
                        gettext("“{claim}” was reverted to its version of {when}.").format(
                            claim=claim, when=f"{record.history_date:%Y-%m-%d %H:%M}"
                        ),
                    )
                    return HttpResponseRedirect(self._change_url(claim))
        else:
            form = RevertForm(initial={"expected_version": claim.version})
        return TemplateResponse(
            request,
            "admin/claims/claim/revert.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Revert “{claim}” to an earlier version").format(claim=claim),
                "opts": self.opts,
                "original": claim,
                "record": record,
                "changes": revert_preview(claim, record),
                "form": form,
            },
        )

    # ---- the history page ----

    def get_historical_record_context_helper(
        self,
        request: HttpRequest,
        historical_record: Any,  # noqa: ANN401  # simple-history's rows are untyped
    ) -> ReadableDeltaHelper:
        return ReadableDeltaHelper(self.model, historical_record)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context["can_revert"] = self.has_change_permission(request, claim)
            extra_context["related_history"] = claim_related_history(claim)
        return super().history_view(request, object_id, extra_context)
