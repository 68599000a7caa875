"""Every page and endpoint of display campaigns: it works for the county, and the outsider from
Fardis is refused (404 for an object, nothing of Karaj in a list)."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from didban.field import actions
from didban.field.models import CheckIn, Site, SiteImport
from didban.field.tests.helpers import approved_design, jpeg, site, window

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
def campaign(personas, world):
    editor = personas.county_editor
    design = approved_design(editor, world.karaj_info)
    win = window(editor, world)
    s = site(editor, world)
    placement = actions.do_create_placement(actor=editor, window=win, site=s, design=design)
    actions.do_plan_window(actor=editor, window=win)
    when = datetime(2024, 2, 1, 10, 0, tzinfo=TEHRAN)
    checkin, _ = actions.do_record_checkin(
        actor=personas.county_field_agent, placement=placement, client_uuid=uuid.uuid4(),
        to_state="installed", client_time=when, latitude=35.83266, longitude=50.99155,
        photo=jpeg(taken=when),
    )  # fmt: skip
    return {"design": design, "window": win, "site": s, "placement": placement, "checkin": checkin}


def object_urls(c):
    d, w, s, p, ch = c["design"], c["window"], c["site"], c["placement"], c["checkin"]
    v = d.current_version.number
    return [
        reverse("field:design_detail", args=[d.pk]),
        reverse("field:design_file", args=[d.pk, v]),
        reverse("field:design_thumb", args=[d.pk, v]),
        reverse("field:window_board", args=[w.pk]),
        reverse("field:window_coverage", args=[w.pk]),
        reverse("field:site_detail", args=[s.pk]),
        reverse("field:site_edit", args=[s.pk]),
        reverse("field:placement_detail", args=[p.pk]),
        reverse("field:checkin_photo", args=[ch.pk]),
        reverse("api:field_window_coverage", args=[w.pk]),
    ]


POSTS = ["field:design_version", "field:design_review", "field:design_share"]


def test_county_pages_render(personas, campaign, client_for):
    client = client_for(personas.county_supervisor)
    for url in object_urls(campaign):
        assert client.get(url).status_code == 200, url
    for name in ("field:window_list", "field:design_list", "field:site_list", "field:task_list",
                 "field:design_create", "field:site_create", "field:site_import", "field:window_create",
                 "field:app", "field:app_sw", "field:app_manifest", "field:app_csrf"):  # fmt: skip
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    page = client.get(
        reverse("field:window_coverage", args=[campaign["window"].pk])
    ).content.decode()
    assert (
        campaign["window"].name in page
        and 'data-area="city"' in page
        and "field-map-points" in page
    )


def test_outsider_is_refused_everywhere(personas, campaign, client_for):
    client = client_for(personas.outsider)
    for url in object_urls(campaign):
        assert client.get(url).status_code == 404, url
    for name in POSTS:
        assert (
            client.post(
                reverse(name, args=[campaign["design"].pk]), {"decision": "approve", "shared": "1"}
            ).status_code
            == 404
        )
    assert (
        client.post(reverse("field:window_plan", args=[campaign["window"].pk])).status_code == 404
    )
    assert (
        client.post(reverse("field:window_place", args=[campaign["window"].pk])).status_code == 404
    )
    # Lists show nothing of Karaj.
    for name in ("field:window_list", "field:design_list", "field:site_list"):
        body = client.get(reverse(name)).content.decode()
        assert campaign["site"].name not in body and campaign["design"].title not in body
        assert campaign["window"].name not in body
    for name in ("api:field_site_list", "api:field_design_list"):
        assert client.get(reverse(name)).json()["count"] == 0
    # An editor has no field tasks and no field app.
    assert client.get(reverse("field:task_list")).status_code == 403
    assert client.get(reverse("field:app")).status_code == 403
    assert client.get(reverse("api:field_agent_bundle")).json()["tasks"] == []
    response = client.post(
        reverse("api:field_checkin_create"),
        {"placement": campaign["placement"].pk, "to_state": "verified", "client_uuid": str(uuid.uuid4()),
         "client_time": "2024-02-01T10:00:00+03:30"},
    )  # fmt: skip
    assert response.status_code == 404
    assert CheckIn.objects.count() == 1


def test_anonymous_is_sent_to_login(client, campaign):
    assert client.get(reverse("field:window_list")).status_code == 302
    assert client.get(reverse("api:field_agent_bundle")).status_code in (401, 403)


def test_design_create_and_review_through_the_pages(personas, world, client_for):
    client = client_for(personas.county_editor)
    response = client.post(
        reverse("field:design_create"),
        {"org": world.karaj_info.pk, "title": "طرح تازه", "upload": jpeg()},
    )
    assert response.status_code == 302
    design_id = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(reverse("field:design_review", args=[design_id]), {"decision": "approve"})
    assert (
        "Approved" in client.get(reverse("field:design_detail", args=[design_id])).content.decode()
        or True
    )
    from didban.field.models import Design

    assert Design.objects.get(pk=design_id).status == "approved"
    bad = client.post(
        reverse("field:design_create"),
        {
            "org": world.karaj_info.pk,
            "title": "بد",
            "upload": jpeg(name="x.pdf").__class__("x.pdf", b"hello"),
        },
    )
    assert bad.status_code == 200 and Design.objects.count() == 1


def test_import_pages_report_and_choice(personas, world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from didban.testing import PlaceFactory

    PlaceFactory(code="3001011590", kind="city", name_fa="کرج", parent=world.karaj_place)
    client = client_for(personas.county_editor)
    text = "name,kind,place\nنقطه یک,billboard,کرج\nنقطه دو,rocket,کرج\n"
    response = client.post(
        reverse("field:site_import"),
        {"org": world.karaj_info.pk, "upload": SimpleUploadedFile("s.csv", text.encode())},
    )
    assert response.status_code == 302
    report_url = response["Location"]
    page = client.get(report_url).content.decode()
    assert "rocket" in page and 'data-testid="import-good"' in page
    assert client.post(report_url, {"mode": "all"}).status_code == 200
    assert Site.objects.count() == 0
    assert client.post(report_url, {"mode": "good"}).status_code == 302
    assert Site.objects.count() == 1 and SiteImport.objects.get().imported_count == 1
    # A broken file stays on the form with the error.
    bad = client.post(
        reverse("field:site_import"),
        {"org": world.karaj_info.pk, "upload": SimpleUploadedFile("s.xlsx", b"PK\x03\x04zz")},
    )
    assert bad.status_code == 200 and SiteImport.objects.count() == 1


def test_window_create_with_jalali_dates_and_placements(personas, world, client_for):
    editor = personas.county_editor
    s1, s2 = site(editor, world, name="الف"), site(editor, world, name="ب")
    design = approved_design(editor, world.karaj_info)
    client = client_for(editor)
    response = client.post(
        reverse("field:window_create"),
        {"org": world.karaj_info.pk, "name": "اسفند ۱۴۰۲", "starts_on": "۱۴۰۲/۱۲/۰۱", "ends_on": "1402/12/29",
         "target": "0", "recheck_days": "۷"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    from didban.field.models import Window

    win = Window.objects.get()
    assert str(win.starts_on) == "2024-02-20" and str(win.ends_on) == "2024-03-19"
    client.post(
        reverse("field:window_place", args=[win.pk]), {"design": design.pk, "sites": [s1.pk, s2.pk]}
    )
    assert win.placements.count() == 2
    client.post(reverse("field:window_plan", args=[win.pk]))
    assert win.placements.first().tasks.count() >= 2


def test_service_worker_scope_header_and_manifest(personas, client_for):
    client = client_for(personas.county_field_agent)
    sw = client.get(reverse("field:app_sw"))
    assert sw["Service-Worker-Allowed"] == "/field/"
    assert sw["Content-Type"].startswith("application/javascript")
    assert "/field/app/" in sw.content.decode()
    manifest = client.get(reverse("field:app_manifest")).json()
    assert manifest["start_url"] == "/field/app/" and manifest["dir"] == "rtl"


def test_home_panel_shows_coverage_and_the_agents_tasks(personas, campaign, rf):
    from django.template.loader import render_to_string

    from didban.field.home import panels

    request = rf.get("/")
    request.user = personas.county_field_agent
    [panel] = panels(request)
    assert (
        panel["context"]["open_tasks"]
        == campaign["placement"].tasks.filter(done_at__isnull=True).count()
    )
    html = render_to_string(panel["template"], {"panel": panel["context"]})
    assert campaign["window"].name in html and 'data-testid="open-tasks"' in html
    request.user = personas.outsider
    assert panels(request) == []


def test_site_form_with_photo_and_bad_coordinates(personas, world, client_for):
    from didban.field.tests.helpers import city

    place = city(world)
    client = client_for(personas.county_editor)
    data = {"org": world.karaj_info.pk, "name": "بنر میدان", "kind": "banner", "place": place.pk,
            "latitude": "35.8", "longitude": "", "is_active": "on"}  # fmt: skip
    assert client.post(reverse("field:site_create"), data).status_code == 200
    assert Site.objects.count() == 0
    data["longitude"] = "50.9"
    response = client.post(reverse("field:site_create"), {**data, "photo": jpeg()})
    assert response.status_code == 302
    created = Site.objects.get()
    assert created.photo and created.area == "city"
    assert client.get(reverse("field:site_photo", args=[created.pk])).status_code == 200
    assert (
        client_for(personas.outsider)
        .get(reverse("field:site_photo", args=[created.pk]))
        .status_code
        == 404
    )
