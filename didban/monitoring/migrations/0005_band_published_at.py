"""Band keys carry their article's published time; the lookup index covers the story window.

Story grouping asks "which articles of this organisation share one of these band keys and were
published in the window" for every band key of a batch. With the time and the article id in
the index, the answer comes from the index alone instead of a join to the article rows.
"""

from django.db import migrations, models


def copy_published_at(apps, schema_editor):
    band = schema_editor.quote_name("monitoring_articleband")
    article = schema_editor.quote_name("monitoring_article")
    schema_editor.execute(
        f"UPDATE {band} SET published_at = (SELECT a.published_at FROM {article} a "  # noqa: S608
        f"WHERE a.id = {band}.article_id)"
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_search_vector")]

    operations = [
        migrations.AddField(
            model_name="articleband",
            name="published_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(copy_published_at, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="articleband",
            name="published_at",
            field=models.DateTimeField(),
        ),
        migrations.RemoveIndex(model_name="articleband", name="monitoring_band_key"),
        migrations.AddIndex(
            model_name="articleband",
            index=models.Index(
                fields=["org_id_copy", "key", "published_at", "article"],
                name="monitoring_band_lookup",
            ),
        ),
    ]
