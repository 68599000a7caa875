"""A scheduled item is published by the real worker once its time has passed; running the
job twice publishes it once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from didban.core.models import PeriodicRun
from didban.newsroom import signals
from didban.newsroom.actions import (
    do_approve_item,
    do_publish_due_items,
    do_schedule_item,
    do_submit_item,
)
from didban.newsroom.models import Item


@pytest.fixture
def scheduled(make_item, personas):
    item = make_item()
    do_submit_item(actor=personas.county_producer, item=item)
    do_approve_item(actor=personas.county_editor, item=item)
    return do_schedule_item(
        actor=personas.county_editor, item=item, at=timezone.now() + timedelta(minutes=5)
    )


@pytest.mark.django_db(transaction=True)
def test_scheduled_item_published_by_worker(
    scheduled, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    heard = []

    def receive(sender, item_id, **kwargs):
        heard.append(item_id)

    signals.item_published.connect(receive)
    try:
        call_command("worker", "--once")
        assert Item.objects.get(pk=scheduled.pk).status == Item.Status.SCHEDULED
        # Time passes: the item's moment is now behind us.
        Item.objects.filter(pk=scheduled.pk).update(
            scheduled_at=timezone.now() - timedelta(seconds=5)
        )
        PeriodicRun.objects.update(next_due_at=timezone.now() - timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("worker", "--once")
        item = Item.objects.get(pk=scheduled.pk)
        assert item.status == Item.Status.PUBLISHED
        assert heard == [item.pk]
        # A second run finds nothing left to do.
        PeriodicRun.objects.update(next_due_at=timezone.now() - timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("worker", "--once")
            assert do_publish_due_items() == []
        assert heard == [item.pk]
    finally:
        signals.item_published.disconnect(receive)


def test_schedule_in_the_past_is_refused(make_item, personas):
    from django.core.exceptions import ValidationError

    item = make_item()
    do_submit_item(actor=personas.county_producer, item=item)
    do_approve_item(actor=personas.county_editor, item=item)
    with pytest.raises(ValidationError):
        do_schedule_item(
            actor=personas.county_editor, item=item, at=timezone.now() - timedelta(minutes=1)
        )
