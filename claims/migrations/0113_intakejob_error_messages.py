"""Intake jobs store why they failed as a code and messages (msgid + values), not English text: the
desk and the API show the failure in their reader's language. Jobs that failed before keep their
text in `error`, shown as it is."""

from django.db import migrations, models

from claims.migrations._operations import AlterFieldLabel


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0112_remaining_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakejob",
            name="error_code",
            field=models.CharField(
                blank=True,
                help_text="Why the job failed, for programs (for example too_large or unresolvable).",
                max_length=50,
                verbose_name="error code",
            ),
        ),
        migrations.AddField(
            model_name="intakejob",
            name="error_messages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Why the job failed: each message's identifier and values, shown in the reader's language.",
                verbose_name="error messages",
            ),
        ),
        AlterFieldLabel(
            model_name="intakejob",
            name="error",
            field=models.TextField(
                blank=True,
                help_text="Why the job failed, as written by jobs run before errors were stored as messages.",
                verbose_name="error",
            ),
        ),
    ]
