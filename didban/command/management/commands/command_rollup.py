"""`didban manage command_rollup [--since YYYY-MM-DD]`: recompute the command room's figures."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from didban.command.rollup import backfill, run_rollup


class Command(BaseCommand):
    help = "Recompute hourly and 15-minute figures (the last 48 h, or everything since a date)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="recompute every hour from this date (UTC, YYYY-MM-DD)")

    def handle(self, *args, since=None, **options):
        if since:
            try:
                start = datetime.fromisoformat(since).replace(tzinfo=UTC)
            except ValueError:
                raise CommandError(f"--since: not a date: {since!r}") from None
            figures = backfill(start)
        else:
            figures = run_rollup().figures
        self.stdout.write(f"{figures} figures written")
