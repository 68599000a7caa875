"""Demo channels of Karaj's election HQ and the delivery history of the demo's items.

Runs after the newsroom's demo (INSTALLED_APPS order). The messenger and agency channels are
sandboxes named like the real ones: what they "post" shows on their preview pages. Deliveries
are created through the actions and sent at once by the sandbox transport (no worker needed).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction

from didban.publishing.actions import do_queue_deliveries, do_save_channel, drain
from didban.publishing.models import Delivery, SandboxPost

HISTORY_ITEMS = 120

CHANNELS = [
    ("website", "وب‌سایت فرمانداری", ""),
    ("sandbox", "کانال بله ستاد انتخابات کرج", "@karaj_entekhabat"),
    ("sandbox", "کانال ایتا ستاد انتخابات کرج", "karaj_entekhabat"),
    (
        "sandbox",
        "خبرگزاری‌ها (ایمیل)",
        "desk@irna.example, news@isna.example, alborz@tasnim.example",
    ),
]


def load(*, root, orgs) -> None:
    from django.apps import apps

    hq = orgs.get("karaj-hq")
    if hq is None:
        return
    channels = [
        do_save_channel(actor=root, org=hq, kind=kind, name=name, target=target, rate_per_minute=0)
        for kind, name, target in CHANNELS
    ]
    Item = apps.get_model("newsroom", "Item")
    items = (
        Item.objects.filter(org__path__startswith=hq.path, status__in=Item.PUBLIC_STATUSES)
        .select_related("org")
        .order_by("-published_at", "-pk")
    )
    # The latest items of the season: enough history to show, quick to load.
    for item in reversed(list(items[:HISTORY_ITEMS])):
        do_queue_deliveries(actor=root, item=item, channels=channels)
    for channel in channels:
        drain(channel.pk, limit=100_000)
    # The history reads like a season of sends: each a few seconds to a minute after publishing.
    rng = random.Random(1402)  # noqa: S311 - demo timings, not security
    with transaction.atomic():
        for delivery in Delivery.objects.filter(channel__in=channels, status="sent"):
            sent_at = delivery.queued_at + timedelta(seconds=rng.randint(3, 75))
            Delivery.objects.filter(pk=delivery.pk).update(sent_at=sent_at)
            SandboxPost.objects.filter(delivery=delivery).update(created_at=sent_at)
