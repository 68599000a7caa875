"""Check-ins against the real server under concurrent clients, on SQLite and on PostgreSQL.

`didban serve` (uvicorn, ASGI, two worker processes) runs in a subprocess on this test's
database — the test database itself on PostgreSQL, a file copy of it on SQLite (WAL, as in
production; the in-memory test database cannot be shared by several processes) — and real HTTP
clients in threads post multipart check-ins with photos and API tokens:

- 20 parallel uploads of one submission id → one row, one 201 and nineteen 200s with its id;
- 1,000 distinct submissions from 50 concurrent clients → 1,000 rows, none lost or doubled.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from didban.accounts.models import Membership, User
from didban.api.actions import do_issue_api_token
from didban.core.roles import Role
from didban.field import actions
from didban.field.models import Placement, Site
from didban.field.tests.helpers import approved_design, jpeg_bytes, site, window
from didban.lib.served import serve_this_database, server_rows

pytestmark = pytest.mark.django_db(transaction=True)

TEHRAN = ZoneInfo("Asia/Tehran")
WHEN = datetime(2024, 2, 1, 10, 0, tzinfo=TEHRAN)
URL = "/api/v1/field/checkins/"


def payload(placement_id: int, key: str, note: str = "نصب شد") -> dict:
    return {
        "placement": str(placement_id), "to_state": "installed", "client_uuid": key,
        "client_time": WHEN.isoformat(), "latitude": "35.832660", "longitude": "50.991550",
        "accuracy_m": "12", "note": note,
    }  # fmt: skip


def run_threads(targets) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_twenty_parallel_uploads_of_one_submission_make_one_row(personas, world, tmp_path):
    editor = personas.county_editor
    placement = actions.do_create_placement(
        actor=editor, window=window(editor, world), site=site(editor, world),
        design=approved_design(editor, world.karaj_info),
    )  # fmt: skip
    _token, key = do_issue_api_token(actor=personas.county_field_agent, name="phone")
    client_uuid = str(uuid.uuid4())
    photo = jpeg_bytes(taken=WHEN, size=(640, 480))
    barrier = threading.Barrier(20)
    answers, errors, lock = [], [], threading.Lock()

    def send():
        try:
            with httpx.Client(base_url=server.url, timeout=120) as http:
                barrier.wait()
                response = http.post(
                    URL, data=payload(placement.pk, client_uuid),
                    files={"photo": ("p.jpg", photo, "image/jpeg")},
                    headers={"Authorization": f"Bearer {key}"},
                )  # fmt: skip
            with lock:
                answers.append((response.status_code, response.json()))
        except Exception as exc:  # reported below
            with lock:
                errors.append(exc)

    with serve_this_database(tmp_path, workers=2) as server:
        run_threads([send] * 20)

    assert not errors, errors
    assert sorted(code for code, _ in answers) == [200] * 19 + [201], answers
    assert len({body["id"] for _, body in answers}) == 1
    rows = server_rows(
        tmp_path, "SELECT id, to_state FROM field_checkin WHERE client_uuid = ?",
        (client_uuid.replace("-", ""),) if _sqlite() else (client_uuid,),
    )  # fmt: skip
    assert rows == [(answers[0][1]["id"], "installed")]
    assert server_rows(tmp_path, "SELECT COUNT(*) FROM field_checkin") == [(1,)]
    assert server_rows(
        tmp_path, "SELECT state FROM field_placement WHERE id = ?", (placement.pk,)
    ) == [("installed",)]
    # One audit entry for the one check-in, and the chain still links.
    assert server_rows(
        tmp_path, "SELECT COUNT(*) FROM core_auditentry WHERE verb = 'placement.checkin'"
    ) == [(1,)]


def test_thousand_distinct_submissions_from_fifty_clients(personas, world, tmp_path):
    editor = personas.county_editor
    win = window(editor, world)
    design = approved_design(editor, world.karaj_info)
    first = site(editor, world)
    # Set-up rows in bulk (the check-ins below are what is tested).
    sites = Site.objects.bulk_create(
        [Site(org=first.org, name=f"نقطه {i}", name_norm=f"نقطه {i}", kind="wall", place=first.place,
              area=first.area, latitude=first.latitude, longitude=first.longitude) for i in range(1000)]
    )  # fmt: skip
    placements = Placement.objects.bulk_create(
        [Placement(org=first.org, window=win, site=s, design=design) for s in sites]
    )
    keys = []
    for i in range(50):
        agent = User.objects.create_user(f"karaj.field.{i}", password=None)
        Membership.objects.create(user=agent, org=world.karaj, role=Role.FIELD_AGENT)
        keys.append(do_issue_api_token(actor=agent, name="phone")[1])
    photo = jpeg_bytes(taken=WHEN, size=(320, 240))
    answers, errors, lock = [], [], threading.Lock()

    def client(i):
        def run():
            try:
                with httpx.Client(base_url=server.url, timeout=120) as http:
                    for placement in placements[i::50]:
                        response = http.post(
                            URL, data=payload(placement.pk, str(uuid.uuid4())),
                            files={"photo": ("p.jpg", photo, "image/jpeg")},
                            headers={"Authorization": f"Bearer {keys[i]}"},
                        )  # fmt: skip
                        with lock:
                            answers.append((response.status_code, response.json()))
            except Exception as exc:  # reported below
                with lock:
                    errors.append(exc)

        return run

    with serve_this_database(tmp_path, workers=2) as server:
        run_threads([client(i) for i in range(50)])

    assert not errors, errors
    codes = [code for code, _ in answers]
    assert codes.count(201) == 1000, {code: codes.count(code) for code in set(codes)}
    ids = {body["id"] for _, body in answers}
    assert len(ids) == 1000
    assert server_rows(tmp_path, "SELECT COUNT(*), COUNT(DISTINCT placement_id) FROM field_checkin") == [(1000, 1000)]  # fmt: skip
    assert server_rows(
        tmp_path, "SELECT COUNT(*) FROM field_placement WHERE state = 'installed'"
    ) == [(1000,)]
    stored = {row[0] for row in server_rows(tmp_path, "SELECT id FROM field_checkin")}
    assert stored == ids


def _sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"
