"""The fault test: 200 items to 3 channels whose servers fail and time out on a share of
requests. At the end every delivery is sent exactly once, or visibly failed or unknown:
none lost, none doubled."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from didban.publishing.models import Delivery
from didban.publishing.tasks import dispatch_deliveries
from didban.publishing.tests.conftest import BOT_TOKEN

pytestmark = pytest.mark.django_db

ITEMS = 200


def test_two_hundred_items_to_three_failing_channels(
    make_channel, bot_api, eitaa_api, webhook_server, publish, settings
):
    settings.PUBLISHING_TIMEOUT_SECONDS = 0.3
    for server in (bot_api, eitaa_api, webhook_server):
        server.faults.fail_rate = 0.12  # 503, 429, 500 (processed), connection reset (processed)
        server.faults.timeout_rate = 0.03  # processed, answered after the client gave up
        server.faults.slow_seconds = 0.5
        server.faults.retry_after = 2
    bale = make_channel("bale", target="@karaj", base_url=bot_api.url, secret=BOT_TOKEN)
    eitaa = make_channel("eitaa", target="karaj", base_url=eitaa_api.url, secret="eitaa-token")
    hook = make_channel("webhook", target=webhook_server.url + "/in", secret="hook-secret")

    items = [publish(title=f"خبر شماره {n}") for n in range(ITEMS)]

    moment = timezone.now()
    for _round in range(40):
        if not Delivery.objects.filter(status__in=["queued", "sending"]).exists():
            break
        moment += timedelta(minutes=20)
        with time_machine.travel(moment, tick=True):
            dispatch_deliveries.call()
    assert not Delivery.objects.filter(status__in=["queued", "sending"]).exists()
    assert Delivery.objects.count() == ITEMS * 3  # none lost

    tally = Counter()
    for item in items:
        posted = {
            bale.pk: bot_api.count_containing(item.news_code),
            eitaa.pk: eitaa_api.count_containing(item.news_code),
            hook.pk: webhook_server.count_item(item.pk),
        }
        for delivery in Delivery.objects.filter(item=item):
            count = posted[delivery.channel_id]
            tally[delivery.status] += 1
            if delivery.status == "sent":
                assert count == 1, (delivery.channel.kind, item.news_code, count)
                assert delivery.external_ids
            elif delivery.status == "failed":
                assert count == 0 and delivery.last_error
            else:
                assert delivery.status == "unknown" and delivery.last_error
                assert count <= 1
    # No idempotency key reached the webhook twice.
    assert max(webhook_server.posts_by_key.values()) == 1
    # The faults did happen: retries were needed and some outcomes are unknown.
    assert tally["sent"] > ITEMS * 3 * 0.7
    assert tally["unknown"] > 0
    assert Delivery.objects.filter(status="sent", attempts__gt=1).exists()
