"""``manage.py refresh_outcomes``: compute every stale stored decision outcome now."""

import time

from django.core.management.base import BaseCommand

from decisions.services import outcomes_refresh


class Command(BaseCommand):
    help = (
        "Compute and store the outcome of every decision whose stored outcome is stale "
        "(after a bulk load, or new rules), so that the first reads are fast."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()

        def progress(done, total):
            self.stderr.write(f"\rOutcomes: {done}/{total}", ending="")

        computed = outcomes_refresh(batch_size=batch_size, progress=progress)
        if computed:
            self.stderr.write("")
        self.stdout.write(
            f"Computed {computed} decision outcomes in {time.monotonic() - started:.0f} s."
        )
