"""The audit log is append-only through the ORM: saving an existing entry, deleting it, and
queryset update/delete all raise; `record` refuses to run outside a transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from didban.core import audit
from didban.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world, personas):
    with transaction.atomic():
        return audit.record(actor=personas.county_admin, verb="test.thing", org=world.karaj)


def test_saving_an_existing_entry_raises(entry):
    entry.verb = "test.changed"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).verb == "test.thing"


def test_deleting_an_entry_raises(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_raises(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(verb="test.changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(ip="198.51.100.1")


def test_queryset_delete_raises(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_bulk_update_raises(entry):
    entry.verb = "test.changed"
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_update([entry], ["verb"])


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_raises(world, personas):
    with pytest.raises(RuntimeError):
        audit.record(actor=personas.county_admin, verb="test.thing")
