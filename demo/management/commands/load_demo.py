"""``manage.py load_demo``: the demo governance of four systems and a demo officer."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.loader import OFFICER_USERNAME, load_demo
from demo.reading import DATA_DIR, DemoDataError

DEFAULT_PASSWORD = "demo-officer"


class Command(BaseCommand):
    help = (
        "Load the demo governance of Somerset, BSW, Dorset and Hampshire and Isle of Wight "
        "on top of the reference data (run import_ods first), and create or reset the demo "
        f"officer '{OFFICER_USERNAME}' (password from DEMO_OFFICER_PASSWORD, default "
        f"'{DEFAULT_PASSWORD}'). The data files are checked first; all or nothing; safe to "
        "run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=DATA_DIR,
            help="The folder of demo data files to load (default: the shipped demo/data/).",
        )

    def handle(self, *args, data_dir, **options):
        from_environment = bool(os.environ.get("DEMO_OFFICER_PASSWORD"))
        password = os.environ.get("DEMO_OFFICER_PASSWORD") or DEFAULT_PASSWORD
        try:
            report = load_demo(officer_password=password, directory=data_dir)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        style = self.style.SUCCESS if report.changed else self.style.NOTICE
        for line in report.lines():
            self.stdout.write(style(line))
        # The decisions' outcomes, stored now so that the first reads need not compute them.
        call_command("refresh_outcomes", stdout=self.stdout, stderr=self.stderr)
        shown = "the DEMO_OFFICER_PASSWORD value" if from_environment else f"'{password}'"
        self.stdout.write(f"Sign in at /admin/ as '{report.username}' with password {shown}.")
