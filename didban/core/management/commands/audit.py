"""`didban audit verify`: check the audit log's hash chain and name the first broken entry."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from didban.core.actions import do_verify_audit_chain


class Command(BaseCommand):
    help = "Audit log tools. `verify` walks the hash chain and reports the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args, operation: str, **options):
        report = do_verify_audit_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at entry #{report.first_broken_seq}: {report.problem} "
                f"({report.entries} entries read)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain OK: {report.entries} entries"))
