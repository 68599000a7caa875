"""The database options of the one settings module, as a fresh process reads them.

SQLite: WAL and a busy timeout on every connection, so concurrent clients of `didban serve` wait
for the one writer instead of failing with "database is locked". PostgreSQL: a connection pool
per process instead of per-request persistent connections, which pile up under ASGI.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
db = settings.DATABASES["default"]
out = {"engine": db["ENGINE"], "options": {k: v for k, v in db.get("OPTIONS", {}).items()},
       "conn_max_age": db.get("CONN_MAX_AGE", 0)}
if connection.vendor == "sqlite":
    with connection.cursor() as c:
        out["journal_mode"] = c.execute("PRAGMA journal_mode").fetchone()[0]
        out["busy_timeout"] = c.execute("PRAGMA busy_timeout").fetchone()[0]
        out["foreign_keys"] = c.execute("PRAGMA foreign_keys").fetchone()[0]
print(json.dumps(out, default=str))
"""


def probe(tmp_path, **env) -> dict:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DIDBAN_DB_POOL_MAX")},
        "DJANGO_SETTINGS_MODULE": "didban.settings",
        "DIDBAN_DATA_DIR": str(tmp_path),
        **env,
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sqlite_connections_use_wal_and_wait_for_the_writer(tmp_path):
    found = probe(tmp_path)
    assert found["engine"] == "didban.core.sqlite"
    assert found["journal_mode"] == "wal"
    assert found["busy_timeout"] == 60_000
    assert found["foreign_keys"] == 1
    assert found["options"]["transaction_mode"] == "IMMEDIATE"

    shorter = probe(tmp_path, DIDBAN_SQLITE_BUSY_TIMEOUT_SECONDS="5")
    assert shorter["busy_timeout"] == 5_000


def test_postgresql_uses_a_bounded_pool_not_persistent_connections(tmp_path):
    found = probe(tmp_path, DATABASE_URL="postgres://didban@db.example:5432/didban")
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["conn_max_age"] == 0
    assert found["options"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 30}

    sized = probe(
        tmp_path, DATABASE_URL="postgres://didban@db.example/didban", DIDBAN_DB_POOL_MAX="20"
    )
    assert sized["options"]["pool"]["max_size"] == 20
    unpooled = probe(
        tmp_path, DATABASE_URL="postgres://didban@db.example/didban", DIDBAN_DB_POOL_MAX="0"
    )
    assert "pool" not in unpooled["options"] and unpooled["conn_max_age"] == 0


@pytest.mark.django_db
def test_sqlite_writers_lock_is_given_back_after_commit_rollback_and_close(tmp_path):
    """The process-wide turn to write (didban.core.sqlite) ends with the transaction, however it
    ends; a second thread then begins at once."""
    from django.db.utils import ConnectionHandler

    from didban.core.sqlite import base

    handler = ConnectionHandler(
        {"default": {"ENGINE": "didban.core.sqlite", "NAME": str(tmp_path / "w.sqlite3"),
               "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 2}}}
    )  # fmt: skip
    conn = handler["default"]
    conn.cursor().execute("CREATE TABLE t (x integer)")

    def begin():
        conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        conn.cursor().execute("INSERT INTO t VALUES (1)")

    begin()
    assert base._writers.locked()
    conn.commit()
    conn.set_autocommit(True)
    assert not base._writers.locked()

    begin()
    conn.rollback()
    conn.set_autocommit(True)
    assert not base._writers.locked()

    begin()
    conn.close()
    assert not base._writers.locked()

    # While one thread writes, another waits for its turn instead of failing.
    begin()
    order = []

    def other():
        mine = handler["default"]  # this thread's own connection
        mine.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        order.append("other began")
        mine.commit()
        mine.set_autocommit(True)
        mine.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(0.3)
    order.append("first commits")
    conn.commit()
    conn.set_autocommit(True)
    thread.join(5)
    conn.close()
    assert order == ["first commits", "other began"]
    with sqlite3.connect(tmp_path / "w.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)
