"""Receivers of the newsroom's hand-off signals (connected in apps.py)."""

from __future__ import annotations

import logging

logger = logging.getLogger("didban.publishing")


def _item(item_id):
    from didban.newsroom.models import Item

    return Item.objects.select_related("org").filter(pk=item_id).first()


def on_item_published(sender, item_id, **kwargs):
    from didban.publishing.actions import do_queue_deliveries

    item = _item(item_id)
    if item is not None and item.is_public:
        do_queue_deliveries(actor=None, item=item)


def on_item_corrected(sender, item_id, **kwargs):
    from didban.publishing.actions import do_follow_item_change

    item = _item(item_id)
    if item is not None:
        do_follow_item_change(actor=None, item=item, change="corrected")


def on_item_retracted(sender, item_id, **kwargs):
    from didban.publishing.actions import do_follow_item_change

    item = _item(item_id)
    if item is not None:
        do_follow_item_change(actor=None, item=item, change="retracted")
