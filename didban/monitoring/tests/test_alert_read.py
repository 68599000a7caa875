"""Reading notifications is audited: who marked which alert read, and when. Opening one
marks it read; nobody can mark or open another person's notification."""

import pytest
from django.urls import reverse

from didban.core.models import AuditEntry
from didban.monitoring.actions import do_mark_alerts_read, do_save_alert_rule
from didban.monitoring.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(world, personas):
    rule = do_save_alert_rule(
        actor=personas.county_analyst, org=world.karaj_info, name="بازنشر", kind="pickup",
        recipients=[personas.county_analyst, personas.county_supervisor],
    )  # fmt: skip
    alerts = [
        Alert.objects.create(rule=rule, org=world.karaj_info, recipient=person, channel="app",
                             subject=f"خبر ما بازنشر شد {n}", link=f"/monitoring/articles/{n}/")
        for n in range(2)
        for person in (personas.county_analyst, personas.county_supervisor)
    ]  # fmt: skip
    return alerts


def test_marking_all_read_is_audited_with_the_alerts_named(personas, inbox, client_for):
    analyst = client_for(personas.county_analyst)
    assert analyst.post(reverse("monitoring:alerts_read")).status_code == 302
    mine = [a.pk for a in inbox if a.recipient_id == personas.county_analyst.pk]
    assert not Alert.objects.filter(pk__in=mine, read_at__isnull=True).exists()
    assert Alert.objects.filter(recipient=personas.county_supervisor, read_at=None).count() == 2
    entry = AuditEntry.objects.get(verb="monitoring.alert.read")
    assert entry.actor_id == personas.county_analyst.pk
    assert sorted(entry.after["alerts"]) == sorted(mine) and entry.after["count"] == 2
    # Nothing left to mark: no new entry.
    assert do_mark_alerts_read(actor=personas.county_analyst) == 0
    assert AuditEntry.objects.filter(verb="monitoring.alert.read").count() == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(personas, inbox, client_for):
    alert = next(a for a in inbox if a.recipient_id == personas.county_supervisor.pk)
    supervisor = client_for(personas.county_supervisor)
    response = supervisor.post(reverse("monitoring:alert_open", args=[alert.pk]))
    assert response.status_code == 302 and response["Location"] == alert.link
    alert.refresh_from_db()
    assert alert.read_at is not None
    entry = AuditEntry.objects.get(verb="monitoring.alert.read")
    assert entry.actor_id == personas.county_supervisor.pk and entry.after["alerts"] == [alert.pk]


def test_nobody_opens_or_marks_another_persons_notification(personas, inbox, client_for):
    alert = next(a for a in inbox if a.recipient_id == personas.county_analyst.pk)
    for person in (personas.outsider, personas.county_supervisor):
        response = client_for(person).post(reverse("monitoring:alert_open", args=[alert.pk]))
        assert response.status_code == 404
    assert do_mark_alerts_read(actor=personas.outsider, alert_ids=[alert.pk]) == 0
    alert.refresh_from_db()
    assert alert.read_at is None
    assert not AuditEntry.objects.filter(verb="monitoring.alert.read").exists()
    assert (
        client_for(personas.outsider)
        .get(reverse("monitoring:alert_open", args=[alert.pk]))
        .status_code
        == 405
    )
