"""The check-in endpoint: multipart with a photo, idempotent by client id (field or header),
409 for other content under the same id, clear 400s for bad input."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from didban.field import actions
from didban.field.models import CheckIn
from didban.field.tests.helpers import approved_design, jpeg, site, window

TEHRAN = ZoneInfo("Asia/Tehran")
WHEN = datetime(2024, 2, 1, 10, 0, tzinfo=TEHRAN)
URL = "/api/v1/field/checkins/"


@pytest.fixture
def placement(personas, world):
    editor = personas.county_editor
    return actions.do_create_placement(
        actor=editor, window=window(editor, world), site=site(editor, world),
        design=approved_design(editor, world.karaj_info),
    )  # fmt: skip


def payload(placement, key, **extra):
    data = {
        "placement": placement.pk, "to_state": "installed", "client_uuid": str(key),
        "client_time": WHEN.isoformat(), "latitude": "35.832660", "longitude": "50.991550",
        "accuracy_m": "12", "note": "نصب شد",
    }  # fmt: skip
    data.update(extra)
    return data


def photo():
    return jpeg(taken=WHEN)


def stored_photos(root) -> list[str]:
    folder = root / "field" / "checkins"
    return sorted(f"field/checkins/{p.name}" for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db
def test_submit_twice_is_one_row_and_200(personas, placement, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.county_field_agent)
    key = uuid.uuid4()
    first = client.post(URL, {**payload(placement, key), "photo": photo()})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["state"] == "installed" and body["flags"] == [] and body["id"]
    again = client.post(URL, {**payload(placement, key), "photo": photo()})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert CheckIn.objects.count() == 1
    # The photo of the resubmission is not left behind: one file, the first check-in's.
    assert stored_photos(tmp_path) == [CheckIn.objects.get().photo.name]


@pytest.mark.django_db
def test_header_key_and_conflict(personas, placement, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.county_field_agent)
    key = uuid.uuid4()
    data = payload(placement, key)
    del data["client_uuid"]
    assert (
        client.post(
            URL, {**data, "photo": photo()}, headers={"X-Client-UUID": str(key)}
        ).status_code
        == 201
    )
    other = client.post(URL, {**payload(placement, key, note="چیز دیگر"), "photo": photo()})
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "conflict" and other.json()["error"]["message"]
    assert CheckIn.objects.count() == 1
    assert stored_photos(tmp_path) == [CheckIn.objects.get().photo.name]


@pytest.mark.django_db
def test_bad_input_is_a_clear_400(personas, placement, client_for):
    client = client_for(personas.county_field_agent)
    from django.core.files.uploadedfile import SimpleUploadedFile

    cases = [
        {**payload(placement, "not-a-uuid"), "photo": photo()},
        {**payload(placement, uuid.uuid4(), to_state="flying"), "photo": photo()},
        {**payload(placement, uuid.uuid4(), latitude="99"), "photo": photo()},
        {
            **payload(placement, uuid.uuid4()),
            "photo": SimpleUploadedFile("p.jpg", b"GIF89a not really"),
        },
        payload(placement, uuid.uuid4()),  # no photo
        {
            **payload(placement, uuid.uuid4(), to_state="verified"),
            "photo": photo(),
        },  # not allowed yet
        {**payload(placement, uuid.uuid4(), client_time="yesterday"), "photo": photo()},
    ]
    for data in cases:
        response = client.post(URL, data)
        assert response.status_code == 400, (data, response.content)
        assert response.json()["error"]["fields"]
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db
def test_agent_bundle_lists_tasks_with_sites_and_designs(personas, placement, client_for):
    actions.do_plan_window(actor=personas.county_editor, window=placement.window)
    data = client_for(personas.county_field_agent).get("/api/v1/field/agent/").json()
    assert len(data["tasks"]) == placement.tasks.count()
    assert data["placements"][0]["next_states"] == ["dispatched", "installed"]
    assert data["sites"][0]["name"] == placement.site.name
    assert data["designs"][0]["thumbnail_url"].endswith("/thumb/")


# Parallel uploads of one submission, and 1,000 submissions from 50 clients, against the real
# server on SQLite and PostgreSQL: test_served_concurrency.py.
