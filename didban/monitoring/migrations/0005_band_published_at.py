"""Band rows carry their article's published time and are read in id order.

Story grouping looked every band key of a batch up in a database index on (org, key): with
random keys each insert dirtied its own index page (16 an article, most of the write-ahead log
of an ingest). The workers now keep the keys in memory (``pipeline.BandMemory``) and read the
rows written since they last looked, in id order, with the article's published time (seconds
since 1970) so the story window needs no join to the article rows.
"""

from django.db import migrations, models


def copy_published(apps, schema_editor):
    from datetime import UTC

    Article = apps.get_model("monitoring", "Article")
    ArticleBand = apps.get_model("monitoring", "ArticleBand")
    for article_id, published_at in Article.objects.values_list("id", "published_at").iterator(
        chunk_size=2000
    ):
        if published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=UTC)
        ArticleBand.objects.filter(article_id=article_id).update(
            published=int(published_at.timestamp())
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_search_vector")]

    operations = [
        migrations.AddField(
            model_name="articleband",
            name="published",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(copy_published, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="articleband", name="monitoring_band_key"),
        migrations.AddIndex(
            model_name="articleband",
            index=models.Index(fields=["org_id_copy", "id"], name="monitoring_band_order"),
        ),
    ]
