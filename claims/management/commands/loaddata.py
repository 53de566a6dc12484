"""`loaddata` that leaves the audit trail a normal save would.

Django saves fixture objects with `raw=True`, and django-simple-history writes no history for
raw saves; the change feed would not hear of published verdicts either. This command (it
replaces Django's own for the whole project) loads as usual, then, in the same transaction,
gives every loaded tracked object a history row whose reason names the fixture, and appends
change-feed events for claims whose public state the load changed.

It never reverts the desk's work: an object that already exists and was changed since it was
loaded (its last history row is not a fixture load, or it has no history at all) is kept as it
is and listed. The demo fixture is refused under production settings.
"""

from collections.abc import Sequence

from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializedObject
from django.db.models import Model

from claims.feed.changes import change_feed_catch_up
from claims.feed.revisions import claims_changed, site_changed
from claims.management.guards import refuse_in_production
from claims.models import Claim
from claims.services.reasons import LOADED_FROM_FIXTURE, system_reason

DEMO_FIXTURES = {"article_claims"}
FIXTURE_REASON_PREFIX = LOADED_FROM_FIXTURE.split("{", 1)[0]
KEPT_EDITED = "Kept {count} object(s) changed since they were loaded (not reverted): {objects}"


class Command(loaddata.Command):
    help = loaddata.Command.help + " Loaded objects get history rows and change-feed events."

    def loaddata(self, fixture_labels: Sequence[str]) -> None:
        if any(label.split("/")[-1].split(".")[0] in DEMO_FIXTURES for label in fixture_labels):
            refuse_in_production("loaddata of the demo fixture")
        self.loaded_objects: list[Model] = []
        self.kept_edited: list[str] = []
        self.empty_before: dict[type[Model], bool] = {}
        self.loaded_keys: set[tuple[type[Model], object]] = set()
        super().loaddata(fixture_labels)
        if self.kept_edited:
            self.stdout.write(
                self.style.WARNING(KEPT_EDITED.format(count=len(self.kept_edited), objects=", ".join(self.kept_edited)))
            )
        if not self.loaded_objects:
            return
        reason = system_reason(LOADED_FROM_FIXTURE, fixtures=", ".join(fixture_labels))
        self.write_initial_history(reason)
        for claim in Claim.objects.filter(pk__in=self.loaded_pks(Claim)).order_by("pk"):
            change_feed_catch_up(claim=claim, reason="")
        # A raw load may overwrite rows the public pages show: none of their cached versions stays valid.
        claims_changed(self.loaded_pks(Claim))
        site_changed(reference=True)

    def save_obj(self, obj: DeserializedObject) -> bool:
        kept = self.keep_stored(obj.object)
        if kept == "edited":
            self.kept_edited.append(f"{obj.object._meta.label_lower} #{obj.object.pk}")
        if kept:
            return False
        saved = super().save_obj(obj)
        if saved:
            self.loaded_objects.append(obj.object)
            self.loaded_keys.add((type(obj.object), obj.object.pk))
        return saved

    def keep_stored(self, instance: Model) -> str | None:
        """Why the stored copy of `instance` must stay: "edited" since a fixture load, "untracked"
        (an existing user: its password or roles may have changed, and nothing would tell); None: save."""
        model = type(instance)
        if instance.pk is None or self.new_to_an_empty_table(model, instance.pk):
            return None
        if not model._default_manager.using(self.using).filter(pk=instance.pk).exists():
            return None
        history = getattr(model, "history", None)
        if history is None:
            return "untracked"
        last = history.using(self.using).filter(**{model._meta.pk.attname: instance.pk}).order_by("-history_id").first()
        if last is None or not (last.history_change_reason or "").startswith(FIXTURE_REASON_PREFIX):
            return "edited"
        return None

    def new_to_an_empty_table(self, model: type[Model], pk: object) -> bool:
        """The model's table held no row when this load reached its first object, and this load has not
        written `pk` yet: nothing stored can be kept, without a query per object (the usual load, into a
        new database, and a test's setup: ~300 queries fewer for the demo fixture)."""
        if model not in self.empty_before:
            self.empty_before[model] = not model._default_manager.using(self.using).exists()
        return self.empty_before[model] and (model, pk) not in self.loaded_keys

    def loaded_pks(self, model: type[Model]) -> list:
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
