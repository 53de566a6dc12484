"""`loaddata` that leaves the audit trail a normal save would.

Django saves fixture objects with `raw=True`, and django-simple-history writes no history for
raw saves; the change feed would not hear of published verdicts either. This command (it
replaces Django's own for the whole project) loads as usual, then, in the same transaction,
gives every loaded tracked object a history row whose reason names the fixture, and appends
change-feed events for claims whose public state the load changed.
"""

from django.core.management.commands import loaddata

from claims.changes import record_current_state
from claims.models import Claim
from claims.templatetags.claims_desk import FIXTURE_REASON_PREFIX


class Command(loaddata.Command):
    help = loaddata.Command.help + " Loaded objects get history rows and change-feed events."

    def loaddata(self, fixture_labels):
        self.loaded_objects = []
        super().loaddata(fixture_labels)
        if not self.loaded_objects:
            return
        reason = f"{FIXTURE_REASON_PREFIX} {', '.join(fixture_labels)} (manage.py loaddata)"
        self.write_initial_history(reason)
        for claim in Claim.objects.filter(pk__in=self.loaded_pks(Claim)).order_by("pk"):
            record_current_state(claim=claim, reason="")

    def save_obj(self, obj):
        saved = super().save_obj(obj)
        if saved:
            self.loaded_objects.append(obj.object)
        return saved

    def loaded_pks(self, model) -> list:
        return [obj.pk for obj in self.loaded_objects if type(obj) is model]

    def write_initial_history(self, reason: str) -> None:
        for model in sorted({type(obj) for obj in self.loaded_objects}, key=lambda m: m._meta.label):
            history = getattr(model, "history", None)
            if history is None:  # untracked (users, the append-only change feed)
                continue
            # Read back what was stored: deferred fields and relations are set by now.
            stored = list(model._default_manager.using(self.using).filter(pk__in=self.loaded_pks(model)))
            already_tracked = set(
                history.filter(**{f"{model._meta.pk.attname}__in": [o.pk for o in stored]}).values_list(
                    model._meta.pk.attname, flat=True
                )
            )
            new = [o for o in stored if o.pk not in already_tracked]
            reloaded = [o for o in stored if o.pk in already_tracked]
            if new:
                history.bulk_history_create(new, default_change_reason=reason)
            if reloaded:
                history.bulk_history_create(reloaded, update=True, default_change_reason=reason)
            if self.verbosity >= 2:
                self.stdout.write(f"History written for {len(stored)} {model._meta.verbose_name_plural}")
