"""``manage.py succeed_organisations --predecessor ODS [--predecessor ODS ...] --successor ODS
--effective YYYY-MM-DD [--name NAME] [--kind merger] [--source TEXT] [--by USERNAME]
[--dry-run]``.

One organisation succeeding others: new unitary councils replacing district and county
councils (local government reorganisation), or merged trusts. The successor takes on the
predecessors' footprint, nominations (R4), body memberships and convening (R7) from the
effective date; the predecessors close the day before (``reorganisations.organisations``).
A successor not yet recorded is created with ``--name``, of the first predecessor's kind.
``--dry-run`` prints the changes and writes nothing. Bad input exits with status 1 and
writes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bodies.models import Organisation, SuccessionKind
from bodies.services import organisation_create
from reorganisations.organisations import organisation_succession_apply


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Record one organisation succeeding others (e.g. a new unitary council)."

    def add_arguments(self, parser):
        parser.add_argument("--predecessor", action="append", required=True, metavar="ODS")
        parser.add_argument("--successor", required=True, metavar="ODS")
        parser.add_argument("--effective", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--name", help="The successor's name, to record it if it is new.")
        parser.add_argument("--kind", default=SuccessionKind.MERGER, choices=SuccessionKind.values)
        parser.add_argument("--source", default="", help="Where the change is published.")
        parser.add_argument("--by", help="Username of the officer making the change (audited).")
        parser.add_argument("--dry-run", action="store_true", help="Show the changes; write none.")

    def handle(self, *args, **o):
        try:
            effective = datetime.date.fromisoformat(o["effective"])
        except ValueError as exc:
            raise CommandError(f"--effective takes YYYY-MM-DD, not {o['effective']!r}.") from exc
        user = None
        if o["by"]:
            user = get_user_model()._default_manager.filter(username=o["by"]).first()
            if user is None:
                raise CommandError(f"--by: no user '{o['by']}'")
        found = {x.ods_code: x for x in Organisation.objects.filter(ods_code__in=o["predecessor"])}
        missing = [code for code in o["predecessor"] if code not in found]
        if missing:
            raise CommandError(f"--predecessor: no organisation with ODS code {', '.join(missing)}")
        predecessors = [found[code] for code in o["predecessor"]]
        report = None
        try:
            with transaction.atomic():
                successor = self._successor(o, predecessors, effective, user)
                report = organisation_succession_apply(
                    predecessors=predecessors,
                    successor=successor,
                    effective=effective,
                    kind=o["kind"],
                    source=o["source"],
                    by=user,
                    keep=not o["dry_run"],
                )
                if o["dry_run"]:
                    raise _DryRun
        except _DryRun:
            pass
        except ValidationError as exc:
            for line in exc.messages:
                self.stderr.write(line)
            raise CommandError("The succession was refused; nothing was written.") from exc
        self.stdout.write(str(report))

    @staticmethod
    def _successor(o, predecessors, effective, user) -> Organisation:
        successor = Organisation.objects.filter(ods_code=o["successor"]).first()
        if successor is not None:
            return successor
        if not o["name"]:
            raise CommandError(
                f"--successor: no organisation with ODS code {o['successor']}; give --name to "
                "record it"
            )
        first = predecessors[0]
        return organisation_create(
            name=o["name"],
            kind=first.kind,
            ods_code=o["successor"],
            region=first.region,
            opened=effective,
            by=user,
        )
