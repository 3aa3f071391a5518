"""``manage.py import_ods [--path DIR]``: load or refresh the NHS ODS reference data and the
ICB reorganisations since 2022."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bodies.reference import DEFAULT_PATH, ReferenceDataError, import_ods


class Command(BaseCommand):
    help = (
        "Create or update the NHS England regions, the 42 ICSs with their ICBs, NHS trusts, "
        "local authorities and former CCGs from NHS ODS data, then apply the ICB mergers "
        "and boundary changes of reorganisations.yaml (successors established, predecessors "
        "abolished, successions recorded), in one transaction. A change whose new ICB lacks "
        "a code the register needs is not applied and is named in the report. "
        "Safe to run again: it changes only what differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=DEFAULT_PATH,
            help=f"Directory holding the CSV files and reorganisations.yaml (default: "
            f"{DEFAULT_PATH}).",
        )

    def handle(self, *args, path: Path, **options):
        try:
            result = import_ods(path)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        self.stdout.write(style(result.report()))
