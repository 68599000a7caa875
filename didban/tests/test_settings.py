"""The settings: with DEBUG off and HTTPS on, `manage.py check --deploy` finds no issue; bad
environment values stop start-up with a message naming the variable."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args, tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DIDBAN_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment.update({"DIDBAN_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def random_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def test_check_deploy_has_no_issues(tmp_path):
    result = run(
        ["check", "--deploy"],
        tmp_path,
        DIDBAN_DEBUG="false",
        DIDBAN_HTTPS="true",
        DIDBAN_SECRET_KEY=random_key(),
        DIDBAN_ALLOWED_HOSTS="didban.example.org",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_check_deploy_warns_over_plain_http(tmp_path):
    """The check is real: the local demo's settings (HTTP, no HSTS) do warn."""
    result = run(
        ["check", "--deploy"], tmp_path, DIDBAN_DEBUG="false", DIDBAN_HTTPS="false",
        DIDBAN_SECRET_KEY=random_key(),
    )  # fmt: skip
    assert "security.W004" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DIDBAN_DEBUG", "maybe", "DIDBAN_DEBUG must be true or false, not 'maybe'"),
        ("DIDBAN_HTTPS", "sometimes", "DIDBAN_HTTPS must be true or false"),
        ("DIDBAN_LOGIN_FAILURE_LIMIT", "five", "DIDBAN_LOGIN_FAILURE_LIMIT must be an integer"),
        ("DIDBAN_SESSION_HOURS", "12h", "DIDBAN_SESSION_HOURS must be an integer"),
        ("DIDBAN_SECRET_KEY", "short", "DIDBAN_SECRET_KEY must be at least 50 characters"),
        ("DATABASE_URL", "garbage", "DATABASE_URL is not a valid database URL"),
        ("DATABASE_URL", "mysqlx://a/b", "DATABASE_URL is not a valid database URL"),
        ("DATABASE_URL", "postgres://", "DATABASE_URL names no database"),
    ],
)
def test_bad_environment_values_fail_loudly(tmp_path, variable, value, message):
    result = run(["check"], tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr, result.stderr[-2000:]
