"""Migration operations of our own (the leading underscore keeps Django's loader from reading this
module as a migration)."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState
from django.db.models import Field


def _database_shape(field: Field) -> tuple[Any, ...]:
    """What the database sees of a field: its deconstruction without the attributes that never reach
    it (verbose_name, help_text, validators, choices…, Django's own `non_db_attrs`)."""
    _, path, args, kwargs = field.deconstruct()
    return path, args, {key: value for key, value in kwargs.items() if key not in field.non_db_attrs}


class AlterFieldLabel(migrations.AlterField):
    """An AlterField that changes only what people read (a verbose name, a help text).

    Django's AlterField re-renders the model and every model related to it in the migration state,
    whatever changed: the 188 label changes of 0093 made a fresh `migrate` (every test database,
    every `make bench` size) some 15 s slower. A label never reaches the database, so this one
    updates the state's field and renders nothing: later operations that render the model read the
    new label from the state. When the field changes more than its labels it is an ordinary
    AlterField. The state it leaves is the same as AlterField's (`makemigrations --check` compares).
    """

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        model_key = app_label, self.model_name_lower
        fields = state.models[model_key].fields
        old_field = fields[self.name]
        if not self.preserve_default or not self._changes_only_labels(app_label, state):
            super().state_forwards(app_label, state)
            return
        if state._relations is not None:  # the bookkeeping ProjectState.alter_field does, without the render
            fields.pop(self.name)
            if old_field.is_relation:
                state.resolve_model_field_relations(model_key, self.name, old_field)
            fields[self.name] = self.field
            if self.field.is_relation:
                state.resolve_model_field_relations(model_key, self.name, self.field)
        else:
            fields[self.name] = self.field

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if not self._changes_only_labels(app_label, from_state):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if not self._changes_only_labels(app_label, to_state):
            # AlterField's backwards calls self.database_forwards, which would compare the wrong state.
            migrations.AlterField.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def _changes_only_labels(self, app_label: str, state_before: ProjectState) -> bool:
        field_before = state_before.models[app_label, self.model_name_lower].fields[self.name]
        return _database_shape(field_before) == _database_shape(self.field)
