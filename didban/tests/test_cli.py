"""The `didban` command, run as a real process in a fresh data directory: `demo --no-serve`
migrates, loads the demo and prints a login for every role; a second run keeps the data;
`manage check` works; an unknown command exits 2. The worker process starts, beats, and stops
cleanly on Ctrl-C, removing its heartbeat."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from didban.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DIDBAN_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(DIDBAN_DATA_DIR=str(data_dir), DIDBAN_DEBUG="true", DIDBAN_HTTPS="false",
               DIDBAN_LOG_LEVEL="WARNING")  # fmt: skip
    return env


def didban(*args, data_dir: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "didban.cli", *args],
        cwd=ROOT, env=environment(data_dir), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_unknown_command_exits_2(tmp_path):
    result = didban("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr
    assert "usage: didban" in result.stderr


def test_help(tmp_path):
    result = didban("--help", data_dir=tmp_path)
    assert result.returncode == 0 and "audit verify" in result.stdout


def test_manage_check(tmp_path):
    result = didban("manage", "check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_demo_loads_once_and_keeps_its_data(tmp_path):
    first = didban("demo", "--no-serve", data_dir=tmp_path, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Loading the demo scenario" in first.stdout
    assert "http://127.0.0.1:8000/" in first.stdout
    for role in Role.values:
        assert f" {role} " in first.stdout, role
    assert "sysadmin" in first.stdout and "didban-demo-1402" in first.stdout

    database = tmp_path / "didban.sqlite3"
    with sqlite3.connect(database) as db:
        orgs_before = db.execute("SELECT count(*) FROM accounts_organization").fetchone()[0]
        entries_before = db.execute("SELECT count(*) FROM core_auditentry").fetchone()[0]

    second = didban("demo", "--no-serve", data_dir=tmp_path, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "already here" in second.stdout
    assert "karaj.editor" in second.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM accounts_organization").fetchone()[0] == orgs_before
        assert db.execute("SELECT count(*) FROM core_auditentry").fetchone()[0] == entries_before

    verify = didban("audit", "verify", data_dir=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert "audit chain OK" in verify.stdout


def _heartbeats(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM core_workerheartbeat").fetchone()[0]
    except sqlite3.OperationalError:
        return -1


def test_worker_process_beats_and_stops_cleanly_on_ctrl_c(tmp_path):
    migrate = didban("manage", "migrate", "--no-input", data_dir=tmp_path, timeout=600)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    database = tmp_path / "didban.sqlite3"
    worker = subprocess.Popen(
        [sys.executable, "-m", "didban.cli", "worker", "--interval", "0.2"],
        cwd=ROOT, env=environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _heartbeats(database) < 1:
            assert worker.poll() is None, worker.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no heartbeat within 60 s"
            time.sleep(0.2)
        worker.send_signal(signal.SIGINT)
        try:
            code = worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("the worker did not stop within 15 s of Ctrl-C")
        assert code == 0, worker.communicate()[1][-3000:]
        assert _heartbeats(database) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
