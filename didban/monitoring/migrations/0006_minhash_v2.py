"""Signatures and band keys of the second MinHash scheme (``dedup.VERSION`` 2).

The shingle hash and the MinHash functions changed (word hashes mixed in numpy instead of a
CRC-32 per window; multiply-add-shift instead of a modulo per value), so every stored article's
signature and LSH band keys are computed again from its stored normalised text, as the ingest
computes them now. Articles written before and after would otherwise never meet in a story.
"""

from datetime import UTC

from django.db import migrations

CHUNK = 2000


def recompute(apps, schema_editor):
    from didban.monitoring import dedup

    Article = apps.get_model("monitoring", "Article")
    ArticleBand = apps.get_model("monitoring", "ArticleBand")
    ArticleBand.objects.all().delete()
    rows = Article.objects.order_by("id").values_list(
        "id", "org_id", "published_at", "title_norm", "text_norm"
    )
    pending: list = []

    def flush():
        Article.objects.bulk_update(
            [Article(id=a, signature=dedup.to_bytes(sig)) for a, _o, _p, sig in pending],
            ["signature"],
            batch_size=500,
        )
        ArticleBand.objects.bulk_create(
            [
                ArticleBand(org_id_copy=org_id, key=key, article_id=a, published=published)
                for a, org_id, published, sig in pending
                for key in dedup.band_keys(sig)
            ],
            batch_size=500,
        )
        pending.clear()

    for article_id, org_id, published, title_norm, text_norm in rows.iterator(chunk_size=CHUNK):
        words = (text_norm or title_norm or "").split()
        sig = dedup.signature(dedup.shingle_array(words))
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        pending.append((article_id, org_id, int(published.timestamp()), sig))
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_band_published_at")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
