"""Deliveries: queued on publish, sent by the worker, retried, reconciled, never doubled."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from didban.publishing import actions
from didban.publishing.models import Delivery, SandboxPost
from didban.publishing.tasks import dispatch_deliveries

pytestmark = pytest.mark.django_db


def statuses(item):
    return {d.channel.kind: d.status for d in item.deliveries.select_related("channel")}


def test_publishing_queues_and_sends_to_every_channel(make_channel, bale_channel, bot_api, publish):
    """One delivery per item × channel; the website's external id is the public page."""
    make_channel("website", name="وب‌سایت فرمانداری")
    make_channel("sandbox", name="کانال ایتا (آزمایشی)")
    make_channel("sandbox", name="خاموش", enabled=False)
    item = publish(photos=1)
    assert statuses(item) == {"bale": "sent", "website": "sent", "sandbox": "sent"}
    website = item.deliveries.get(channel__kind="website")
    assert website.external_url == item.public_url() and website.external_ids == [
        [item.public_url()]
    ]
    bale = item.deliveries.get(channel=bale_channel)
    assert bale.attempts == 1 and bale.sent_at
    assert bot_api.requests[0]["method"] == "sendPhoto"
    assert item.news_code in bot_api.requests[0]["text"]
    assert SandboxPost.objects.filter(delivery__item=item).count() == 1


def test_the_signal_twice_does_not_post_twice(
    bale_channel, bot_api, publish, django_capture_on_commit_callbacks
):
    from didban.newsroom.models import Item
    from didban.newsroom.signals import item_published

    item = publish()
    with django_capture_on_commit_callbacks(execute=True):
        item_published.send(sender=Item, item_id=item.pk)
    assert item.deliveries.count() == 1
    assert bot_api.count_containing(item.news_code) == 1


def test_429_waits_at_least_retry_after_then_sends(bale_channel, bot_api, publish):
    bot_api.faults.script.append("429")
    bot_api.faults.retry_after = 120
    before = timezone.now()
    item = publish()
    delivery = item.deliveries.get()
    assert delivery.status == "queued" and delivery.attempts == 1
    assert delivery.next_retry_at >= before + timedelta(seconds=120)
    assert (
        "wait" in delivery.last_error
        or "۱۲۰" in delivery.last_error
        or "120" in delivery.last_error
    )
    dispatch_deliveries.call()
    assert Delivery.objects.get(pk=delivery.pk).status == "queued"  # not yet due
    with time_machine.travel(delivery.next_retry_at + timedelta(seconds=1), tick=True):
        dispatch_deliveries.call()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert bot_api.count_containing(item.news_code) == 1


def test_temporary_errors_give_up_after_max_attempts(bale_channel, bot_api, publish, settings):
    settings.PUBLISHING_MAX_ATTEMPTS = 3
    bot_api.faults.script.extend(["503"] * 5)
    item = publish()
    delivery = item.deliveries.get()
    for hour in range(1, 4):
        with time_machine.travel(timezone.now() + timedelta(hours=hour), tick=True):
            dispatch_deliveries.call()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert "503" in delivery.last_error or "unavailable" in delivery.last_error.lower()


def test_unknown_outcome_is_never_reposted_by_itself(bale_channel, bot_api, publish):
    """A timeout after the request was sent leaves `unknown`; the dispatcher leaves it alone."""
    bot_api.faults.script.append("timeout")
    item = publish()
    delivery = item.deliveries.get()
    assert delivery.status == "unknown"
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        dispatch_deliveries.call()
    delivery.refresh_from_db()
    assert delivery.status == "unknown"
    assert bot_api.count_containing(item.news_code) == 1


