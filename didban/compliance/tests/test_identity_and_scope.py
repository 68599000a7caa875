"""Who reported is hidden from roles that do not need it; the outsider is refused everywhere."""

from __future__ import annotations

import pytest

from didban.compliance.models import Violation
from didban.core.roles import Role
from didban.testing import member

from .factories import citizen_report, field_report

PHONE = "09121234567"


@pytest.fixture
def reports(personas, election):
    return (
        citizen_report(election, name="رضا شهروند", phone=PHONE),
        field_report(personas.county_field_agent, election),
    )


@pytest.mark.django_db
def test_supervisor_sees_citizen_contact_in_html_and_api(personas, reports, client_for):
    citizen, _field = reports
    client = client_for(personas.county_supervisor)
    assert PHONE in client.get(f"/compliance/violations/{citizen.pk}/").content.decode()
    data = client.get(f"/api/v1/compliance/violations/{citizen.pk}/").json()
    assert data["reporter"]["phone"] == PHONE


@pytest.mark.django_db
def test_viewer_and_hq_editor_do_not_see_who_reported(personas, reports, client_for, world):
    citizen, field = reports
    editor = member(Role.EDITOR, world.karaj, username="karaj.hq.editor")
    for user in (personas.county_viewer, editor):
        client = client_for(user)
        for v in (citizen, field):
            page = client.get(f"/compliance/violations/{v.pk}/").content.decode()
            assert PHONE not in page and "رضا شهروند" not in page
            assert "karaj.field" not in page
            api = client.get(f"/api/v1/compliance/violations/{v.pk}/").json()
            assert api["reporter"] is None
        listing = client.get("/api/v1/compliance/violations/?status=all").json()
        assert all(item["reporter"] is None for item in listing["results"])
        assert PHONE not in str(listing)


@pytest.mark.django_db
def test_the_public_status_page_shows_no_identity(client, reports):
    citizen, _ = reports
    page = client.get(f"/compliance/status/{citizen.tracking_code}/").content.decode()
    assert PHONE not in page and "رضا شهروند" not in page


@pytest.mark.django_db
def test_outsider_is_refused_on_every_view_and_endpoint(personas, reports, election, client_for):
    citizen, field = reports
    client = client_for(personas.outsider)
    for v in (citizen, field):
        assert client.get(f"/compliance/violations/{v.pk}/").status_code == 404
        assert (
            client.post(f"/compliance/violations/{v.pk}/act/", {"action": "take"}).status_code
            == 404
        )
        assert client.get(f"/api/v1/compliance/violations/{v.pk}/").status_code == 404
        assert client.post(f"/api/v1/compliance/violations/{v.pk}/transition/",
                           {"action": "take"}).status_code == 404  # fmt: skip
    assert client.get(f"/compliance/elections/{election.pk}/").status_code == 404
    assert (
        client.post(
            f"/compliance/elections/{election.pk}/", {"form": "list", "list-name": "x"}
        ).status_code
        == 404
    )
    desk = client.get("/compliance/?status=all")
    assert desk.status_code == 200
    assert str(citizen.description) not in desk.content.decode()
    assert client.get("/api/v1/compliance/violations/?status=all").json()["count"] == 0
    assert "majlis-1402" not in client.get("/compliance/elections/").content.decode()
    # Bulk on Karaj reports changes nothing.
    client.post("/compliance/", {"ids": [citizen.pk, field.pk], "action": "dismiss", "reason": "x"})
    assert set(Violation.objects.values_list("status", flat=True)) == {"received"}


@pytest.mark.django_db
def test_staff_pages_need_login(client, election):
    for url in ("/compliance/", "/compliance/report/", "/compliance/elections/",
                f"/compliance/elections/{election.pk}/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_a_role_without_the_permission_gets_403(personas, client_for):
    client = client_for(personas.county_pr_officer)
    assert client.get("/compliance/").status_code == 403
    assert client.get("/compliance/report/").status_code == 403


@pytest.mark.django_db
def test_the_desk_org_filter_names_only_an_organisation_in_scope(
    personas, reports, world, client_for
):
    """?org= of another county is ignored: its name never shows in the filter badge."""
    url = f"/compliance/?status=all&org={world.karaj.pk}"
    own = client_for(personas.county_supervisor).get(url).content.decode()
    assert 'data-testid="org-filter"' in own
    outsider = client_for(personas.outsider).get(url)
    assert outsider.status_code == 200
    assert 'data-testid="org-filter"' not in outsider.content.decode()
