"""Each transport against a local fake server speaking its real protocol."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from didban.publishing.formatting import Media, Plan, Step, Story, plan_for
from didban.publishing.tests.conftest import BOT_TOKEN, jpeg_bytes
from didban.publishing.tests.fakes import free_port
from didban.publishing.transports import Permanent, Temporary, Unknown, transport_for

pytestmark = pytest.mark.django_db


def stored_photo(name="photo.jpg") -> Media:
    path = default_storage.save(f"test/{name}", ContentFile(jpeg_bytes()))
    return Media("photo", path, name, "image/jpeg", url=f"/media/{path}")


def story(media=(), body="متن خبر"):
    return Story(
        item_id=7, news_code="1402-0007", kind_label="خبر", title="عنوان", lead="", body_text=body,
        url="https://karaj.example.ir/news/karaj/1402-0007/", media=tuple(media),
    )  # fmt: skip


def send_all(transport, plan, delivery_id=1):
    return [transport.send(step, plan, delivery_id=delivery_id).ids for step in plan.steps]


# --- Telegram protocol (Bale) ---------------------------------------------------------------


def test_bale_message_photo_and_group_with_uploads(bale_channel, bot_api):
    transport = transport_for(bale_channel)
    ids = send_all(transport, plan_for("bale", story()))
    assert len(ids) == 1
    photos = [stored_photo(f"p{n}.jpg") for n in range(3)]
    ids = send_all(transport, plan_for("bale", story(photos[:1], body="کلمه " * 400)))
    assert [r["method"] for r in bot_api.requests[1:]] == ["sendPhoto", "sendMessage"]
    name, size = bot_api.requests[1]["files"]["photo"]
    assert name == "p0.jpg" and size == len(jpeg_bytes())
    send_all(transport, plan_for("bale", story(photos)))
    group = bot_api.requests[-1]
    assert group["method"] == "sendMediaGroup" and len(group["files"]) == 3
    assert all(m["chat"] == "@karaj_election" for m in bot_api.posts())


@pytest.mark.parametrize(
    ("fault", "error", "posted"),
    [
        ("429", Temporary, 0),
        ("503", Temporary, 0),
        ("500", Unknown, 1),
        ("timeout", Unknown, 1),
        ("reset", Unknown, 1),
    ],
)
def test_bale_faults_are_classified(bale_channel, bot_api, fault, error, posted):
    bot_api.faults.script.append(fault)
    bot_api.faults.retry_after = 9
    plan = plan_for("bale", story())
    with pytest.raises(error) as caught:
        transport_for(bale_channel).send(plan.steps[0], plan, delivery_id=1)
    assert len(bot_api.posts()) == posted
    if fault == "429":
        assert caught.value.retry_after == 9


def test_bad_token_and_refused_text_are_permanent(make_channel, bot_api):
    channel = make_channel("telegram", target="@x", base_url=bot_api.url, secret="999:WRONG")
    plan = plan_for("telegram", story())
    with pytest.raises(Permanent, match="401"):
        transport_for(channel).send(plan.steps[0], plan, delivery_id=1)
    good = make_channel("telegram", target="@x", base_url=bot_api.url, secret=BOT_TOKEN)
    broken = Plan([Step("message", "<b>unclosed")], parse_mode="HTML")
    with pytest.raises(Permanent, match="parse entities"):
        transport_for(good).send(broken.steps[0], broken, delivery_id=1)


def test_unreachable_server_is_temporary(make_channel):
    channel = make_channel(
        "telegram", target="@x", base_url=f"http://127.0.0.1:{free_port()}", secret=BOT_TOKEN
    )
    plan = plan_for("telegram", story())
    with pytest.raises(Temporary):
        transport_for(channel).send(plan.steps[0], plan, delivery_id=1)


def test_edit_delete_and_member_count(bale_channel, bot_api):
    transport = transport_for(bale_channel)
    plan = plan_for("bale", story())
    ids = transport.send(plan.steps[0], plan, delivery_id=1).ids
    corrected = plan_for("bale", story(body="متن اصلاح‌شده"))
    transport.edit(corrected.steps[0], corrected, ids, delivery_id=1)
    transport.edit(corrected.steps[0], corrected, ids, delivery_id=1)  # not modified: fine
    assert "متن اصلاح‌شده" in bot_api.posts()[0]["text"]
    transport.delete(ids, delivery_id=1)
    assert bot_api.posts() == []
    with pytest.raises(Permanent, match="can't be deleted"):
        transport.delete(ids, delivery_id=1)
    assert transport.member_count() == 1250


# --- Eitaa -----------------------------------------------------------------------------


def test_eitaa_message_and_file(make_channel, eitaa_api):
    channel = make_channel(
        "eitaa", target="karaj_setad", base_url=eitaa_api.url, secret="eitaa-token"
    )
    transport = transport_for(channel)
    ids = send_all(transport, plan_for("eitaa", story([stored_photo()])))
    assert ids == [["5001"]]
    message = eitaa_api.messages[0]
    assert message["method"] == "sendFile" and message["file"][0] == "photo.jpg"
    assert "1402-0007" in message["text"]
    bad = make_channel("eitaa", target="x", base_url=eitaa_api.url, secret="wrong")
    plan = plan_for("eitaa", story())
    with pytest.raises(Permanent):
        transport_for(bad).send(plan.steps[0], plan, delivery_id=1)
    eitaa_api.faults.script.append("timeout")
    with pytest.raises(Unknown):
        transport.send(plan.steps[0], plan, delivery_id=1)


# --- webhook ---------------------------------------------------------------------------


def test_webhook_is_signed_and_carries_the_idempotency_key(make_channel, webhook_server):
    channel = make_channel(
        "webhook", target=webhook_server.url + "/hooks/didban", secret="hook-secret"
    )
    plan = plan_for("webhook", story())
    sent = transport_for(channel).send(plan.steps[0], plan, delivery_id=42)
    assert sent.ids == ["hook-42"]
    received = webhook_server.received[0]
    assert received["key"] == "42" and received["event"] == "item.published"
    assert received["body"]["item"]["news_code"] == "1402-0007"
    wrong = make_channel("webhook", target=webhook_server.url, secret="not-the-key")
    with pytest.raises(Permanent, match="401"):
        transport_for(wrong).send(plan.steps[0], plan, delivery_id=43)
    assert webhook_server.rejected == 1


# --- email -----------------------------------------------------------------------------


def test_email_goes_over_real_smtp_with_attachment(make_channel, smtp_sink):
    channel = make_channel(
        "email", target="desk@irna.example, news@isna.example",
        config={"smtp_host": "127.0.0.1", "smtp_port": smtp_sink.port, "from_email": "setad@karaj.example"},
    )  # fmt: skip
    plan = plan_for("email", story([stored_photo()]))
    sent = transport_for(channel).send(plan.steps[0], plan, delivery_id=5)
    assert sent.ids[0].startswith("<")
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["to"] == ["desk@irna.example", "news@isna.example"]
    from email import message_from_bytes
    from email.policy import default

    parsed = message_from_bytes(message["data"], policy=default)
    assert "1402-0007" in parsed["Subject"]
    assert [a.get_filename() for a in parsed.iter_attachments()] == ["photo.jpg"]
    assert (
        "https://karaj.example.ir/news/karaj/1402-0007/"
        in parsed.get_body(("plain",)).get_content()
    )


def test_email_to_a_closed_port_is_temporary(make_channel):
    channel = make_channel(
        "email", target="desk@irna.example",
        config={"smtp_host": "127.0.0.1", "smtp_port": free_port()},
    )  # fmt: skip
    plan = plan_for("email", story())
    with pytest.raises(Temporary):
        transport_for(channel).send(plan.steps[0], plan, delivery_id=5)


def test_sandbox_records_and_edits(make_channel):
    from didban.publishing.models import SandboxPost

    channel = make_channel("sandbox")
    transport = transport_for(channel)
    plan = plan_for("sandbox", story())
    ids = transport.send(plan.steps[0], plan, delivery_id=None).ids
    transport.edit(plan_for("sandbox", story(body="نو")).steps[0], plan, ids, delivery_id=None)
    post = SandboxPost.objects.get()
    assert "نو" in post.text and post.edited_at
    transport.delete(ids, delivery_id=None)
    post.refresh_from_db()
    assert post.deleted_at
    assert json.dumps(post.media) == "[]"
