"""``manage.py generate_national [--scale S] [--seed N] [--systems N] [--audit]``: a
fictional national dataset on top of the reference data, for measuring the registry."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.national import AT_SCALE_ONE, HISTORY_END, NationalDataError, Progress, generate_national


class Command(BaseCommand):
    help = (
        "Generate a fictional national dataset from the reference data (run import_ods "
        "first, into a database holding no other governance): for every system the ICB's "
        "board and committees, the ICP, places and provider collaboratives, eight years of "
        f"membership history to {HISTORY_END:%-d %B %Y}, meetings, decisions with votes, "
        "registers of interests and milestones. At --scale 1.0 at least "
        + ", ".join(f"{count:,} {name}" for name, count in AT_SCALE_ONE.items())
        + ". The same seed gives the same dataset. All or nothing; refused on a database "
        "that already holds governance, the demo data or an earlier generated dataset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Size (default 1.0).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--systems",
            type=int,
            default=None,
            help="Only the first N systems by ODS code, each with its share at this scale.",
        )
        parser.add_argument(
            "--audit",
            action="store_true",
            help="Also write the audit events of the generated rows, tagged with the command "
            "(about ten times slower; the audit trail of a generated dataset says nothing an "
            "officer needs).",
        )

    def handle(self, *args, scale, seed, systems, audit, **options):
        started = time.monotonic()
        try:
            counts = generate_national(
                scale=scale,
                seed=seed,
                systems=systems,
                audit=audit,
                progress=Progress(lambda text: self.stderr.write(text, ending="")),
            )
        except NationalDataError as exc:
            raise CommandError(str(exc)) from exc
        for line in counts.lines():
            self.stdout.write(line)
        # The decisions' outcomes, stored now so that the first reads need not compute them.
        call_command("refresh_outcomes", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated the national dataset (seed {seed}, scale {scale}) in "
                f"{time.monotonic() - started:.0f} s."
            )
        )
