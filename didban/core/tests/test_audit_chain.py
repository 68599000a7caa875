"""`verify_chain` and `didban audit verify`: OK on an intact chain; after any row is edited in
the database, or a middle or the last row is deleted, the check fails naming the FIRST broken
entry (through call_command and through the real `didban` command line)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from didban.cli import main
from didban.core import audit
from didban.core.models import AuditEntry, AuditVerification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """`didban …` ends like manage.py, closing every connection; the test's transaction must
    survive it (an in-memory SQLite never closes, PostgreSQL does)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def chain(world, personas):
    """Six entries, #1..#6."""
    for n in range(6):
        with transaction.atomic():
            audit.record(
                actor=personas.county_admin, verb="test.thing", org=world.karaj,
                object_repr=f"چیز {n}", before={"n": n}, after={"n": n + 1, "نام": "کرج"},
            )  # fmt: skip
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def assert_broken_at(seq: int, capsys) -> None:
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_seq == seq

    with pytest.raises(CommandError, match=rf"BROKEN at entry #{seq}\b"):
        call_command("audit", "verify")
    verification = AuditVerification.objects.latest()
    assert (verification.ok, verification.first_broken_seq) == (False, seq)

    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "verify"])
    assert exit_info.value.code not in (0, None)
    assert f"#{seq}" in capsys.readouterr().err


def test_intact_chain_verifies(chain, capsys):
    assert audit.verify_chain().ok
    call_command("audit", "verify")
    assert "audit chain OK: 6 entries" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    assert AuditVerification.objects.latest().ok


def test_empty_chain_verifies(db):
    report = audit.verify_chain()
    assert report.ok and report.entries == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("verb", "test.other"),
        ("object_repr", "چیز دیگر"),
        ("actor_repr", "someone else"),
        ("ip", "198.51.100.1"),
        ("object_id", "99"),
    ],
)
def test_editing_a_field_breaks_the_chain_there(chain, capsys, column, value):
    raw(f"UPDATE core_auditentry SET {column} = %s WHERE seq IN (3, 5)", value)  # noqa: S608
    assert_broken_at(3, capsys)


def test_editing_before_after_breaks_the_chain(chain, capsys):
    raw("UPDATE core_auditentry SET after = before WHERE seq = 4")
    assert_broken_at(4, capsys)


def test_editing_the_time_breaks_the_chain(chain, capsys):
    entry = AuditEntry.objects.get(seq=2)
    from datetime import timedelta

    raw(
        "UPDATE core_auditentry SET created_at = %s WHERE seq = 2",
        entry.created_at - timedelta(hours=1),
    )
    assert_broken_at(2, capsys)


def test_rehashing_an_edited_entry_still_breaks_the_next_link(chain, capsys):
    """A forger who recomputes the edited entry's hash breaks the link of the entry after it."""
    raw("UPDATE core_auditentry SET hash = %s WHERE seq = 3", "f" * 64)
    report = audit.verify_chain()
    assert not report.ok and report.first_broken_seq == 3


def test_deleting_a_middle_entry_breaks_the_chain(chain, capsys):
    raw("DELETE FROM core_auditentry WHERE seq = 4")
    assert_broken_at(4, capsys)


def test_deleting_the_last_entry_breaks_the_chain(chain, capsys):
    raw("DELETE FROM core_auditentry WHERE seq = 6")
    assert_broken_at(6, capsys)


def test_deleting_the_first_entry_breaks_the_chain(chain, capsys):
    raw("DELETE FROM core_auditentry WHERE seq = 1")
    assert_broken_at(1, capsys)


def test_the_chain_keeps_growing_after_a_check(chain):
    audit.verify_chain()
    with transaction.atomic():
        entry = audit.record(actor="system", verb="test.after")
    assert entry.seq == 7
    assert audit.verify_chain().ok
