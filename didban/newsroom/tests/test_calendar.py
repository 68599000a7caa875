"""The calendar is Jalali: a month view starts on the 1st of the Jalali month and shows the
items due, scheduled and published on their Tehran day."""

from datetime import UTC, datetime

from django.utils import translation

from didban.newsroom import actions


def test_month_view_is_jalali(make_item, personas, client_for):
    # 12 Bahman 1402 = 1 February 2024 (Fajr decade starts)
    make_item(title="آغاز دهه فجر", due_at=datetime(2024, 2, 1, 6, 30, tzinfo=UTC))
    client = client_for(personas.county_editor)
    with translation.override("fa"):
        page = client.get("/newsroom/calendar/?view=month&d=2024-02-01").content.decode()
    assert "بهمن ۱۴۰۲" in page
    assert "آغاز دهه فجر" in page
    # 30 days in Bahman: the 30th is there, there is no 31st cell link
    assert "d=2024-02-19" in page  # 30 Bahman
    assert "d=2024-02-20" not in page.split("cal-month")[1].split("</table>")[0]


def test_lanes_group_by_person(make_item, personas, client_for):
    make_item(
        title="پوستر روز انتخابات",
        assignee=personas.county_producer,
        due_at=datetime(2024, 2, 29, 8, tzinfo=UTC),
    )
    page = (
        client_for(personas.county_editor)
        .get("/newsroom/calendar/?view=lanes&d=2024-02-29")
        .content.decode()
    )
    assert "پوستر روز انتخابات" in page and str(personas.county_producer) in page


def test_overdue_coverage_flagged(world, personas, client_for):
    event = actions.do_create_event(
        actor=personas.county_editor, org=world.karaj_info, kind="press_conference",
        title="اولین نشست خبری انتخاباتی", starts_at=datetime(2024, 1, 10, 7, tzinfo=UTC),
        expected_attendance=40,
    )  # fmt: skip
    assignment = actions.do_assign_coverage(
        actor=personas.county_editor, event=event, person=personas.county_producer,
        deliverable="news", deadline=datetime(2024, 1, 10, 12, tzinfo=UTC),
    )  # fmt: skip
    assert assignment.is_overdue
    page = client_for(personas.county_editor).get(f"/newsroom/events/{event.pk}/").content.decode()
    assert "اولین نشست خبری انتخاباتی" in page and "text-bg-danger" in page
    assert client_for(personas.outsider).get(f"/newsroom/events/{event.pk}/").status_code == 404
