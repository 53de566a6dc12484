"""AlterFieldLabel (claims/migrations/_operations.py): a label change renders nothing and touches no
table; any other change is an ordinary AlterField."""

from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AlterModelOptions
from django.db.migrations.state import ModelState, ProjectState

from claims.migrations._operations import AlterFieldLabel


def _state(field: models.Field) -> ProjectState:
    state = ProjectState()
    state.add_model(ModelState("labels", "thing", [("id", models.AutoField(primary_key=True)), ("name", field)]))
    state.apps  # rendered, as during `migrate`  # noqa: B018
    return state


def test_a_label_change_updates_the_state_without_rendering_the_model():
    state = _state(models.CharField(max_length=20, verbose_name="name"))
    rendered = state.apps.get_model("labels", "thing")
    operation = AlterFieldLabel("thing", "name", models.CharField(max_length=20, verbose_name="título", help_text="?"))
    operation.state_forwards("labels", state)
    assert state.models["labels", "thing"].fields["name"].verbose_name == "título"
    assert state.apps.get_model("labels", "thing") is rendered


def test_a_change_the_database_sees_is_an_ordinary_alter_field():
    state = _state(models.CharField(max_length=20, verbose_name="name"))
    rendered = state.apps.get_model("labels", "thing")
    operation = AlterFieldLabel("thing", "name", models.CharField(max_length=40, verbose_name="name"))
    operation.state_forwards("labels", state)
    assert state.models["labels", "thing"].fields["name"].max_length == 40
    assert state.apps.get_model("labels", "thing") is not rendered
    assert state.apps.get_model("labels", "thing")._meta.get_field("name").max_length == 40


class RecordingSchemaEditor:
    """Stands in for the schema editor: records the column changes an operation asks for."""

    connection = connection

    def __init__(self) -> None:
        self.altered: list[str] = []

    def alter_field(self, model, old_field, new_field, strict=False) -> None:
        self.altered.append(new_field.name)


def _forwards_and_backwards(new_field: models.Field) -> list[str]:
    before = _state(models.CharField(max_length=20, verbose_name="name"))
    after = before.clone()
    operation = AlterFieldLabel("thing", "name", new_field)
    operation.state_forwards("labels", after)
    editor = RecordingSchemaEditor()
    operation.database_forwards("labels", editor, before, after)
    operation.database_backwards("labels", editor, after, before)
    return editor.altered


def test_a_label_change_alters_no_column_either_way():
    assert _forwards_and_backwards(models.CharField(max_length=20, verbose_name="label")) == []


def test_a_real_change_alters_the_column_forwards_and_backwards():
    assert _forwards_and_backwards(models.CharField(max_length=40, verbose_name="name")) == ["name", "name"]


def test_the_migration_naming_the_last_models_changes_labels_only():
    """0114 names six models and their fields for translators (issue 21): nothing for the database."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.get_migration("claims", "0114_verbose_names_of_the_last_models")
    state = loader.project_state(migration.dependencies[0])
    for operation in migration.operations:
        assert isinstance(operation, AlterModelOptions | AlterFieldLabel), operation
        if isinstance(operation, AlterFieldLabel):
            assert operation._changes_only_labels("claims", state), operation
        operation.state_forwards("claims", state)
