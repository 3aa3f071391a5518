"""``manage.py reorganise PLAN.yaml --dry-run | --apply [--by USERNAME]``.

A dry run prints every change the plan would make and the successor board's compliance on
the effective date, and writes nothing (not even the plan). Applying records the plan (or
updates the draft of the same name) and applies it in one transaction, audited as done by
``--by``. An invalid or inconsistent plan prints each problem with its place in the file
and exits with status 1, having written nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reorganisations.models import ReorganisationPlan
from reorganisations.plan import parse
from reorganisations.services import (
    dry_run as plan_dry_run,
)
from reorganisations.services import (
    plan_apply,
    reorganisation_plan_create,
    reorganisation_plan_update,
)


class Command(BaseCommand):
    help = "Dry-run or apply a reorganisation plan (ics-registry/reorganisation-plan@1)."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's YAML file.")
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="Show the changes; write none.")
        mode.add_argument("--apply", action="store_true", help="Make the changes.")
        parser.add_argument("--by", help="Username of the officer applying it (audited).")

    def handle(self, *args, plan, dry_run: bool, apply: bool, by=None, **options):
        path = Path(plan)
        if not path.is_file():
            raise CommandError(f"{plan}: no such file")
        text = path.read_text(encoding="utf-8")
        user = None
        if by:
            user = get_user_model()._default_manager.filter(username=by).first()
            if user is None:
                raise CommandError(f"--by: no user '{by}'")
        try:
            if dry_run:
                report = plan_dry_run(ReorganisationPlan(document=text), by=user)
            else:
                report = self._apply(text, user)
        except ValidationError as exc:
            for line in exc.messages:
                self.stderr.write(line)
            raise CommandError(f"{path.name}: the plan was refused; nothing was written.") from exc
        self.stdout.write("\n".join(report.lines()))

    def _apply(self, text: str, user):
        name = parse(text).name
        with transaction.atomic():
            plan = ReorganisationPlan.objects.filter(name=name).first()
            if plan is None:
                plan = reorganisation_plan_create(document=text, by=user)
            elif plan.document != text and plan.status != "applied":
                plan = reorganisation_plan_update(reorganisation_plan=plan, document=text, by=user)
            return plan_apply(plan=plan, by=user)
