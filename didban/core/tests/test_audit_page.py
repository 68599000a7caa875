"""The audit log page: for admins and supervisors only (an editor gets 403), scoped to their
subtree; filters by organisation, actor, action and a Jalali date range typed in Persian digits;
older entries load as an htmx partial; CSV export with a BOM, Persian text and a Jalali column;
a detail page with before/after."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from didban.core import audit
from didban.core.roles import Role
from didban.core.views import AUDIT_PAGE_SIZE
from didban.testing import member

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")


def write(actor, verb, org, *, when=None, repr_="", before=None, after=None):
    def go():
        with transaction.atomic():
            return audit.record(actor=actor, verb=verb, org=org, object_repr=repr_,
                                before=before, after=after)  # fmt: skip

    if when is None:
        return go()
    with time_machine.travel(when, tick=False):
        return go()


@pytest.fixture
def entries(world, personas):
    admin = personas.county_admin
    write(admin, "organization.update", world.karaj_info, repr_="کمیته اطلاع‌رسانی کرج",
          when=datetime(2026, 11, 25, 12, tzinfo=TEHRAN), before={"name": "قدیم"}, after={"name": "جدید"})  # fmt: skip
    write(admin, "user.create", world.karaj, repr_="زهرا محمدی",
          when=datetime(2026, 11, 26, 9, tzinfo=TEHRAN))  # fmt: skip
    write(personas.province_supervisor, "membership.end", world.karaj_municipality,
          repr_="پایان نقش", when=datetime(2026, 11, 26, 23, 30, tzinfo=TEHRAN))  # fmt: skip
    write(admin, "organization.create", world.karaj, repr_="فردا",
          when=datetime(2026, 11, 27, 0, 15, tzinfo=TEHRAN))  # fmt: skip
    write(admin, "organization.update", world.fardis_info, repr_="فردیس محرمانه",
          when=datetime(2026, 11, 26, 10, tzinfo=TEHRAN))  # fmt: skip


def reprs(response) -> set[str]:
    """What the page lists, leaving out the test client's own login entries."""
    return {e.object_repr for e in response.context["entries"] if e.verb != "user.login"}


def test_editor_and_outsider_get_403(client_for, world, personas, entries):
    for persona in (personas.county_editor, personas.outsider, personas.county_viewer):
        client = client_for(persona)
        assert client.get(reverse("core:audit_list")).status_code == 403
        assert client.get(reverse("core:audit_export")).status_code == 403
        assert client.get(reverse("core:audit_detail", args=[1])).status_code == 403


def test_county_supervisor_sees_karaj_entries_only(client_for, world, personas, entries):
    response = client_for(personas.county_supervisor).get(reverse("core:audit_list"))
    assert response.status_code == 200
    assert reprs(response) >= {"کمیته اطلاع‌رسانی کرج", "زهرا محمدی", "پایان نقش", "فردا"}
    assert "فردیس محرمانه" not in reprs(response)


def test_fardis_supervisor_gets_404_for_a_karaj_entry(client_for, world, personas, entries):
    fardis_supervisor = member(Role.SUPERVISOR, world.fardis, username="fardis.supervisor")
    client = client_for(fardis_supervisor)
    karaj_entry = audit.AuditEntry.objects.get(object_repr="زهرا محمدی")
    assert client.get(reverse("core:audit_detail", args=[karaj_entry.seq])).status_code == 404
    fardis_entry = audit.AuditEntry.objects.get(object_repr="فردیس محرمانه")
    assert client.get(reverse("core:audit_detail", args=[fardis_entry.seq])).status_code == 200
    assert reprs(client.get(reverse("core:audit_list"))) == {"فردیس محرمانه"}


def test_province_supervisor_sees_both_counties(client_for, personas, entries):
    response = client_for(personas.province_supervisor).get(reverse("core:audit_list"))
    assert {"زهرا محمدی", "فردیس محرمانه"} <= reprs(response)


