"""The field app's endpoint: POST /api/v1/compliance/violations/, idempotent by client_uuid."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from didban.compliance.models import RuleCategory, Violation, ViolationPhoto

from .conftest import jpeg

URL = "/api/v1/compliance/violations/"


def body(client_uuid, **extra):
    data = {
        "client_uuid": str(client_uuid),
        "description": "پوستر نامزد روی دیوار مسجد جامع",
        "rule_category": RuleCategory.RELIGIOUS_PLACES,
        "latitude": "35.832660",
        "longitude": "50.991550",
        "accuracy_m": "12",
        "observed_at": "2024-02-25T10:30:00+03:30",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_creates_a_report_with_201(personas, election, candidates, client_for):
    client = client_for(personas.county_field_agent)
    key = uuid.uuid4()
    response = client.post(
        URL, body(key, candidate=str(candidates[0].pk), place=str(election.org.place_id),
                  photo=jpeg()),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    row = Violation.objects.get()
    assert data["id"] == row.pk and data["status"] == "received"
    assert row.reporter == personas.county_field_agent
    assert row.client_uuid == key
    assert row.candidate == candidates[0]
    assert row.source == Violation.Source.FIELD
    assert row.photos.count() == 1


@pytest.mark.django_db
def test_identical_resubmission_returns_the_first_result(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    key = uuid.uuid4()
    first = client.post(URL, body(key, photo=jpeg()))
    again = client.post(URL, body(key, photo=jpeg()))
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Violation.objects.count() == 1
    assert ViolationPhoto.objects.count() == 1


@pytest.mark.django_db
def test_changed_content_under_the_same_id_is_409(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    key = uuid.uuid4()
    assert client.post(URL, body(key)).status_code == 201
    response = client.post(URL, body(key, description="متن دیگری"), HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "شناسه" in error["message"]  # translated
    assert Violation.objects.count() == 1


@pytest.mark.django_db
def test_the_same_id_from_two_reporters_is_two_reports(personas, election, client_for):
    key = uuid.uuid4()
    assert client_for(personas.county_field_agent).post(URL, body(key)).status_code == 201
    assert client_for(personas.county_supervisor).post(URL, body(key)).status_code == 201
    assert Violation.objects.count() == 2


@pytest.mark.django_db
def test_client_uuid_is_required_and_must_be_a_uuid(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    data = body("x")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "client_uuid" in response.json()["error"]["fields"]
    del data["client_uuid"]
    assert client.post(URL, data).status_code == 400
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_a_text_file_named_jpg_is_refused_with_a_translated_error(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    fake = SimpleUploadedFile("evidence.jpg", b"this is not a photo", content_type="image/jpeg")
    response = client.post(URL, body(uuid.uuid4(), photo=fake), HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["photo"][0]
    assert "evidence.jpg" in message and "عکس" in message
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_an_oversized_photo_is_refused(personas, election, client_for, settings):
    settings.COMPLIANCE_MAX_PHOTO_BYTES = 100
    client = client_for(personas.county_field_agent)
    response = client.post(URL, body(uuid.uuid4(), photo=jpeg()))
    assert response.status_code == 400
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_photos_are_stored_without_exif(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    response = client.post(
        URL, body(uuid.uuid4(), photos=[jpeg("a.jpg", exif_gps=True), jpeg("b.jpg")])
    )
    assert response.status_code == 201
    photos = list(ViolationPhoto.objects.all())
    assert len(photos) == 2
    for photo in photos:
        with Image.open(photo.image.path) as image:
            assert image.format == "JPEG"
            assert not dict(image.getexif())


@pytest.mark.django_db
def test_bearer_token_auth_works(personas, election, client):
    from didban.api.actions import do_issue_api_token

    issued = do_issue_api_token(actor=personas.county_field_agent, name="phone")
    key = issued[1] if isinstance(issued, tuple) else issued.key
    response = client.post(URL, body(uuid.uuid4()), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201


@pytest.mark.django_db
def test_anonymous_is_refused(client, election):
    assert client.post(URL, body(uuid.uuid4())).status_code in (401, 403)
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_outsider_cannot_file_into_karaj(personas, election, client_for):
    client = client_for(personas.outsider)
    response = client.post(URL, body(uuid.uuid4(), election=str(election.pk)))
    assert response.status_code == 404
    assert client.post(URL, body(uuid.uuid4())).status_code == 400  # no election of theirs
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_a_candidate_of_another_election_is_refused(
    personas, election, fardis_election, client_for
):
    from didban.compliance.models import Candidate

    other = Candidate.objects.create(election=fardis_election, name="نامزد فردیس")
    client = client_for(personas.county_field_agent)
    response = client.post(URL, body(uuid.uuid4(), candidate=str(other.pk)))
    assert response.status_code == 400
    assert "candidate" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_report_in_the_silence_period_is_suggested_that_category(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    response = client.post(
        URL, body(uuid.uuid4(), rule_category="", observed_at="2024-02-29T21:00:00+03:30")
    )
    assert response.json()["suggested_category"] == RuleCategory.SILENCE_PERIOD
    early = client.post(
        URL, body(uuid.uuid4(), rule_category="", observed_at="2024-02-10T12:00:00+03:30")
    )
    assert early.json()["suggested_category"] == RuleCategory.TIME_LIMIT
    inside = client.post(URL, body(uuid.uuid4(), observed_at="2024-02-25T12:00:00+03:30"))
    assert inside.json()["suggested_category"] == ""
