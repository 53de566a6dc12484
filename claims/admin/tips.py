"""The desk's tips inbox: waiting clusters with their counts, languages, first and last seen and the
already-checked claims they match; each cluster's page lists its tips and makes the moves (promote,
attach, decline, merge, split) through `claims.tips.moves`, each with a reason kept in history.

Tip text and links are shown as text (escaped), links never as anchors: a tip's URL is whatever a
stranger typed."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.base import REASON_FIELD, ReadOnlyAdmin, desk_user, report_refusal
from claims.admin.charts import bar_chart
from claims.admin.scale import LookaheadPaginationMixin, ScaledChangeList
from claims.admin.tip_capture import TipLinkCaptureMixin, may_capture_tip_links
from claims.admin.widgets import LabelledAutocompleteSelect
from claims.models import Claim, Claimant, TipCluster
from claims.models.claims import CLAIM_REVIEWED_MAX_LENGTH
from claims.services import permissions as perms
from claims.templatetags.claims_desk import desk_datetime
from claims.tips import moves, selectors
from claims.tips.dashboard import dashboard_figures


class StateFilter(admin.SimpleListFilter):
    """The inbox opens on the waiting clusters."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in TipCluster.State.choices]

    def choices(self, changelist: ChangeList) -> Iterator[Any]:
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or TipCluster.State.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(state=self.value() or TipCluster.State.OPEN)


class InboxChangeList(ScaledChangeList):
    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        # One query for the matched claims of the whole page (the list is evaluated here and kept).
        selectors.attach_matches(list(self.result_list))


