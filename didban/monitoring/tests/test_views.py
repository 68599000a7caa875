"""The monitoring pages: they render for the analyst, and the outsider sees nothing of Karaj."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from didban.monitoring.actions import do_ingest_entries, do_save_topic
from didban.monitoring.extract import Entry
from didban.monitoring.models import Article, Source, TopicHit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, personas, make_source):
    source = make_source("/archive", kind="local", name="منبع کرج")
    topic = do_save_topic(
        actor=personas.county_analyst, org=world.karaj_info, name="مشارکت کرج", rule="مشارکت"
    )
    do_ingest_entries(actor=None, source=source, entries=[
        Entry(url=f"http://x.ir/{n}", title=f"مشارکت مردم کرج {n}", published_at=timezone.now(),
              text="مشاركت حداكثري مردم كرج در انتخابات با حضور پرشور ادامه دارد. " * 5 + str(n))
        for n in range(3)
    ])  # fmt: skip
    return {"source": source, "topic": topic, "article": Article.objects.first(),
            "hit": TopicHit.objects.first()}  # fmt: skip


PAGES = ["overview", "source_list", "article_list", "story_list", "topic_list", "alert_list",
         "pickup_list", "report"]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_pages_show_karaj_data_to_the_analyst_and_not_to_the_outsider(
    client_for, personas, data, name
):
    analyst = client_for(personas.county_analyst)
    response = analyst.get(reverse(f"monitoring:{name}"))
    assert response.status_code == 200
    outsider = client_for(personas.outsider)
    response = outsider.get(reverse(f"monitoring:{name}"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "منبع کرج" not in body and "مشارکت مردم کرج" not in body and "مشارکت کرج" not in body


def test_the_outsider_gets_404_on_karaj_objects_and_cannot_act(client_for, personas, data):
    outsider = client_for(personas.outsider)
    assert (
        outsider.get(reverse("monitoring:article_detail", args=[data["article"].pk])).status_code
        == 404
    )
    assert outsider.get(reverse("monitoring:topic_edit", args=[data["topic"].pk])).status_code in (
        403,
        404,
    )
    assert outsider.post(
        reverse("monitoring:hit_review", args=[data["hit"].pk]), {"state": "confirmed"}
    ).status_code in (403, 404)
    assert (
        outsider.post(reverse("monitoring:source_fetch", args=[data["source"].pk])).status_code
        == 404
    )
    outsider.post(reverse("monitoring:hits_bulk"), {"hit": [data["hit"].pk], "action": "confirm"})
    data["hit"].refresh_from_db()
    assert data["hit"].state == "new"
    assert outsider.get(reverse("monitoring:queue")).status_code == 403  # an editor does not filter


def test_search_page_highlights_and_exports(client_for, personas, data):
    analyst = client_for(personas.county_analyst)
    response = analyst.get(reverse("monitoring:article_list"), {"q": "مشارکت کرج"})
    body = response.content.decode()
    assert "<mark>مشاركت</mark>" in body
    bad = analyst.get(reverse("monitoring:article_list"), {"q": "(مشارکت"})
    assert (
        bad.status_code == 200 and "column 1" in bad.content.decode()
    ) or "ستون" in bad.content.decode()
    xlsx = analyst.get(reverse("monitoring:article_list"), {"q": "مشارکت", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.sheet_view.rightToLeft
    assert sheet.max_row == 4
    assert all(ch in "۰۱۲۳۴۵۶۷۸۹/: " for ch in sheet["A2"].value)
    csv = analyst.get(reverse("monitoring:article_list"), {"q": "مشارکت", "export": "csv"})
    assert csv.content.decode("utf-8-sig").count("\n") == 4


def test_topic_live_validation_and_save(client_for, personas, data):
    analyst = client_for(personas.county_analyst)
    response = analyst.get(reverse("monitoring:topic_validate"), {"rule": "مشارکت AND"})
    assert 'data-testid="rule-error"' in response.content.decode()
    response = analyst.get(reverse("monitoring:topic_validate"), {"rule": "مشارکت AND کرج"})
    body = response.content.decode()
    assert 'data-testid="rule-ok"' in body and "مشارکت مردم کرج" in body
    response = analyst.post(
        reverse("monitoring:topic_create"), {"name": "تست", "rule": "(کرج", "is_active": "on"}
    )
    assert response.status_code == 200  # shown again with the error
    response = analyst.post(
        reverse("monitoring:topic_create"), {"name": "تست", "rule": "کرج", "is_active": "on"}
    )
    assert response.status_code == 302


def test_filtering_by_htmx_returns_the_updated_hit(client_for, personas, data):
    analyst = client_for(personas.county_analyst)
    response = analyst.post(
        reverse("monitoring:hit_review", args=[data["hit"].pk]),
        {"state": "confirmed", "tone": "positive", "importance": "3", "note": "خوب"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="hit-tone"' in response.content.decode()
    data["hit"].refresh_from_db()
    assert (data["hit"].state, data["hit"].tone) == ("confirmed", "positive")
    report = analyst.get(reverse("monitoring:report"), {"export": "xlsx"})
    assert report.status_code == 200
    book = load_workbook(io.BytesIO(report.content))
    # Summary, tone, outlet, articles by outlet, topics, stories, confirmed items, pickups.
    assert len(book.sheetnames) == 8
    confirmed = book.worksheets[6]
    assert confirmed.sheet_view.rightToLeft and confirmed.max_row == 2


def test_adding_a_source_through_the_page(client_for, personas, world):
    analyst = client_for(personas.county_analyst)
    response = analyst.post(reverse("monitoring:source_list"), {
        "outlet_name": "ایسنا", "outlet_kind": "news_agency", "name": "ایسنا البرز",
        "kind": "feed", "url": "ftp://bad", "poll_minutes": 15})  # fmt: skip
    assert response.status_code == 200 and not Source.objects.exists()
    response = analyst.post(reverse("monitoring:source_list"), {
        "outlet_name": "ایسنا", "outlet_kind": "news_agency", "name": "ایسنا البرز",
        "kind": "feed", "url": "https://www.isna.ir/rss", "poll_minutes": 15})  # fmt: skip
    assert response.status_code == 302
    assert Source.objects.get().org == world.karaj_info
    assert (
        client_for(personas.outsider).post(reverse("monitoring:source_list"), {}).status_code == 403
    )


def test_item_pickups_panel_renders_for_the_newsroom(rf, personas, data):
    from didban.monitoring.views import item_pickups_panel

    class FakeItem:
        pk = 12345

    request = rf.get("/")
    request.user = personas.county_editor
    html = item_pickups_panel(request, FakeItem())
    assert 'data-testid="item-pickups"' in html
    request.user = personas.outsider
    assert "data-testid" in item_pickups_panel(request, FakeItem())


def test_home_panel_counts_hits_to_filter_and_sources_with_problems(client_for, personas, data):
    from didban.monitoring.models import Source

    Source.objects.update(consecutive_failures=2, last_error_code="timeout")
    body = client_for(personas.county_analyst).get("/").content.decode()
    assert 'data-testid="monitoring-panel"' in body
    panel = body.split('data-testid="monitoring-panel"', 1)[1].split("</ul>", 1)[0]
    badges = re.findall(r'class="badge[^"]*">([^<]+)</span>', panel)
    assert badges == ["۳", "۰", "۱"]  # three hits to filter, no pickups, one failing source
    assert (
        'data-testid="monitoring-panel"' in client_for(personas.outsider).get("/").content.decode()
    )
