"""Loaded by pytest before Django (`-p didban.testenv` in pyproject.toml): the test environment.

Tests talk to the live server over plain HTTP, keep their files in a temporary data
directory, and let Playwright's sync API run beside pytest-django's live server.
"""

import os
import tempfile

os.environ.setdefault("DIDBAN_HTTPS", "false")
os.environ.setdefault("DIDBAN_STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DIDBAN_DATA_DIR", tempfile.mkdtemp(prefix="didban-test-"))
