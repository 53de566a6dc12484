"""One verdict per claim: `Verdict.claim` becomes one-to-one and `is_current` goes.

No code path ever set `is_current` to False, so a claim has at most one verdict row in practice.
Should a database still hold several for one claim (a hand edit), the current one is kept (else
the newest), corrections of the others are moved onto it, and each removed row gets a deletion
row in history with the reason below: nothing disappears without a trace.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

REASON = "Migration 0005: one verdict per claim; this superseded verdict was removed (its history stays)."


def keep_one_verdict_per_claim(apps, schema_editor):
    Verdict = apps.get_model("claims", "Verdict")
    HistoricalVerdict = apps.get_model("claims", "HistoricalVerdict")
    Correction = apps.get_model("claims", "Correction")
    HistoricalCorrection = apps.get_model("claims", "HistoricalCorrection")
    now = timezone.now()
    duplicated = (
        Verdict.objects.values("claim_id").annotate(rows=Count("id")).filter(rows__gt=1).values_list("claim_id", flat=True)
    )
    for claim_id in list(duplicated):
        kept, *dropped = Verdict.objects.filter(claim_id=claim_id).order_by("-is_current", "-id")
        for verdict in dropped:
            for correction in Correction.objects.filter(verdict_id=verdict.pk):
                correction.verdict_id = kept.pk
                correction.save(update_fields=["verdict"])
                HistoricalCorrection.objects.create(
                    **_values(correction), history_date=now, history_type="~", history_change_reason=REASON
                )
            HistoricalVerdict.objects.create(
                **_values(verdict), history_date=now, history_type="-", history_change_reason=REASON
            )
            verdict.delete()


def _values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_relation_note_is_public"),
    ]

    operations = [
        migrations.RunPython(keep_one_verdict_per_claim, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="verdict",
            name="verdict_one_current_per_claim",
        ),
        migrations.RemoveField(
            model_name="historicalverdict",
            name="is_current",
        ),
        migrations.RemoveField(
            model_name="verdict",
            name="is_current",
        ),
        migrations.AlterField(
            model_name="verdict",
            name="claim",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="verdict", to="claims.claim"
            ),
        ),
    ]
