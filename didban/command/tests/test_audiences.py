"""Channel audiences: sampled hourly with getChatMemberCount from the (fake, local) Bot API,
one sample per channel and hour, a failing channel skipped and logged; platforms without an
API typed by hand on the targets page; the growth chart's data."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from didban.command.actions import do_sample_audiences
from didban.command.models import AudienceSample
from didban.command.tests.conftest import BOT_TOKEN
from didban.publishing.tests.fakes import FakeBotApi

pytestmark = pytest.mark.django_db

H = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)  # 13:00 in Tehran: the start of an hour


@pytest.fixture
def servers():
    """Two Bot API servers (Telegram and Bale) with different member counts."""
    with (
        FakeBotApi(tokens=[BOT_TOKEN], members=1250) as bale,
        FakeBotApi(tokens=[BOT_TOKEN], members=40_000) as telegram,
    ):
        yield bale, telegram


def counts():
    return {
        (s.channel_name, s.at): s.members
        for s in AudienceSample.objects.filter(source="api").order_by("at")
    }


def test_members_are_sampled_per_channel_per_hour(world, make_chat, servers, caplog):
    bale, telegram = servers
    karaj_bale = make_chat(world.karaj, "bale", name="بله کرج", base_url=bale.url)
    fardis_tg = make_chat(world.fardis, "telegram", name="تلگرام فردیس", target="@fardis",
                          base_url=telegram.url)  # fmt: skip
    broken = make_chat(world.karaj, "bale", name="بله خراب", target="@gone", base_url=bale.url,
                       secret="999:revoked")  # fmt: skip
    make_chat(world.karaj, "eitaa", name="ایتا کرج", secret="eitaa-token")  # no API: by hand
    make_chat(world.karaj, "bale", name="بله خاموش", base_url=bale.url, enabled=False)

    with caplog.at_level(logging.WARNING, logger="didban.command.actions"):
        first = do_sample_audiences(now=H + timedelta(minutes=5))
    assert {s.channel_id for s in first} == {karaj_bale.pk, fardis_tg.pk}
    assert f"member count of channel {broken.pk} (بله خراب) failed" in caplog.text

    bale.members = 1300
    do_sample_audiences(now=H + timedelta(minutes=50))  # the same hour: updated, not added
    bale.members = 1410
    telegram.members = 39_990
    do_sample_audiences(now=H + timedelta(hours=1, minutes=5))
    assert counts() == {
        ("بله کرج", H + timedelta(minutes=50)): 1300,
        ("تلگرام فردیس", H + timedelta(minutes=50)): 40_000,
        ("بله کرج", H + timedelta(hours=1, minutes=5)): 1410,
        ("تلگرام فردیس", H + timedelta(hours=1, minutes=5)): 39_990,
    }
    by_channel = {s.channel_id: s.org for s in AudienceSample.objects.all()}
    assert by_channel == {karaj_bale.pk: world.karaj, fardis_tg.pk: world.fardis}


def test_the_worker_job_samples_through_the_task(world, make_chat, servers):
    from didban.command.tasks import sample_audiences

    make_chat(world.karaj, "bale", base_url=servers[0].url)
    result = sample_audiences.enqueue()
    assert result.return_value == 1
    assert AudienceSample.objects.get().members == 1250


def test_eitaa_and_other_platforms_are_typed_on_the_targets_page(
    client_for, personas, world, make_chat
):
    eitaa = make_chat(world.karaj, "eitaa", name="ایتا ستاد کرج", secret="eitaa-token")
    make_chat(world.fardis, "eitaa", name="ایتا فردیس", secret="eitaa-token", target="@f")
    client = client_for(personas.county_supervisor)
    url = reverse("command:audience_record") + f"?org={world.karaj.pk}"
    page = client.get(reverse("command:targets"), {"org": world.karaj.pk})
    choices = dict(page.context["audience_form"].fields["channel"].choices)
    assert str(eitaa.pk) in choices and "ایتا فردیس" not in " ".join(map(str, choices.values()))

    assert client.post(url, {"channel": str(eitaa.pk), "members": "5200"}).status_code == 302
    assert client.post(url, {"channel": "other", "other_name": "روبیکا ستاد کرج",
                             "other_platform": "Rubika", "members": "800"}).status_code == 302  # fmt: skip
    assert client.post(url, {"channel": "other", "other_name": "روبیكا ستاد كرج",
                             "other_platform": "rubika", "members": "950"}).status_code == 302  # fmt: skip
    manual = AudienceSample.objects.filter(source="manual")
    assert {(s.channel_name, s.channel_kind, s.members) for s in manual} == {
        ("ایتا ستاد کرج", "eitaa", 5200), ("روبیکا ستاد کرج", "rubika", 800),
        ("روبیکا ستاد کرج", "rubika", 950),  # typed with Arabic ي/ك: shown in Persian letters
    }  # fmt: skip
    # The same channel typed with Arabic ی/ک is one series.
    assert len({s.channel_id for s in manual.filter(channel_kind="rubika")}) == 1

    bad = client.post(url, {"channel": "other", "other_name": "", "members": "-5"})
    assert bad.status_code == 200
    errors = bad.context["audience_form"].errors
    assert set(errors) == {"other_name", "members"}
    assert AudienceSample.objects.count() == 3

    refused = client_for(personas.outsider).post(
        url, {"channel": "other", "other_name": "x", "members": "1"}
    )
    assert refused.status_code == 404
    assert (
        client_for(personas.county_viewer)
        .post(reverse("command:audience_record"), {"members": "1"})
        .status_code
        == 403
    )


def test_targets_page_shows_the_growth_chart_data(client_for, personas, world):
    from django.utils import timezone

    from didban.command.actions import do_record_audience

    now = timezone.now()
    for days, members in ((20, 1000), (10, 1600), (0, 2500)):
        do_record_audience(
            actor=personas.county_supervisor, org=world.karaj, channel_id=7,
            channel_name="ایتا کرج", channel_kind="eitaa", members=members,
            at=now - timedelta(days=days),
        )  # fmt: skip
    page = client_for(personas.county_supervisor).get(
        reverse("command:targets"), {"org": world.karaj.pk}
    )
    chart = page.context["audience_chart"]
    assert [c["name"] for c in chart] == ["ایتا کرج"]
    assert [n for _day, n in chart[0]["points"]] == [1000, 1600, 2500]
    html = page.content.decode()
    assert 'id="audience-data"' in html and 'id="audience-chart"' in html
    assert "+۱٬۵۰۰" in html or "+۱,۵۰۰" in html  # growth in Persian digits
