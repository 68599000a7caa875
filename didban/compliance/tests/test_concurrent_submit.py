"""Parallel sends of one field submission make exactly one report (PostgreSQL).

Ten clients post the same `client_uuid` with the same content and photo at the same moment,
over real HTTP to the live server, with a bearer token; the database's unique constraint
decides and every answer carries the winner's id.
"""

from __future__ import annotations

import io
import threading
import uuid

import httpx
import pytest
from django.db import connection
from PIL import Image

from didban.compliance.models import Violation, ViolationEvent, ViolationPhoto

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/compliance/violations/"
SENDERS = 10


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises every write, so parallel inserts never race; "
            "run with DATABASE_URL=postgres://…"
        )


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 150), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def test_ten_parallel_sends_of_one_submission_make_one_row(live_server, personas, election):
    from didban.api.actions import do_issue_api_token

    _token, key = do_issue_api_token(actor=personas.county_field_agent, name="phone")
    client_uuid = str(uuid.uuid4())
    fields = {
        "client_uuid": client_uuid,
        "election": str(election.pk),
        "description": "بنر نامزد روی پل عابر پیاده، بلوار جمهوری",
        "rule_category": "public_property",
        "latitude": "35.832100",
        "longitude": "50.991500",
        "accuracy_m": "12",
        "observed_at": "2024-02-25T10:15:00+03:30",
    }
    photo = photo_bytes()
    barrier = threading.Barrier(SENDERS)
    answers: list[tuple[int, dict]] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def send():
        try:
            with httpx.Client(base_url=live_server.url, timeout=60) as client:
                barrier.wait()
                response = client.post(
                    URL, data=fields, files={"photo": ("wall.jpg", photo, "image/jpeg")},
                    headers={"Authorization": f"Bearer {key}"},
                )  # fmt: skip
            with lock:
                answers.append((response.status_code, response.json()))
        except Exception as exc:  # reported below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert len(answers) == SENDERS
    codes = sorted(code for code, _body in answers)
    assert codes == [200] * (SENDERS - 1) + [201], answers
    ids = {body["id"] for _code, body in answers}
    assert len(ids) == 1, answers
    assert {body["tracking_code"] for _code, body in answers} != {""}
    assert len({body["tracking_code"] for _code, body in answers}) == 1

    rows = Violation.objects.filter(client_uuid=client_uuid)
    assert rows.count() == 1
    violation = rows.get()
    assert violation.pk == ids.pop()
    assert violation.reporter == personas.county_field_agent
    assert ViolationPhoto.objects.filter(violation=violation).count() == 1
    assert ViolationEvent.objects.filter(violation=violation).count() == 1
    assert Violation.objects.count() == 1


def test_a_parallel_send_with_other_content_is_refused(live_server, personas, election):
    """Five send one content, five another, under the same id: one row, the others 409."""
    from didban.api.actions import do_issue_api_token

    _token, key = do_issue_api_token(actor=personas.county_field_agent, name="phone")
    client_uuid = str(uuid.uuid4())
    barrier = threading.Barrier(SENDERS)
    answers: list[tuple[int, str, dict]] = []
    lock = threading.Lock()

    def send(text):
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            barrier.wait()
            response = client.post(
                URL, data={"client_uuid": client_uuid, "description": text,
                           "election": str(election.pk)},
                headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"},
            )  # fmt: skip
        with lock:
            answers.append((response.status_code, text, response.json()))

    texts = ["پوستر روی دیوار مسجد"] * 5 + ["پوستر روی دیوار مدرسه"] * 5
    threads = [threading.Thread(target=send, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == SENDERS
    violation = Violation.objects.get(client_uuid=client_uuid)
    assert Violation.objects.count() == 1
    for code, text, body in answers:
        if text == violation.description:
            assert code in (200, 201) and body["id"] == violation.pk, body
        else:
            assert code == 409, body
            assert body["error"]["code"] == "conflict"
            assert "different report" in body["error"]["message"]
    assert sum(code == 201 for code, _text, _body in answers) == 1