def test_reconcile_an_unknown_delivery(
    bale_channel, bot_api, publish, personas, django_capture_on_commit_callbacks
):
    bot_api.faults.script.extend(["timeout", "timeout"])
    first, second = publish(title="خبر یکم"), publish(title="خبر دوم")
    d1, d2 = first.deliveries.get(), second.deliveries.get()
    assert d1.status == "unknown"
    with pytest.raises(PermissionDenied):
        actions.do_reconcile_delivery(actor=personas.county_producer, delivery=d1, outcome="sent")
    with pytest.raises(PermissionDenied):
        actions.do_reconcile_delivery(actor=personas.outsider, delivery=d1, outcome="sent")
    actions.do_reconcile_delivery(
        actor=personas.county_editor, delivery=d1, outcome="sent", message_id="101"
    )
    d1.refresh_from_db()
    assert d1.status == "sent" and d1.message_ids == "101"
    with pytest.raises(ValidationError):
        actions.do_reconcile_delivery(actor=personas.county_editor, delivery=d1, outcome="failed")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_reconcile_delivery(actor=personas.county_editor, delivery=d2, outcome="resend")
    d2.refresh_from_db()
    assert d2.status == "sent"
    assert bot_api.count_containing(second.news_code) == 2  # the explicit re-send


def test_retry_a_failed_delivery(
    make_channel, bot_api, publish, personas, django_capture_on_commit_callbacks
):
    channel = make_channel("bale", target="@x", base_url=bot_api.url, secret="1:WRONG")
    item = publish()
    delivery = item.deliveries.get()
    assert delivery.status == "failed" and "401" in delivery.last_error
    from didban.publishing.tests.conftest import BOT_TOKEN

    actions.do_save_channel(
        actor=personas.county_admin, org=channel.org, channel=channel, kind="bale", name=channel.name,
        target="@x", base_url=bot_api.url, rate_per_minute=0, secret=BOT_TOKEN,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.do_retry_delivery(actor=personas.county_producer, delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_retry_delivery(actor=personas.county_editor, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_a_crashed_workers_send_becomes_unknown_not_resent(bale_channel, bot_api, publish):
    bot_api.faults.script.append("503")
    item = publish()
    delivery = item.deliveries.get()
    # A worker claimed it and died before finishing.
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", lease_until=timezone.now() - timedelta(seconds=1)
    )
    dispatch_deliveries.call()
    delivery.refresh_from_db()
    assert delivery.status == "unknown"
    assert "worker stopped" in delivery.last_error or delivery.last_error
    assert bot_api.count_containing(item.news_code) == 0


def test_claim_is_a_conditional_update(bale_channel, bot_api, publish):
    """A delivery already claimed by another worker is not sent again."""
    bot_api.faults.script.append("503")
    item = publish()
    delivery = item.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", lease_until=timezone.now() + timedelta(minutes=5), next_retry_at=None
    )
    assert actions.send_next_on_channel(bale_channel.pk) == "busy"
    assert bot_api.count_containing(item.news_code) == 0


def test_channel_order_is_publish_order(bale_channel, bot_api, publish):
    """While the oldest delivery waits for its retry, later ones on the channel wait too."""
    bot_api.faults.script.append("503")
    first = publish(title="خبر یکم")
    second = publish(title="خبر دوم")
    assert first.deliveries.get().status == "queued"
    assert second.deliveries.get().status == "queued"
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=True):
        dispatch_deliveries.call()
    texts = [r["text"] for r in bot_api.requests if r["method"] == "sendMessage"]
    assert first.news_code in texts[0] and second.news_code in texts[1]


def test_rate_limit_spaces_posts(bale_channel, bot_api, publish, personas):
    """With 1 post a minute, the second item waits for the dispatcher a minute later."""
    actions.do_save_channel(
        actor=personas.county_admin, org=bale_channel.org, channel=bale_channel, kind="bale",
        name=bale_channel.name, target=bale_channel.target, base_url=bot_api.url, rate_per_minute=1,
    )  # fmt: skip
    first, second = publish(title="یکم"), publish(title="دوم")
    assert first.deliveries.get().status == "sent"
    assert second.deliveries.get().status == "queued"
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        dispatch_deliveries.call()
    assert second.deliveries.get().status == "sent"


