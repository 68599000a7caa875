"""The real server for tests and benchmarks: `python -m didban.cli serve` (uvicorn, ASGI) in a
subprocess on a free port, with a given database and data directory.

Used where what is measured or tested is the whole server stack under concurrent clients
(bench/field.py, the field and compliance concurrency tests), not the in-process test client.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Start `didban serve` and wait until /healthz answers; `stop()` ends it (by its id)."""

    def __init__(self, *, workers: int = 1, env: dict[str, str] | None = None, timeout=90):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "DIDBAN_LOG_LEVEL": "WARNING", **(env or {})}
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "didban.cli", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=environment,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"didban serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"didban serve did not answer within {timeout} s")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_this_database(data_dir: Path, *, workers: int = 1) -> Server:
    """A server on the database this process uses, with everything it holds now committed.

    PostgreSQL: the same database (in a test, the test database). SQLite: a file copy, made with
    SQLite's backup API, of this process's database (an in-memory test database included) in
    `data_dir`, in WAL mode as the server runs it; read the server's rows with `server_rows`.
    """
    from django.conf import settings
    from django.db import connection

    env = {
        "DIDBAN_DATA_DIR": str(data_dir),
        "DIDBAN_SECRET_KEY": settings.SECRET_KEY,
        "DIDBAN_HTTPS": "false",
        "DIDBAN_STATIC_MANIFEST": "false",
        "DIDBAN_AXES_ENABLED": "false",
        "DIDBAN_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = quote(db["USER"] or "", safe="") + (
            f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        )
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    elif connection.vendor == "sqlite":
        env["DATABASE_URL"] = ""
        connection.ensure_connection()
        target = sqlite3.connect(data_dir / "didban.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:  # pragma: no cover - only the two databases Didban supports
        raise RuntimeError(f"no served copy for {connection.vendor}")
    return Server(workers=workers, env=env)


def server_rows(data_dir: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows the server wrote, read from its database: the same one on PostgreSQL, the file
    copy in `data_dir` on SQLite."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with sqlite3.connect(data_dir / "didban.sqlite3") as db:
            return db.execute(sql, params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall()
