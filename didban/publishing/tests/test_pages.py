"""Pages and API: channels, the delivery queue, retry and reconcile; who may do what."""

import pytest
from django.urls import reverse

from didban.publishing.models import Channel, Delivery
from didban.publishing.tests.conftest import BOT_TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown_delivery(bale_channel, bot_api, publish):
    bot_api.faults.script.append("timeout")
    item = publish()
    delivery = item.deliveries.get()
    assert delivery.status == "unknown"
    return delivery


def test_channel_form_encrypts_and_never_shows_the_secret(client_for, personas, world, bot_api):
    client = client_for(personas.county_editor)
    response = client.post(
        reverse("publishing:channel_create"),
        {"org": world.karaj_info.pk, "kind": "bale", "name": "کانال بله کمیته", "target": "@karaj_info",
         "base_url": bot_api.url, "secret": BOT_TOKEN, "rate_per_minute": 20, "enabled": "on",
         "covers_suborgs": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    channel = Channel.objects.get(name="کانال بله کمیته")
    assert channel.secret() == BOT_TOKEN
    page = client.get(reverse("publishing:channel_edit", args=[channel.pk])).content.decode()
    assert BOT_TOKEN not in page and "TEST-token" not in page
    assert "••••" in page
    listing = client.get(reverse("publishing:channel_list")).content.decode()
    assert "TEST-token" not in listing and "کانال بله کمیته" in listing
    # Saving without a secret keeps the saved one.
    client.post(
        reverse("publishing:channel_edit", args=[channel.pk]),
        {"org": world.karaj_info.pk, "kind": "bale", "name": "کانال بله کمیته", "target": "@karaj_info",
         "base_url": bot_api.url, "secret": "", "rate_per_minute": 10, "enabled": "on"},
    )  # fmt: skip
    channel.refresh_from_db()
    assert channel.secret() == BOT_TOKEN and channel.rate_per_minute == 10


def test_bad_channel_input_shows_errors_not_500(client_for, personas, world):
    response = client_for(personas.county_editor).post(
        reverse("publishing:channel_create"),
        {"org": world.karaj_info.pk, "kind": "email", "name": "خبرگزاری‌ها", "target": "nope",
         "rate_per_minute": "many"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors


def test_producer_cannot_manage_channels_or_fix_deliveries(client_for, personas, unknown_delivery):
    client = client_for(personas.county_producer)
    assert client.get(reverse("publishing:channel_create")).status_code == 403
    queue = client.get(reverse("publishing:delivery_queue")).content.decode()
    assert unknown_delivery.item.title[:20] in queue
    assert 'data-testid="reconcile"' not in queue
    response = client.post(
        reverse("publishing:delivery_reconcile", args=[unknown_delivery.pk]),
        {f"r{unknown_delivery.pk}-outcome": "failed"},
    )
    assert response.status_code == 403
    unknown_delivery.refresh_from_db()
    assert unknown_delivery.status == "unknown"


def test_outsider_sees_nothing_of_the_county(client_for, personas, unknown_delivery, make_channel):
    sandbox = make_channel("sandbox", name="پیش‌نمایش کرج")
    client = client_for(personas.outsider)
    queue = client.get(reverse("publishing:delivery_queue")).content.decode()
    assert unknown_delivery.item.news_code not in queue
    assert "پیش‌نمایش کرج" not in client.get(reverse("publishing:channel_list")).content.decode()
    assert client.get(reverse("publishing:sandbox_preview", args=[sandbox.pk])).status_code == 404
    assert client.get(reverse("publishing:channel_edit", args=[sandbox.pk])).status_code == 404
    for name in ("publishing:delivery_retry", "publishing:delivery_reconcile"):
        assert client.post(reverse(name, args=[unknown_delivery.pk])).status_code == 404
    # API
    assert client.get("/api/v1/publishing/deliveries/").json()["results"] == []
    assert client.get("/api/v1/publishing/channels/").json()["results"] == []
    assert (
        client.post(
            f"/api/v1/publishing/deliveries/{unknown_delivery.pk}/reconcile/", {"outcome": "sent"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/publishing/deliveries/{unknown_delivery.pk}/retry/").status_code
        == 404
    )
    unknown_delivery.refresh_from_db()
    assert unknown_delivery.status == "unknown"


def test_reconcile_from_the_queue_with_htmx(client_for, personas, unknown_delivery):
    client = client_for(personas.county_editor)
    response = client.post(
        reverse("publishing:delivery_reconcile", args=[unknown_delivery.pk]),
        {f"r{unknown_delivery.pk}-outcome": "sent", f"r{unknown_delivery.pk}-message_id": "777"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<tr")
    assert 'data-status="sent"' in html
    unknown_delivery.refresh_from_db()
    assert unknown_delivery.status == "sent" and unknown_delivery.message_ids == "777"


def test_queue_filters_and_home_panel(
    client_for, personas, unknown_delivery, make_channel, publish
):
    make_channel("sandbox", name="sandbox")
    publish(title="خبر دیگر")
    client = client_for(personas.county_editor)
    only_unknown = client.get(reverse("publishing:delivery_queue"), {"status": "unknown"})
    rows = only_unknown.context["rows"]
    assert [r["d"].pk for r in rows] == [unknown_delivery.pk]
    partial = client.get(
        reverse("publishing:delivery_queue"), {"status": "sent"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="delivery-table",
    )  # fmt: skip
    assert '<nav class="navbar' not in partial.content.decode()
    home = client.get("/").content.decode()
    assert 'data-testid="publishing-panel"' in home
    assert 'href="/publishing/"' in home  # the navigation area


def test_item_page_shows_its_deliveries(client_for, personas, unknown_delivery):
    page = client_for(personas.county_editor).get(unknown_delivery.item.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="item-deliveries"' in html
    assert 'data-status="unknown"' in html and 'data-testid="reconcile"' in html


def test_api_lists_retries_and_reconciles(client_for, personas, unknown_delivery):
    client = client_for(personas.county_editor)
    listing = client.get("/api/v1/publishing/deliveries/", {"status": "unknown"}).json()
    assert [d["id"] for d in listing["results"]] == [unknown_delivery.pk]
    channels = client.get("/api/v1/publishing/channels/").json()["results"]
    assert channels and all(
        "secret" not in key or key in ("has_secret", "secret_set_at") for key in channels[0]
    )
    bad = client.post(
        f"/api/v1/publishing/deliveries/{unknown_delivery.pk}/reconcile/", {"outcome": "maybe"}
    )
    assert bad.status_code == 400 and "error" in bad.json()
    retry = client.post(f"/api/v1/publishing/deliveries/{unknown_delivery.pk}/retry/")
    assert retry.status_code == 400  # only failed deliveries are retried
    done = client.post(
        f"/api/v1/publishing/deliveries/{unknown_delivery.pk}/reconcile/",
        {"outcome": "failed", "note": "در کانال نیست"},
    )
    assert done.status_code == 200 and done.json()["status"] == "failed"
    producer = client_for(personas.county_producer)
    assert (
        producer.post(f"/api/v1/publishing/deliveries/{unknown_delivery.pk}/retry/").status_code
        == 403
    )
    assert Delivery.objects.get(pk=unknown_delivery.pk).status == "failed"


def test_sandbox_preview_shows_posts(client_for, personas, make_channel, publish):
    channel = make_channel("sandbox", name="کانال بله ستاد انتخابات کرج")
    item = publish(photos=2)
    page = client_for(personas.county_editor).get(
        reverse("publishing:sandbox_preview", args=[channel.pk])
    )
    html = page.content.decode()
    assert html.count('data-testid="sandbox-post"') == 1
    assert item.news_code in html and "<b>" in html
