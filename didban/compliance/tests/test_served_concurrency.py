"""Violation reports against the real server under concurrent clients, SQLite and PostgreSQL.

`didban serve` (uvicorn, ASGI, two worker processes) runs in a subprocess on this test's
database — the test database itself on PostgreSQL, a file copy of it on SQLite (WAL, as in
production) — and real HTTP clients in threads post multipart reports with photos and API
tokens, as the field app's outbox does:

- 20 parallel sends of one submission id → one report, one photo, one history event;
- 1,000 distinct reports from 50 concurrent clients → 1,000 rows, none lost or doubled.
"""

from __future__ import annotations

import io
import threading
import uuid

import httpx
import pytest
from PIL import Image

from didban.accounts.models import Membership, User
from didban.api.actions import do_issue_api_token
from didban.core.roles import Role
from didban.lib.served import serve_this_database, server_rows

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/compliance/violations/"


def photo_bytes(size=(320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def fields(election, client_uuid: str, description: str) -> dict:
    return {
        "client_uuid": client_uuid, "election": str(election.pk), "description": description,
        "rule_category": "public_property", "latitude": "35.832100", "longitude": "50.991500",
        "accuracy_m": "12", "observed_at": "2024-02-25T10:15:00+03:30",
    }  # fmt: skip


def run_threads(targets) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _uuid_param(value: str) -> str:
    from django.db import connection

    return value.replace("-", "") if connection.vendor == "sqlite" else value


def test_twenty_parallel_sends_of_one_report_make_one_row(personas, election, tmp_path):
    _token, key = do_issue_api_token(actor=personas.county_field_agent, name="phone")
    client_uuid = str(uuid.uuid4())
    photo = photo_bytes((640, 480))
    barrier = threading.Barrier(20)
    answers, errors, lock = [], [], threading.Lock()

    def send():
        try:
            with httpx.Client(base_url=server.url, timeout=120) as http:
                barrier.wait()
                response = http.post(
                    URL, data=fields(election, client_uuid, "بنر نامزد روی پل عابر پیاده"),
                    files={"photo": ("wall.jpg", photo, "image/jpeg")},
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
    ids = {body["id"] for _, body in answers}
    assert len(ids) == 1
    violation_id = ids.pop()
    assert server_rows(
        tmp_path, "SELECT id FROM compliance_violation WHERE client_uuid = ?",
        (_uuid_param(client_uuid),),
    ) == [(violation_id,)]  # fmt: skip
    assert server_rows(tmp_path, "SELECT COUNT(*) FROM compliance_violation") == [(1,)]
    assert server_rows(tmp_path, "SELECT COUNT(*) FROM compliance_violationphoto") == [(1,)]
    assert server_rows(tmp_path, "SELECT COUNT(*) FROM compliance_violationevent") == [(1,)]


def test_thousand_distinct_reports_from_fifty_clients(world, election, tmp_path):
    keys = []
    for i in range(50):
        agent = User.objects.create_user(f"karaj.observer.{i}", password=None)
        Membership.objects.create(user=agent, org=world.karaj, role=Role.FIELD_AGENT)
        keys.append(do_issue_api_token(actor=agent, name="phone")[1])
    photo = photo_bytes()
    answers, errors, lock = [], [], threading.Lock()

    def client(i):
        def run():
            try:
                with httpx.Client(base_url=server.url, timeout=120) as http:
                    for n in range(20):
                        response = http.post(
                            URL,
                            data=fields(election, str(uuid.uuid4()), f"پوستر شماره {i}-{n} روی دیوار مدرسه"),
                            files={"photo": ("wall.jpg", photo, "image/jpeg")},
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
    stored = {row[0] for row in server_rows(tmp_path, "SELECT id FROM compliance_violation")}
    assert stored == ids
    assert server_rows(
        tmp_path, "SELECT COUNT(*), COUNT(DISTINCT violation_id) FROM compliance_violationphoto"
    ) == [(1000, 1000)]
