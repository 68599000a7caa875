from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from didban.core.periodic import periodic


@periodic(every=timedelta(minutes=1))
@task()
def publish_due_items() -> list[int]:
    """Publish scheduled items whose time has come; the due time is on the row, so a restarted
    worker catches up and a second run finds nothing left to do."""
    from didban.newsroom.actions import do_publish_due_items

    return do_publish_due_items()
