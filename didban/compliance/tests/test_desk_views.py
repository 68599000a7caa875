"""The desk's pages: list with filters, detail, transitions over htmx, bulk, the field form."""

from __future__ import annotations

import uuid

import pytest

from didban.compliance.models import Election, Violation

from .factories import field_report


@pytest.mark.django_db
def test_desk_lists_filters_and_moves_a_case(personas, election, client_for):
    v = field_report(personas.county_field_agent, election, text="پوستر روی دیوار اداره")
    client = client_for(personas.county_supervisor)
    page = client.get("/compliance/")
    assert page.status_code == 200 and "پوستر روی دیوار اداره" in page.content.decode()
    assert (
        "پوستر"
        not in client.get("/compliance/?status=resolved").content.decode().split("<tbody>")[1]
    )
    partial = client.get("/compliance/?q=اداره", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    url = f"/compliance/violations/{v.pk}/act/"
    r = client.post(url, {"action": "categorise", "category": "public_property"},
                    HTTP_HX_REQUEST="true")  # fmt: skip
    assert r.status_code == 200 and 'data-status="categorised"' in r.content.decode()
    r = client.post(url, {"action": "dismiss"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "دلیل" in r.content.decode()
    client.post(url, {"action": "verify"})
    client.post(url, {"action": "refer", "board": "supervisory", "deadline": "1500/01/01 10:00"})
    v.refresh_from_db()
    assert v.status == Violation.Status.REFERRED and v.referred_to == "supervisory"


@pytest.mark.django_db
def test_bulk_dismiss_duplicates_from_the_desk(personas, election, client_for):
    a, b, c = (field_report(personas.county_field_agent, election) for _ in range(3))
    client = client_for(personas.county_supervisor)
    r = client.post("/compliance/", {"ids": [b.pk, c.pk, a.pk], "action": "dismiss",
                                      "duplicate_of": a.pk})  # fmt: skip
    assert r.status_code == 302
    assert set(
        Violation.objects.filter(duplicate_of=a, status="dismissed").values_list("pk", flat=True)
    ) == {b.pk, c.pk}
    assert Violation.objects.get(pk=a.pk).status == "received"


@pytest.mark.django_db
def test_field_agent_form_files_once_per_page(personas, election, client_for):
    client = client_for(personas.county_field_agent)
    form = client.get("/compliance/report/")
    assert form.status_code == 200
    key = str(uuid.uuid4())
    values = {"client_uuid": key, "election": election.pk, "description": "پوستر روی تیر چراغ",
              "rule_category": "defacing", "observed_at": "1402/12/05 10:00"}  # fmt: skip
    assert client.post("/compliance/report/", values).status_code == 302
    assert client.post("/compliance/report/", values).status_code == 302
    assert Violation.objects.count() == 1
    v = Violation.objects.get()
    assert v.observed_at.isoformat().startswith("2024-02-24T06:30")


@pytest.mark.django_db
def test_manage_election_rules_and_candidates(personas, election, client_for):
    client = client_for(personas.county_supervisor)
    url = f"/compliance/elections/{election.pk}/"
    assert client.post(url, {"form": "rule", "rule-article": "ماده ۶۶", "rule-title": "سکوت",
                             "rule-text": "ممنوعیت تبلیغ", "rule-category": "silence_period",
                             "rule-order": "2"}).status_code == 302  # fmt: skip
    assert client.post(url, {"form": "candidate", "candidate-name": "حسن کاوه",
                             "candidate-code": "4321"}).status_code == 302  # fmt: skip
    r = client.post(url, {"form": "candidate", "candidate-name": "دیگری", "candidate-code": "4321"})
    assert r.status_code == 200 and "همین کد" in r.content.decode()
    assert election.rules.count() == 2 and election.candidates.count() == 1
    viewer = client_for(personas.county_viewer)
    assert viewer.post(url, {"form": "list", "list-name": "x"}).status_code == 403
    r = client_for(personas.county_supervisor).post(
        "/compliance/elections/", {"name": "انتخابات میان‌دوره‌ای", "slug": "mid-1403",
                                   "election_day": "1403/04/08", "org": personas.county_supervisor.memberships.first().org_id,
                                   "is_public": "on"})  # fmt: skip
    assert r.status_code == 302 and Election.objects.filter(slug="mid-1403").exists()


@pytest.mark.django_db
def test_home_shows_the_panel(personas, election, client_for):
    field_report(personas.county_field_agent, election)
    page = client_for(personas.county_supervisor).get("/").content.decode()
    assert 'data-testid="compliance-panel"' in page
