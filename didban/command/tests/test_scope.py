"""A county supervisor sees the county, a province supervisor its counties, the outsider nothing."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from didban.command.models import Report
from didban.command.tests.conftest import figure
from didban.core import audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(world, hour):
    figure(world.karaj_info, "production.news", 7, hour)
    figure(world.fardis_info, "production.news", 3, hour)
    figure(world.karaj, "now.violations.open", 4, hour)


def test_county_supervisor_sees_only_the_county(client_for, personas, world, figures):
    client = client_for(personas.county_supervisor)
    page = client.get(reverse("command:screen"))
    assert page.status_code == 200
    assert page.context["production_day"] == 7
    assert page.context["lv"]["open"]["value"] == 4
    assert client.get(reverse("command:screen"), {"org": world.fardis.pk}).status_code == 404
    assert client.get(reverse("command:data_json"), {"org": world.alborz.pk}).status_code == 404


def test_province_supervisor_sees_counties_side_by_side_and_drills_down(
    client_for, personas, world, figures
):
    client = client_for(personas.province_supervisor)
    page = client.get(reverse("command:screen"))
    assert page.context["org"] == world.alborz
    assert page.context["production_day"] == 10
    side = {c["org"].code: c["production"] for c in page.context["children"]}
    assert side == {"karaj": 7, "fardis": 3}
    drill = client.get(reverse("command:data_json"), {"org": world.fardis.pk}).json()
    assert drill["production_day"] == 3


def test_outsider_sees_nothing_of_karaj(client_for, personas, world, figures):
    client = client_for(personas.outsider)
    for name in (
        "command:screen",
        "command:data_json",
        "command:feed_json",
        "command:election_day",
    ):
        assert client.get(reverse(name), {"org": world.karaj.pk}).status_code == 404
    own = client.get(reverse("command:data_json")).json()
    assert own["production_day"] == 3  # only Fardis


def test_roles_without_the_permission_are_refused(client_for, personas):
    client = client_for(personas.county_field_agent)
    assert client.get(reverse("command:screen")).status_code == 403
    assert client.get(reverse("command:stream")).status_code == 403
    assert client_for(personas.county_viewer).get(reverse("command:targets")).status_code == 403


def _publish_audit(org, title="خبر"):
    with transaction.atomic():
        return audit.record(actor="test", verb="item.publish", org=org, object_repr=title)


def test_feed_json_is_scoped(client_for, personas, world):
    _publish_audit(world.karaj_info, "خبر کرج")
    _publish_audit(world.fardis_info, "خبر فردیس")
    with transaction.atomic():
        audit.record(actor="test", verb="user.login", org=world.karaj)
    karaj = client_for(personas.county_supervisor).get(reverse("command:feed_json")).json()
    assert [e["object"] for e in karaj["events"]] == ["خبر کرج"]
    province = client_for(personas.province_supervisor).get(reverse("command:feed_json")).json()
    assert {e["object"] for e in province["events"]} == {"خبر کرج", "خبر فردیس"}


def _read_events(response, count):
    chunks = []
    for chunk in response.streaming_content:
        chunk = chunk.decode() if isinstance(chunk, bytes) else chunk
        chunks.append(chunk)
        if sum(c.count("event: audit") for c in chunks) >= count:
            break
    response.close()
    return "".join(chunks)


def test_stream_sends_only_scoped_events_and_resumes(client_for, personas, world):
    first = _publish_audit(world.fardis_info, "خبر فردیس")
    second = _publish_audit(world.karaj_info, "خبر کرج")
    client = client_for(personas.county_supervisor)
    response = client.get(reverse("command:stream"), HTTP_LAST_EVENT_ID=str(first.seq - 1))
    assert response["Content-Type"] == "text/event-stream"
    text = _read_events(response, 1)
    assert f"id: {second.seq}" in text and "خبر کرج" in text and "فردیس" not in text


def test_outsider_cannot_stream_another_county(client_for, personas, world):
    client = client_for(personas.outsider)
    assert client.get(reverse("command:stream"), {"org": world.karaj.pk}).status_code == 404


def test_reports_download_is_scoped(client_for, personas, world):
    report = Report(
        org=world.karaj, period="daily", period_start=timezone.now(), period_end=timezone.now(),
        format="pdf",
    )  # fmt: skip
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=True)
    url = reverse("command:report_download", args=[report.pk])
    assert client_for(personas.county_supervisor).get(url).status_code == 200
    assert client_for(personas.province_supervisor).get(url).status_code == 200
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.county_viewer).get(url).status_code == 404


def test_stream_under_asgi_is_an_async_generator(personas, world):
    """`didban serve` is ASGI: the same stream, from an async generator, same scope."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    other = _publish_audit(world.fardis_info, "خبر فردیس")
    mine = _publish_audit(world.karaj_info, "خبر کرج")
    client = AsyncClient()
    client.force_login(personas.county_supervisor)

    async def read():
        response = await client.get(
            reverse("command:stream"), headers={"Last-Event-ID": str(other.seq - 1)}
        )
        assert response["Content-Type"] == "text/event-stream"
        text = ""
        async for chunk in response.streaming_content:
            text += chunk.decode() if isinstance(chunk, bytes) else chunk
            if "event: audit" in text:
                break
        await response.streaming_content.aclose()
        return text

    text = async_to_sync(read)()
    assert f"id: {mine.seq}" in text and "خبر کرج" in text and "فردیس" not in text
