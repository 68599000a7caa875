"""Fixtures for every test: the world of organisations, the personas, the immediate task backend."""

from __future__ import annotations

import pytest

from didban.testing import build_personas, build_world


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run at once, inside the test, unless a test asks for the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _keep_test_connections(monkeypatch):
    """The worker recycles database connections between rounds; in a test that would close the
    test's own transaction (PostgreSQL; an in-memory SQLite never closes), so it is a no-op."""
    from django_tasks_db.management.commands import db_worker

    from didban.core.management.commands import worker

    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas' passwords hashed cheaply: the real hasher costs ~0.3 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_ingest_memory():
    """The monitoring worker's in-memory caches (recent articles, pickup matchers) hold rows
    of committed transactions; a test's database is rolled back or flushed, and its ids are
    used again by the next test, so each test starts with them empty."""
    from didban.monitoring import pipeline

    pipeline.forget_cached()
    yield
    pipeline.forget_cached()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def personas(world):
    return build_personas(world)


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshot_dir():
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "test-results"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def login():
    """`login(page, live_server, user)`: log in through the real form."""
    from didban.testing import PASSWORD

    def do_login(page, live_server, user, password=PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return do_login
