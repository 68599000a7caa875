"""The `didban` command: demo, serve, worker, audit, and every manage.py command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

USAGE = """usage: didban <command> [options]

commands:
  demo            migrate, load the demo scenario if the database is empty, serve with a worker
  serve           serve the web app (ASGI) on --host/--port
  worker          run background tasks and periodic work
  audit verify    check the audit log's hash chain
  manage ...      any manage.py command (migrate, createsuperuser, import_places, ...)
"""


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "didban.settings")
    import django

    django.setup()


def manage(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "didban.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["didban manage", *args])
    return 0


def serve(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="didban serve")
    parser.add_argument("--host", default=os.environ.get("DIDBAN_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("DIDBAN_PORT", "8000")))
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("DIDBAN_WEB_WORKERS", "1"))
    )
    options = parser.parse_args(args)
    _django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.STATIC_MANIFEST:
        call_command("collectstatic", interactive=False, verbosity=0)
    import uvicorn

    uvicorn.run(
        "didban.asgi:application",
        host=options.host,
        port=options.port,
        workers=options.workers,
        lifespan="off",
        proxy_headers=settings.AXES_IPWARE_PROXY_COUNT is not None,
        log_level=os.environ.get("DIDBAN_LOG_LEVEL", "info").lower(),
    )
    return 0


def worker(args: list[str]) -> int:
    return manage(["worker", *args])


def audit(args: list[str]) -> int:
    return manage(["audit", *args])


def demo(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="didban demo")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DIDBAN_PORT", "8000")))
    parser.add_argument("--no-serve", action="store_true", help="prepare the database and exit")
    options = parser.parse_args(args)
    # A local demo over plain HTTP: debug pages and non-secure cookies, unless told otherwise.
    os.environ.setdefault("DIDBAN_DEBUG", "true")
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from didban.core.demo import DEMO_PASSWORD, demo_is_loaded, demo_logins, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    if demo_is_loaded():
        logins = demo_logins()
        print("The demo data is already here; it is kept.")
    else:
        print("Loading the demo scenario…")
        logins = load_demo()
    print(f"\nDidban: http://127.0.0.1:{options.port}/   (data in {settings.DATA_DIR})")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for login in logins:
        print(f"  {login.username:20} {login.role:12} {login.org}")
    print("\nPress Ctrl-C to stop.\n", flush=True)
    if options.no_serve:
        return 0
    return _run_together(
        [
            [sys.executable, "-m", "didban.cli", "serve", "--port", str(options.port)],
            [sys.executable, "-m", "didban.cli", "worker"],
        ]
    )


def _run_together(commands: list[list[str]]) -> int:
    """Run the web server and the worker side by side; stop both on Ctrl-C or when one ends."""
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603 - our own commands
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    print("Didban stopped.")
    codes = [child.returncode for child in children]
    return 0 if stopping else max(abs(code or 0) for code in codes)


COMMANDS = {"demo": demo, "serve": serve, "worker": worker, "audit": audit, "manage": manage}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"didban: unknown command {argv[0]!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    return command(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
