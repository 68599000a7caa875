"""Publishing: publish → sent for one item to 10 channels, and deliveries/second of one worker.

Against the local fake servers (tests/fakes.py: Bale/Telegram protocol, eitaayar, a signed
webhook receiver) plus the website and sandbox channels, all on 127.0.0.1.

- latency: from `do_publish_item` (signal → deliveries queued → worker tasks enqueued) until
  one worker's drain of each channel has every delivery `sent`.
- throughput: 100 items × 3 channels queued, then one worker drains them (claim by
  conditional UPDATE, per-step ids saved, outcome, history, audit).
- baseline for both: the same posts sent naively and sequentially straight through the
  transports, with no bookkeeping at all (what a script that "just posts" would do).
"""

from __future__ import annotations

import time
import uuid

ITEMS = 100


def run(report) -> None:
    from django.conf import settings
    from django.core.files.storage import default_storage  # noqa: F401

    from didban.accounts.actions import _rebuild_paths
    from didban.accounts.models import Membership, Organization, User
    from didban.newsroom.actions import do_create_item, do_publish_item, do_submit_item
    from didban.publishing.actions import do_save_channel, drain, due_channel_ids
    from didban.publishing.formatting import plan_for
    from didban.publishing.models import Delivery
    from didban.publishing.stories import story_for
    from didban.publishing.tests.fakes import FakeBotApi, FakeEitaa, FakeWebhook
    from didban.publishing.transports import transport_for

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tag = uuid.uuid4().hex[:6]
    org = Organization.objects.create(
        name="ستاد بنچ انتشار", code=f"bench-pub-{tag}", kind=Organization.Kind.COUNTY_HQ
    )
    _rebuild_paths(org)
    editor = User.objects.create_user(f"bench-editor-{tag}", password="x")
    Membership.objects.create(user=editor, org=org, role="editor")
    admin = User.objects.create_user(f"bench-admin-{tag}", password="x")
    Membership.objects.create(user=admin, org=org, role="admin")

    bot, eitaa, hook = FakeBotApi(tokens=["1:BENCH"]), FakeEitaa(tokens=["e"]), FakeWebhook(key="k")
    try:
        specs = [
            ("bale", "@a", bot.url, "1:BENCH"), ("bale", "@b", bot.url, "1:BENCH"),
            ("telegram", "@c", bot.url, "1:BENCH"), ("telegram", "@d", bot.url, "1:BENCH"),
            ("eitaa", "e1", eitaa.url, "e"), ("eitaa", "e2", eitaa.url, "e"),
            ("webhook", hook.url + "/1", "", "k"), ("webhook", hook.url + "/2", "", "k"),
            ("website", "", "", None), ("sandbox", "", "", None),
        ]  # fmt: skip
        channels = [
            do_save_channel(
                actor=admin,
                org=org,
                kind=kind,
                name=f"{kind} {n}",
                target=target,
                base_url=base,
                rate_per_minute=0,
                secret=secret,
            )
            for n, (kind, target, base, secret) in enumerate(specs)
        ]

        def published(title):
            item = do_create_item(actor=editor, org=org, title=title, body="<p>متن خبر بنچ</p>")
            do_submit_item(actor=editor, item=item)
            return item

        def worker_round():
            for channel_id in due_channel_ids():
                drain(channel_id)

        # 1. One item to 10 channels.
        latencies, naive = [], []
        for n in range(5):
            item = published(f"خبر فوری {n}")
            started = time.perf_counter()
            item = do_publish_item(actor=editor, item=item)
            worker_round()
            latencies.append(time.perf_counter() - started)
            assert Delivery.objects.filter(item=item, status="sent").count() == 10
            story = story_for(item)
            started = time.perf_counter()
            for channel in channels:
                plan = plan_for(channel.kind, story)
                for step in plan.steps:
                    transport_for(channel).send(step, plan, delivery_id=0)
            naive.append(time.perf_counter() - started)
        latencies.sort()
        naive.sort()
        report(
            "publish_to_sent_10_channels", latencies[len(latencies) // 2] * 1000, "ms",
            baseline=naive[len(naive) // 2] * 1000,
            baseline_label="the same 10 posts sent sequentially with no bookkeeping",
        )  # fmt: skip

        # 2. Sustained: ITEMS items × 3 channels, one worker.
        for channel in channels[3:]:
            channel.enabled = False
            channel.save(update_fields=["enabled"])
        items = [do_publish_item(actor=editor, item=published(f"خبر {n}")) for n in range(ITEMS)]
        started = time.perf_counter()
        while due_channel_ids():
            worker_round()
        elapsed = time.perf_counter() - started
        count = Delivery.objects.filter(item__in=items, status="sent").count()
        assert count == ITEMS * 3, count
        started = time.perf_counter()
        for item in items:
            story = story_for(item)
            for channel in channels[:3]:
                plan = plan_for(channel.kind, story)
                for step in plan.steps:
                    transport_for(channel).send(step, plan, delivery_id=0)
        naive_elapsed = time.perf_counter() - started
        report(
            "deliveries_per_second_one_worker", count / elapsed, "deliveries/s",
            baseline=count / naive_elapsed,
            baseline_label="naive sequential posts, no claim/history/audit",
        )  # fmt: skip
    finally:
        for server in (bot, eitaa, hook):
            server.close()
