"""The monitoring API: the same scope and actions as the pages."""

import pytest
from django.utils import timezone

from didban.monitoring.actions import do_ingest_entries, do_save_topic
from didban.monitoring.extract import Entry
from didban.monitoring.models import TopicHit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, personas, make_source):
    source = make_source("/archive", kind="local", name="منبع کرج")
    do_save_topic(actor=personas.county_analyst, org=world.karaj_info, name="کرج", rule="کرج")
    do_ingest_entries(actor=None, source=source, entries=[
        Entry(url="http://x.ir/1", title="خبر كرج", text="ستاد انتخابات كرج اطلاعیه داد. " * 5,
              published_at=timezone.now())
    ])  # fmt: skip
    return TopicHit.objects.get()


def test_sources_and_search_are_scoped(client_for, personas, data):
    analyst = client_for(personas.county_analyst)
    assert analyst.get("/api/v1/monitoring/sources/").json()["count"] == 1
    found = analyst.get("/api/v1/monitoring/articles/", {"q": "کرج"}).json()
    assert found["count"] == 1 and "<mark>" in found["results"][0]["snippet"]
    bad = analyst.get("/api/v1/monitoring/articles/", {"q": "کرج AND"})
    assert bad.status_code == 400 and "q" in bad.json()["error"]["fields"]
    outsider = client_for(personas.outsider)
    assert outsider.get("/api/v1/monitoring/sources/").json()["count"] == 0
    assert outsider.get("/api/v1/monitoring/articles/", {"q": "کرج"}).json()["count"] == 0


def test_topic_validation_gives_message_and_column(client_for, personas):
    analyst = client_for(personas.county_analyst)
    response = analyst.post(
        "/api/v1/monitoring/topics/validate/", {"rule": "(کرج OR"}, content_type="application/json"
    )
    assert response.json()["valid"] is False and response.json()["column"] == 8
    response = analyst.post(
        "/api/v1/monitoring/topics/validate/", {"rule": "کرج"}, content_type="application/json"
    )
    assert response.json() == {"valid": True, "message": "", "column": None}


def test_hit_review_through_the_api_and_the_outsider_refused(client_for, personas, data):
    analyst = client_for(personas.county_analyst)
    assert analyst.get("/api/v1/monitoring/hits/", {"state": "new"}).json()["count"] == 1
    response = analyst.post(f"/api/v1/monitoring/hits/{data.pk}/review/",
                            {"state": "confirmed", "tone": "neutral"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    outsider = client_for(personas.outsider)
    assert outsider.get("/api/v1/monitoring/hits/").status_code == 403
    response = outsider.post(f"/api/v1/monitoring/hits/{data.pk}/review/", {"state": "dismissed"},
                             content_type="application/json")  # fmt: skip
    assert response.status_code in (403, 404)
    data.refresh_from_db()
    assert data.state == "confirmed"
