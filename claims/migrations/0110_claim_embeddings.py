"""Claim embeddings (issue 22): float16 sentence vectors of claims, for cross-lingual matching."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0102_language_verbose_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClaimEmbedding',
            fields=[
                ('claim', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='embedding', serialize=False, to='claims.claim')),
                ('model', models.CharField(help_text='The embedder that made the vector.', max_length=100)),
                ('text_sha256', models.CharField(help_text='Of the text the vector was made from.', max_length=64)),
                ('language', models.CharField(blank=True, max_length=35)),
                ('vector', models.BinaryField(help_text='float16, little-endian, L2-normalised.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={
                'verbose_name': 'claim embedding',
            },
        ),
    ]
