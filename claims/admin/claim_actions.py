"""The claim list's workflow actions (each asks for a reason, then moves every selected claim
through `claim_transition`) and its rating filter.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from claims import services
from claims.admin.base import REASON_FIELD, desk_user
from claims.admin.claim_forms import TransitionForm, optional_int
from claims.models import Claim, Rating
from claims.services.errors import WorkflowError

S = Claim.Status


class CurrentRatingFilter(admin.SimpleListFilter):
    title = "rating"
    parameter_name = "rating"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        return [*((str(r.pk), r.label) for r in Rating.objects.all()), (self.NONE, gettext("No rated verdict yet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Any] | None:
        value = self.value()
        if value == self.NONE:
            return queryset.exclude(verdict__rating__isnull=False)
        if value:
            return queryset.filter(verdict__rating_id=value)
        return queryset


def transition_action(
    to_status: str,
) -> Callable[[admin.ModelAdmin[Any], HttpRequest, QuerySet[Claim]], TemplateResponse | None]:
    """A changelist action moving each selected claim through `claim_transition`, after asking for a reason.

    Its label comes from the workflow's `BULK_MOVES`; `ClaimAdmin.get_actions` offers it only to users
    the workflow's table lets move some claim to `to_status`. Claims the service refuses are reported
    one by one; the others move.
    """
    label = services.BULK_MOVES[to_status]

    def action(
        modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Claim]
    ) -> TemplateResponse | None:
        form = TransitionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            moved = 0
            for claim in queryset.order_by("pk"):
                try:
                    services.claim_transition(
                        claim=claim,
                        to_status=to_status,
                        user=desk_user(request),
                        reason=form.cleaned_data[REASON_FIELD],
                        public_reason=form.cleaned_data["public_reason"],
                        # The version the confirmation page showed: a claim changed since is refused.
                        expected_version=optional_int(request.POST.get(f"version-{claim.pk}")),
                    )
                except (WorkflowError, PermissionDenied) as error:
                    texts = error.messages if isinstance(error, WorkflowError) else [str(error)]
                    messages.error(
                        request,
                        gettext("“{claim}” was not moved: {reasons}").format(claim=claim, reasons=" ".join(texts)),
                    )
                else:
                    moved += 1
            if moved:
                messages.success(
                    request,
                    ngettext("{count} claim moved to “{status}”.", "{count} claims moved to “{status}”.", moved).format(
                        count=moved, status=S(to_status).label
                    ),
                )
            return None
        return TemplateResponse(
            request,
            "admin/claims/claim/transition_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": gettext("{action}: give a reason").format(action=label),
                "opts": modeladmin.model._meta,
                "queryset": queryset,
                "form": form,
                "action": action.__name__,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "to_status": to_status,
                "label": label,
            },
        )

    action.__name__ = f"move_to_{to_status}"
    return admin.action(description=label)(action)