def test_filter_by_organisation(client_for, world, personas, entries):
    client = client_for(personas.province_supervisor)
    response = client.get(reverse("core:audit_list"), {"org": world.karaj.pk})
    assert reprs(response) == {"زهرا محمدی", "فردا"}
    # An organisation outside the asker's scope is not a choice: the form refuses it.
    response = client_for(personas.county_supervisor).get(
        reverse("core:audit_list"), {"org": world.fardis_info.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["org"]
    assert reprs(response) == set()


def test_filter_by_actor_and_action(client_for, world, personas, entries):
    client = client_for(personas.county_supervisor)
    supervisor_name = str(personas.province_supervisor)
    response = client.get(reverse("core:audit_list"), {"actor": supervisor_name})
    assert reprs(response) == {"پایان نقش"}
    response = client.get(reverse("core:audit_list"), {"verb": "organization"})
    assert reprs(response) == {"کمیته اطلاع‌رسانی کرج", "فردا"}
    response = client.get(reverse("core:audit_list"), {"verb": "organization.create"})
    assert reprs(response) == {"فردا"}


def test_filter_by_jalali_dates_in_persian_digits(client_for, personas, entries):
    """«۱۴۰۵/۰۹/۰۵» is 26 November 2026: the whole Tehran day, from 00:00 to 24:00."""
    client = client_for(personas.county_supervisor)
    response = client.get(
        reverse("core:audit_list"), {"since": "۱۴۰۵/۰۹/۰۵", "until": "۱۴۰۵/۰۹/۰۵"}
    )
    assert response.status_code == 200
    assert reprs(response) == {"زهرا محمدی", "پایان نقش"}
    response = client.get(reverse("core:audit_list"), {"since": "۱۴۰۵/۰۹/۰۶"})
    assert reprs(response) == {"فردا"}
    response = client.get(reverse("core:audit_list"), {"until": "1405/9/4"})
    assert reprs(response) == {"کمیته اطلاع‌رسانی کرج"}


def test_a_bad_date_is_a_form_error_not_a_500(client_for, personas, entries):
    client = client_for(personas.county_supervisor)
    for bad in ("۱۴۰۵/۱۳/۴۰", "فردا", "2026-99-99", "x" * 500, "۱۴۰۵/۰۹"):
        response = client.get(reverse("core:audit_list"), {"since": bad, "org": "x", "before": "y"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert reprs(response) == set()
    response = client.get(reverse("core:audit_export"), {"since": "bad"})
    assert response.status_code == 200


def test_paging_with_an_htmx_partial(client_for, world, personas):
    admin = personas.county_admin
    for n in range(AUDIT_PAGE_SIZE + 7):
        write(admin, "test.thing", world.karaj, repr_=f"ردیف {n}")
    client = client_for(personas.county_supervisor)
    response = client.get(reverse("core:audit_list"))
    assert len(response.context["entries"]) == AUDIT_PAGE_SIZE
    next_before = response.context["next_before"]
    assert next_before
    html = response.content.decode()
    assert 'id="more-row"' in html and "hx-get" in html

    response = client.get(
        reverse("core:audit_list"), {"before": next_before}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "<tr>" in html
    # The first page held the test client's login and the newest 49 of the 57 rows.
    assert html.count("<code>test.thing</code>") == 8
    assert "ردیف 7<" in html and "ردیف 0<" in html and "ردیف 8<" not in html
    assert 'id="more-row"' not in html


def test_csv_export(client_for, personas, entries):
    client = client_for(personas.county_supervisor)
    response = client.get(reverse("core:audit_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], [row for row in rows[1:] if row[5] != "user.login"]
    assert len(header) == 13
    assert {row[8] for row in data} == {"کمیته اطلاع‌رسانی کرج", "زهرا محمدی", "پایان نقش", "فردا"}
    by_repr = {row[8]: row for row in data}
    created = by_repr["زهرا محمدی"]
    assert created[1].startswith("۱۴۰۵/۰۹/۰۵")  # the Jalali column, Persian digits
    assert created[2].startswith("2026-11-26T05:30")  # UTC ISO beside it
    assert created[4] == "ستاد انتخابات شهرستان کرج"
    # The export honours the filters.
    response = client.get(reverse("core:audit_export"), {"verb": "organization.create"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[8] for row in rows[1:]] == ["فردا"]
    assert len(rows[0]) == 13


def test_detail_page_shows_before_and_after(client_for, personas, entries):
    entry = audit.AuditEntry.objects.get(object_repr="کمیته اطلاع‌رسانی کرج")
    response = client_for(personas.county_admin).get(reverse("core:audit_detail", args=[entry.seq]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "قدیم" in html and "جدید" in html and entry.hash in html
    assert response.context["changes"] == [
        {"field": "name", "before": "قدیم", "after": "جدید", "changed": True}
    ]
    assert (
        client_for(personas.county_admin)
        .get(reverse("core:audit_detail", args=[99999]))
        .status_code
        == 404
    )
