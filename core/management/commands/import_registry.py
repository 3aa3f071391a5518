"""``manage.py import_registry FILE``: restore an export into an empty, migrated database.

All or nothing, in one transaction; see ``core.registry_export`` for what is checked.
Exits 1 with the reason when the file cannot be restored here.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from core.registry_export import RestoreError, import_registry


class Command(BaseCommand):
    help = (
        "Restore an export written by export_registry into an empty database migrated to "
        "the same schema ('-' reads standard input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export to restore, or '-' for standard input.")

    def handle(self, *args, file, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 0

        def progress(message: str) -> None:
            if verbose:
                self.stderr.write(
                    f"\r{message:<70}" if self.stderr.isatty() else message,
                    ending="" if self.stderr.isatty() else "\n",
                )
                self.stderr.flush()

        try:
            if file == "-":
                counts = import_registry(sys.stdin.buffer, progress=progress)
            else:
                with open(file, "rb") as stream:
                    counts = import_registry(stream, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except RestoreError as error:
            if verbose:
                self.stderr.write("")
            raise CommandError(str(error)) from None
        if verbose:
            self.stderr.write("")
        self.stdout.write(
            f"Restored {sum(counts.values())} rows of {len(counts)} models in "
            f"{time.monotonic() - started:.0f} s."
        )
