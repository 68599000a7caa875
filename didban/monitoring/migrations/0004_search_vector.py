"""PostgreSQL: a stored tsvector column with a GIN index replaces 0002's expression index.

With only the expression index, every matching row had its ``to_tsvector`` recomputed from
the text to rank it (ts_rank) or to re-check it when the planner walked the date index, which
made a ranked search of a word found in tens of thousands of articles take seconds. SQLite
is unchanged (its FTS5 table already serves both).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from didban.monitoring.search import create_vector

    create_vector(schema_editor)


def backwards(apps, schema_editor):
    from didban.monitoring.search import drop_vector

    drop_vector(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_source_silence_hit_backfilled")]

    operations = [migrations.RunPython(forwards, backwards)]