def test_secret_is_encrypted_at_rest(bale_channel):
    from didban.publishing.tests.conftest import BOT_TOKEN

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_encrypted FROM publishing_channel WHERE id = %s", [bale_channel.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored and BOT_TOKEN not in stored and "TEST-token" not in stored
    assert bale_channel.secret() == BOT_TOKEN
    from didban.core.models import AuditEntry

    assert not any("TEST-token" in str(e.after) + str(e.before) for e in AuditEntry.objects.all())


def test_a_changed_key_fails_with_words(bale_channel, bot_api, publish, settings):
    from django.utils import translation

    settings.SECRETS_KEY = "another key entirely"
    with translation.override("en"):
        item = publish()
    delivery = item.deliveries.get()
    assert delivery.status == "failed" and "secret" in delivery.last_error


def test_correction_edits_where_possible_and_says_where_not(
    make_channel,
    bale_channel,
    bot_api,
    smtp_sink,
    publish,
    personas,
    django_capture_on_commit_callbacks,
):
    from didban.newsroom.actions import do_correct_item

    make_channel(
        "email", target="desk@irna.example",
        config={"smtp_host": "127.0.0.1", "smtp_port": smtp_sink.port},
    )  # fmt: skip
    item = publish()
    assert statuses(item) == {"bale": "sent", "email": "sent"}
    with django_capture_on_commit_callbacks(execute=True):
        do_correct_item(
            actor=personas.county_editor, item=item, note="ساعت اصلاح شد", body="<p>ساعت ۹ صبح</p>"
        )
    bale = item.deliveries.get(channel=bale_channel)
    email = item.deliveries.get(channel__kind="email")
    assert bale.followup == "corrected"
    assert "ساعت ۹ صبح" in bot_api.posts()[0]["text"]
    assert email.followup == "correction_impossible" and email.followup_note


def test_retraction_deletes_where_possible(
    make_channel,
    bale_channel,
    bot_api,
    eitaa_api,
    publish,
    personas,
    django_capture_on_commit_callbacks,
):
    from didban.newsroom.actions import do_retract_item

    make_channel("eitaa", target="karaj", base_url=eitaa_api.url, secret="eitaa-token")
    make_channel("website")
    item = publish()
    with django_capture_on_commit_callbacks(execute=True):
        do_retract_item(actor=personas.county_editor, item=item, reason="خبر نادرست بود")
    assert bot_api.posts() == []
    rows = {d.channel.kind: d for d in item.deliveries.select_related("channel")}
    assert rows["bale"].status == "retracted" and rows["website"].status == "retracted"
    assert rows["eitaa"].status == "sent" and rows["eitaa"].followup == "retraction_impossible"


def test_a_queued_delivery_of_a_retracted_item_is_never_sent(
    bale_channel, bot_api, publish, personas, django_capture_on_commit_callbacks
):
    from didban.newsroom.actions import do_retract_item

    bot_api.faults.script.append("503")
    item = publish()
    with django_capture_on_commit_callbacks(execute=True):
        do_retract_item(actor=personas.county_editor, item=item, reason="لغو شد")
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=True):
        dispatch_deliveries.call()
    assert item.deliveries.get().status == "retracted"
    assert bot_api.count_containing(item.news_code) == 0


def test_outsider_and_producer_cannot_queue_or_manage_channels(
    world, personas, publish, make_channel
):
    item = publish()
    for person in (personas.outsider, personas.county_producer):
        with pytest.raises(PermissionDenied):
            actions.do_queue_deliveries(actor=person, item=item)
        with pytest.raises(PermissionDenied):
            actions.do_save_channel(actor=person, org=world.karaj_info, kind="sandbox", name="x")


def test_bad_channel_input_is_a_clear_error(world, personas):
    with pytest.raises(ValidationError) as caught:
        actions.do_save_channel(
            actor=personas.county_editor,
            org=world.karaj_info,
            kind="email",
            name="خبرگزاری‌ها",
            target="not-an-address",
        )
    assert "target" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.do_save_channel(
            actor=personas.county_editor,
            org=world.karaj_info,
            kind="webhook",
            name="x",
            target="ftp://x",
        )
    assert "target" in caught.value.message_dict
