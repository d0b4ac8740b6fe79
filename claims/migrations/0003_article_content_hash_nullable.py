from django.db import migrations, models


class Migration(migrations.Migration):
    """A URL submitted for background processing has no text (and no hash) until fetched;
    NULLs do not collide in the unique index."""

    dependencies = [
        ("claims", "0002_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="content_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
    ]
