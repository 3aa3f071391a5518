"""``manage.py import_ods [--path DIR]``: load or refresh the NHS ODS reference data."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bodies.reference import DEFAULT_PATH, ReferenceDataError, import_ods


class Command(BaseCommand):
    help = (
        "Create or update the NHS England regions, the 42 ICSs with their ICBs, NHS trusts, "
        "local authorities and former CCGs from NHS ODS data, in one transaction. "
        "Safe to run again: it changes only what differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=DEFAULT_PATH,
            help=f"Directory holding the CSV files (default: {DEFAULT_PATH}).",
        )

    def handle(self, *args, path: Path, **options):
        try:
            result = import_ods(path)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        self.stdout.write(style(result.report()))
