"""Issue 9: indexes matching the pages' orderings, and the public revision counters."""
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def create_public_revision(apps, schema_editor):
    PublicRevision = apps.get_model("claims", "PublicRevision")
    now = timezone.now()
    PublicRevision.objects.get_or_create(id=1, defaults={"content_changed_at": now, "reference_changed_at": now})


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0006_view_unpublished_permission'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicRevision',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('content', models.BigIntegerField(default=0)),
                ('content_changed_at', models.DateTimeField()),
                ('reference', models.BigIntegerField(default=0)),
                ('reference_changed_at', models.DateTimeField()),
            ],
        ),
        migrations.AddField(
            model_name='claim',
            name='public_changed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='public_revision',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(models.OrderBy(models.F('stated_on'), descending=True), models.OrderBy(models.F('id'), descending=True), name='claim_order_idx'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(models.OrderBy(models.F('stated_on'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('status', 'published')), name='claim_published_order_idx'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(models.F('claimant'), models.OrderBy(models.F('stated_on'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('status', 'published')), name='claim_claimant_pub_idx'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(models.OrderBy(models.F('first_published_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('status', 'published')), name='claim_published_recent_idx'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(models.F('status'), models.OrderBy(models.F('stated_on'), descending=True), models.OrderBy(models.F('id'), descending=True), name='claim_status_order_idx'),
        ),
        migrations.AddIndex(
            model_name='correction',
            index=models.Index(models.OrderBy(models.F('made_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='correction_recent_idx'),
        ),
        migrations.RunPython(create_public_revision, migrations.RunPython.noop),
    ]
