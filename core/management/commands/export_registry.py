"""``manage.py export_registry [--output FILE|-]``: the whole registry as one JSON file.

See ``core.registry_export`` for the format and what it holds. Progress goes to stderr, so
``--output -`` (the default) can be piped or redirected.
"""

import io
import os
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.registry_export import export_registry


class Command(BaseCommand):
    help = (
        "Write a complete, versioned JSON export of the registry's governance data and its "
        "audit trail (restore it with import_registry)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default="-",
            help="The file to write ('-', the default, writes to standard output).",
        )

    def handle(self, *args, output, **options):
        started = time.monotonic()
        progress = self._progress if options["verbosity"] > 0 else None
        if output == "-":
            out = self.stdout._out
            if out is sys.stdout and hasattr(out, "buffer"):
                # The process's standard output, in UTF-8 whatever the locale.
                out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", write_through=True)
                try:
                    counts = self._export(out, progress)
                finally:
                    out.flush()
                    out.detach()  # leaves sys.stdout open
            else:
                counts = self._export(out, progress)
        else:
            # Written beside the target and renamed when complete: a failed export never
            # leaves a file that looks like one.
            target = Path(output)
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("w", encoding="utf-8") as out:
                    counts = self._export(out, progress)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise CommandError(f"Cannot write {target}: {error.strerror}.") from None
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            os.replace(partial, target)
        if options["verbosity"] > 0:
            self.stderr.write(
                f"\nExported {sum(counts.values())} rows of {len(counts)} models in "
                f"{time.monotonic() - started:.0f} s."
            )

    def _export(self, out, progress):
        return export_registry(out, progress=progress or (lambda message: None))

    def _progress(self, message: str) -> None:
        self.stderr.write(
            f"\r{message:<70}" if self.stderr.isatty() else message,
            ending="" if self.stderr.isatty() else "\n",
        )
        self.stderr.flush()
