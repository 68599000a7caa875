"""Django's SQLite backend, with one queue per process for the database's one write lock.

SQLite lets one writer in at a time; the others poll for the lock (the busy timeout) with
growing sleeps, so under many concurrent writers an unlucky request can lose the race again and
again — seconds of latency for a few, and "database is locked" when it passes the timeout. Here
a write transaction (`BEGIN IMMEDIATE`, see settings.py) first takes a lock shared by the
process's threads, which wakes waiters in turn instead of polling; SQLite's own lock still
decides between processes (`didban serve --workers N`, the worker) and stays what keeps the data
correct. In-memory databases (the test suite's) are left alone: their connection is shared.
"""

from __future__ import annotations

import threading

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

_writers = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer_lock = False

    def _start_transaction_under_autocommit(self):
        if not self.is_in_memory_db():
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
            if not _writers.acquire(timeout=timeout):
                raise OperationalError("database is locked (no turn to write within the timeout)")
            self._holds_writer_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        if self._holds_writer_lock:
            self._holds_writer_lock = False
            _writers.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
