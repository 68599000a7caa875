"""`didban manage import_places FILE.csv` (or `--bundled` for the data shipped with Didban)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from didban.places.actions import BUNDLED, do_import_places


class Command(BaseCommand):
    help = "Import places from CSV: code,parent_code,kind,name_fa,name_en,latitude,longitude"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--bundled",
            action="store_true",
            help="Iran's provinces and counties, and Alborz in full",
        )
        parser.add_argument(
            "--partial", action="store_true", help="import the good rows even if others are bad"
        )

    def handle(self, *args, files: list[Path], bundled: bool, partial: bool, **options):
        paths = list(files) + (BUNDLED if bundled else [])
        if not paths:
            raise CommandError("name a CSV file, or use --bundled")
        failed = False
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise CommandError(f"{path}: no such file") from None
            except UnicodeDecodeError:
                raise CommandError(f"{path}: not UTF-8 text; save the sheet as CSV UTF-8") from None
            report = do_import_places(actor=None, text=text, source=path.name, partial=partial)
            for error in report.errors:
                self.stderr.write(f"{path.name}: {error}")
            if report.errors and not partial:
                failed = True
                self.stderr.write(
                    f"{path.name}: nothing imported ({len(report.errors)} errors); fix them or use --partial"
                )
                continue
            self.stdout.write(
                f"{path.name}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
            )
        if failed:
            raise CommandError("some files were not imported")
