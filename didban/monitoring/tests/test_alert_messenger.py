"""Alerts to a messenger chat go through the publishing app's Telegram-protocol transport,
tested against the local fake Bot API server of the publishing tests: an immediate alert
arrives with the right chat id and Persian text, an hourly digest arrives as one message, a
failing server is recorded on the Alert (never raised), and throttling holds back the rest."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from didban.monitoring.actions import do_ingest_entries, do_save_alert_rule, do_save_topic
from didban.monitoring.alerts import send_digests
from didban.monitoring.extract import Entry
from didban.monitoring.models import Alert
from didban.publishing.tests.fakes import FakeBotApi

pytestmark = pytest.mark.django_db

TOKEN = "777001:ALERT-test-token"
CHAT = "-1001234567890"


@pytest.fixture
def bot_api(settings):
    settings.PUBLISHING_TIMEOUT_SECONDS = 2
    settings.SITE_URL = "https://karaj.example.ir"
    with FakeBotApi(tokens=[TOKEN]) as server:
        yield server


@pytest.fixture
def channel(world, personas, bot_api):
    from didban.publishing.actions import do_save_channel

    return do_save_channel(
        actor=personas.county_admin, org=world.karaj, kind="telegram", name="کانال هشدار ستاد",
        target="@karaj_alerts", base_url=bot_api.url, secret=TOKEN, rate_per_minute=0,
    )  # fmt: skip


@pytest.fixture
def topic(world, personas):
    return do_save_topic(
        actor=personas.county_analyst, org=world.karaj_info, name="شایعه انتخابات", rule="شایعه*"
    )


def _rule(world, personas, topic, channel, **fields):
    fields.setdefault("mode", "immediate")
    return do_save_alert_rule(
        actor=personas.county_analyst, org=world.karaj_info, name="هشدار شایعه", kind="topic",
        topic=topic, recipients=[], by_app=False, messenger_channel_id=channel.pk,
        messenger_chat=CHAT, **fields,
    )  # fmt: skip


def _ingest(make_source, count, capture):
    source = make_source("/archive", kind="local")
    entries = [
        Entry(url=f"http://x.ir/{n}", title=f"شایعه شماره {n} درباره انتخابات کرج",
              text=f"شایعهٔ تعویق انتخابات در فضای مجازی تکذیب شد. نسخه {n}",
              published_at=timezone.now())
        for n in range(count)
    ]  # fmt: skip
    with capture(execute=True):
        do_ingest_entries(actor=None, source=source, entries=entries)


def test_an_immediate_alert_arrives_with_the_chat_id_and_persian_text(
    world, personas, topic, channel, bot_api, make_source, django_capture_on_commit_callbacks
):
    rule = _rule(world, personas, topic, channel)
    _ingest(make_source, 1, django_capture_on_commit_callbacks)
    sent = [r for r in bot_api.requests if r["method"] == "sendMessage"]
    assert len(sent) == 1
    assert sent[0]["chat"] == CHAT
    text = sent[0]["text"]
    assert "مورد تازه برای موضوع شایعه انتخابات" in text
    assert "شایعه شماره 0 درباره انتخابات کرج" in text
    assert "https://karaj.example.ir/" in text
    alert = Alert.objects.get(rule=rule)
    assert (alert.channel, alert.status, alert.error) == ("messenger", "sent", "")


def test_an_hourly_digest_arrives_as_one_message(
    world, personas, topic, channel, bot_api, make_source, django_capture_on_commit_callbacks
):
    rule = _rule(world, personas, topic, channel, mode="hourly")
    _ingest(make_source, 3, django_capture_on_commit_callbacks)
    assert bot_api.requests == []  # nothing until the digest
    assert send_digests() == 1
    sent = [r for r in bot_api.requests if r["method"] == "sendMessage"]
    assert len(sent) == 1 and sent[0]["chat"] == CHAT
    assert "هشدار شایعه" in sent[0]["text"]
    assert all(f"شایعه شماره {n} درباره انتخابات کرج" in sent[0]["text"] for n in range(3))
    assert Alert.objects.filter(rule=rule, channel="messenger", status="sent").count() == 1


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("500", "500"), ("bad-token", "401")],
)
def test_a_failing_server_is_recorded_on_the_alert_and_nothing_escapes(
    world, personas, topic, channel, bot_api, make_source, django_capture_on_commit_callbacks,
    client_for, fault, reason,
):  # fmt: skip
    rule = _rule(world, personas, topic, channel)
    if fault == "500":
        bot_api.faults.script.append("500")  # processed, then HTTP 500 with ok:false
    else:
        bot_api.tokens.clear()  # every call answered 401 {"ok": false}
    _ingest(make_source, 1, django_capture_on_commit_callbacks)  # must not raise
    alert = Alert.objects.get(rule=rule, channel="messenger")
    assert alert.status == "failed"
    assert reason in alert.error and alert.error.strip()
    # The alerts page says it failed, and why; the outsider sees none of it.
    body = client_for(personas.county_analyst).get(reverse("monitoring:alert_list"))
    row = body.content.decode().split('data-testid="alert-rule"', 1)[1].split("</tr>", 1)[0]
    assert "هشدار شایعه" in row and reason in row
    assert 'text-bg-danger num">۱<' in row
    outsider = client_for(personas.outsider).get(reverse("monitoring:alert_list"))
    assert "هشدار شایعه" not in outsider.content.decode()


def test_throttling_holds_back_beyond_max_per_hour(
    world, personas, topic, channel, bot_api, make_source, django_capture_on_commit_callbacks
):
    rule = _rule(world, personas, topic, channel, max_per_hour=2)
    _ingest(make_source, 5, django_capture_on_commit_callbacks)
    sent = [r for r in bot_api.requests if r["method"] == "sendMessage"]
    assert len(sent) == 2  # two immediately, three held back
    assert Alert.objects.filter(rule=rule, status="throttled").count() == 3
    rule.refresh_from_db()
    assert len(rule.pending) == 3
    send_digests()
    sent = [r for r in bot_api.requests if r["method"] == "sendMessage"]
    assert len(sent) == 3  # the held-back three came as one digest message
    assert sent[-1]["text"].count("شایعه شماره") == 3


def test_a_channel_of_another_county_cannot_carry_karajs_alerts(world, personas, topic, bot_api):
    from django.contrib.auth import get_user_model

    from didban.publishing.actions import do_save_channel

    root = get_user_model().objects.create_superuser("national", "r@x.ir", "pw-for-tests-only")
    fardis = do_save_channel(
        actor=root, org=world.fardis, kind="telegram", name="کانال فردیس",
        target="@fardis", base_url=bot_api.url, secret=TOKEN, rate_per_minute=0,
    )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        do_save_alert_rule(
            actor=personas.county_analyst, org=world.karaj_info, name="x", kind="topic",
            topic=topic, recipients=[], messenger_channel_id=fardis.pk, messenger_chat=CHAT,
        )  # fmt: skip
    assert "messenger_channel_id" in info.value.message_dict
