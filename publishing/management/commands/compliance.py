"""Print compliance reports; exit 3 when any statutory breach is found (for monitoring)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from bodies.models import IntegratedCareSystem
from committees.selectors import committees_in_scope
from core.dates import en_gb
from memberships.selectors import compliance_many

STATUTORY_BREACH_EXIT = 3
MARKS = {True: "ok", False: "!!"}


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Check every board and committee (of one ICS, or of all) against the law, national "
        "policy and its own constitution on a date. Exits with status 3 when any statutory "
        "breach is found, so it can run in monitoring."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ics", metavar="CODE", help="The ICB's ODS code, e.g. QSL.")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Default: today.")
        parser.add_argument(
            "--breaches-only", action="store_true", help="Print only unmet requirements."
        )

    def handle(self, *args, ics=None, as_of=None, breaches_only=False, **options):
        as_of = parse_date(as_of) if as_of else datetime.date.today()
        system = None
        if ics:
            system = IntegratedCareSystem.objects.filter(code__iexact=ics).first()
            if system is None:
                raise CommandError(f"No integrated care system has the code {ics!r}.")
        committees = list(committees_in_scope(ics=system, as_of=as_of))
        reports = compliance_many(committees=committees, as_of=as_of)
        statutory = 0
        for committee in committees:
            report = reports[committee.pk]
            statutory += len(report.statutory_breaches)
            self.print_report(report, breaches_only=breaches_only)
        summary = (
            f"{len(committees)} boards and committees checked on {en_gb(as_of)}: "
            f"{sum(not r.compliant for r in reports.values())} not compliant, "
            f"{statutory} statutory breaches."
        )
        self.stdout.write(summary)
        if statutory:
            raise CommandError(
                f"{statutory} statutory breaches found.", returncode=STATUTORY_BREACH_EXIT
            )

    def print_report(self, report, *, breaches_only: bool):
        verdict = "compliant" if report.compliant else f"NOT COMPLIANT ({len(report.breaches)})"
        self.stdout.write(f"{report.subject}, on {en_gb(report.as_of)}: {verdict}")
        for finding in report.worst_first:
            if breaches_only and finding.met:
                continue
            label = "" if finding.met else f" [{finding.severity}]"
            rule = f"{finding.rule} " if finding.rule else ""
            self.stdout.write(f"  {MARKS[finding.met]} {rule}{finding.message}{label}")
        self.stdout.write("")
