"""Loaded by pytest before Django (`-p didban.testenv` in pyproject.toml): the test environment.

Tests talk to the live server over plain HTTP, keep their files in a temporary data
directory, and let Playwright's sync API run beside pytest-django's live server.
"""

import os
import tempfile

os.environ.setdefault("DIDBAN_HTTPS", "false")
os.environ.setdefault("DIDBAN_STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# PostgreSQL: tests run many threads at once (concurrency tests, live servers), each holding a
# connection of the pool until it closes it.
os.environ.setdefault("DIDBAN_DB_POOL_MAX", "64")
os.environ.setdefault("DIDBAN_DATA_DIR", tempfile.mkdtemp(prefix="didban-test-"))