class MoveForm(forms.Form):
    MOVES = [
        ("promote", _("Promote to a new claim")),
        ("attach", _("Attach to an existing claim")),
        ("decline", _("Decline")),
        ("merge", _("Merge into another cluster")),
        ("split", _("Split the chosen tips into a new cluster")),
    ]
    move = forms.ChoiceField(choices=MOVES, widget=forms.RadioSelect, label=_("Move"))
    claimant = forms.ModelChoiceField(queryset=Claimant.objects.all(), required=False, label=_("Claimant (promote)"))
    claim_reviewed = forms.CharField(required=False, max_length=CLAIM_REVIEWED_MAX_LENGTH, label=_("Summary (promote)"))
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Claim text (promote)"))
    claim = forms.ModelChoiceField(queryset=Claim.objects.all(), required=False, label=_("Claim (attach)"))
    kind = forms.ChoiceField(
        choices=[("", "—"), *TipCluster.DeclineKind.choices], required=False, label=_("Why (decline)")
    )
    public_reason = forms.CharField(required=False, max_length=300, label=_("Public reason (decline), tipsters see it"))
    target = forms.IntegerField(required=False, min_value=1, label=_("Cluster number to merge into (merge)"))
    tips = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Tips to split off (split)")
    )
    change_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason (kept in history)"))

    def __init__(
        self, *args: Any, cluster: TipCluster, tip_choices: list, admin_site: admin.AdminSite, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tips_field = self.fields["tips"]
        assert isinstance(tips_field, forms.MultipleChoiceField)
        tips_field.choices = tip_choices
        for name, model_field in (
            ("claimant", Claim._meta.get_field("claimant")),
            ("claim", TipCluster._meta.get_field("claim")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.widget = LabelledAutocompleteSelect(model_field, admin_site)
            field.widget.choices = field.choices  # what ModelChoiceField does for the widget it was built with

    def clean(self) -> dict:
        data = super().clean() or {}
        needed = {"promote": "claimant", "attach": "claim", "decline": "kind", "merge": "target", "split": "tips"}
        field = needed.get(data.get("move", ""))
        if field and not data.get(field):
            self.add_error(field, _("Needed for this move."))
        return data


@admin.register(TipCluster)
class TipClusterAdmin(LookaheadPaginationMixin, TipLinkCaptureMixin, SimpleHistoryAdmin, ReadOnlyAdmin):
    # First and last seen share a column, so the claims it matches fit a laptop's width beside the filter.
    list_display = ["title", "tip_count", "language_codes", "seen", "matches"]
    list_filter = [StateFilter]
    list_per_page = 50
    # At a million tips: the count walks tipcluster_inbox_idx up to one page past the page shown
    # ("100+ tip clusters"), never every waiting cluster (LookaheadPaginationMixin).
    ordering = ["-last_seen_at", "-id"]
    list_select_related = ["claim"]
    change_list_template = "admin/claims/tipcluster/change_list.html"

    def get_urls(self) -> list:
        return [
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="claims_desk_dashboard"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        """The desk dashboard: charts (server-rendered SVG, each with its table) of tips, clusters,
        claims, assignments, time to publication and corrections."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        figures = dashboard_figures()
        charts = [
            (_("Tips per day, by language"), "tips", figures["tips_per_day"]),
            (_("Claims by status"), "status", figures["claims_by_status"]),
            (_("Claims being worked on, by assignee"), "assignee", figures["open_claims_by_assignee"]),
            (
                _("Median days from first tip (or creation) to publication, by week"),
                "median",
                figures["median_days_to_publication"],
            ),
            (_("Corrections and withdrawals per month"), "corrections", figures["corrections_and_withdrawals"]),
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Desk dashboard"),
            "clusters_waiting": figures["clusters_waiting"],
            "figures_taken_at": figures["taken_at"],
            "clusters_waiting_more": figures["clusters_waiting_more"],
            "charts": [(title, bar_chart(series, title=str(title), chart_id=key)) for title, key, series in charts],
        }
        return TemplateResponse(request, "admin/claims/dashboard.html", context)

    def get_changelist(self, request: HttpRequest, **kwargs: object) -> type[ChangeList]:
        return InboxChangeList

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        failing = selectors.tips_failing_to_cluster()
        extra_context = {
            **(extra_context or {}),
            "failing_tips": failing[: selectors.FAILING_SHOWN],
            "failing_tips_more": len(failing) > selectors.FAILING_SHOWN,
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TipCluster]:
        return super().get_queryset(request).defer("centroid")

    class Media:
        css = {"all": ["claims/desk.css"]}

    @admin.display(description=_("first and last seen"), ordering="last_seen_at")
    def seen(self, cluster: TipCluster) -> str:
        return format_html("{}<br>{}", desk_datetime(cluster.first_seen_at), desk_datetime(cluster.last_seen_at))

    @admin.display(description=_("languages"))
    def language_codes(self, cluster: TipCluster) -> str:
        return ", ".join(cluster.language_list) or "—"

    @admin.display(description=_("checked before?"))
    def matches(self, cluster: TipCluster) -> str:
        found = getattr(cluster, "matches", [])
        if not found:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (reverse("admin:claims_claim_change", args=[c.pk]), c.claim_reviewed, c.get_status_display())
                for c in found
            ),
        )

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm(perms.VIEW_TIP_CLUSTERS)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        cluster = self.get_object(request, object_id)
        if cluster is None or not self.has_view_permission(request, cluster):
            raise PermissionDenied
        tips = selectors.cluster_tips(cluster)
        first = tips[0] if tips else None
        form = MoveForm(
            request.POST or None,
            cluster=cluster,
            tip_choices=[(str(t.pk), f"#{t.pk}") for t in tips],
            admin_site=self.admin_site,
            initial={
                "text": first.text if first else cluster.title,
                "claim_reviewed": cluster.title[:CLAIM_REVIEWED_MAX_LENGTH],
            },
        )
        if request.method == "POST":
            if not request.user.has_perm(perms.MOVE_TIP_CLUSTERS):
                raise PermissionDenied
            if form.is_valid():
                try:
                    self._move(request, cluster, form.cleaned_data)
                except (ValidationError, PermissionDenied) as error:
                    report_refusal(request, error)
                else:
                    messages.success(request, _("Done."))
                    return HttpResponseRedirect(reverse("admin:claims_tipcluster_change", args=[cluster.pk]))
        attach_to = selectors.attach_matches([cluster])[0]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": cluster,
            "cluster": attach_to,
            "tips": tips,
            "form": form,
            "may_move": request.user.has_perm(perms.MOVE_TIP_CLUSTERS) and cluster.state == TipCluster.State.OPEN,
            "may_capture": may_capture_tip_links(request),
            "title": _("Tip cluster #%(id)s") % {"id": cluster.pk},
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/tipcluster/cluster.html", context)

    def _move(self, request: HttpRequest, cluster: TipCluster, data: dict) -> None:
        user, reason, move = desk_user(request), data[REASON_FIELD], data["move"]
        if move == "promote":
            claim = moves.cluster_promote(
                cluster=cluster, user=user, reason=reason, claimant=data["claimant"],
                claim_reviewed=data["claim_reviewed"], text=data["text"],
            )  # fmt: skip
            messages.info(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("New claim:"),
                    reverse("admin:claims_claim_change", args=[claim.pk]),
                    claim,
                ),
            )
        elif move == "attach":
            moves.cluster_attach(cluster=cluster, claim=data["claim"], user=user, reason=reason)
        elif move == "decline":
            moves.cluster_decline(
                cluster=cluster, kind=data["kind"], public_reason=data["public_reason"], user=user, reason=reason
            )
        elif move == "merge":
            target = TipCluster.objects.filter(pk=data["target"]).first()
            if target is None:
                raise ValidationError(_("No cluster has that number."))
            moves.cluster_merge(source=cluster, target=target, user=user, reason=reason)
        elif move == "split":
            moves.cluster_split(cluster=cluster, tip_ids=[int(pk) for pk in data["tips"]], user=user, reason=reason)
