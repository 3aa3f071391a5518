"""Print compliance reports, for monitoring: exit 3 when any statutory breach is found,
4 when a system has no governance recorded (3 wins when both apply)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from bodies.models import IntegratedCareSystem
from core.dates import en_gb
from core.words import plural
from publishing.selectors import system_compliance

STATUTORY_BREACH_EXIT = 3
NOT_RECORDED_EXIT = 4
MARKS = {True: "ok", False: "!!"}
MISSING, MISSING_PLURAL = "statutory body or committee", "statutory bodies or committees"


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Check each integrated care system in force on a date (one with --ics, or all): "
        "that its ICB has a board, an audit committee and a remuneration committee and the "
        "system an integrated care partnership (R32), its governance documents' review dates "
        "and its committees' terms of reference (R33, R34), and every board and committee against "
        "the law, national policy and its own constitution. A system is checked from its "
        "go-live date to the day it was abolished, not outside them. Exit status, for "
        f"monitoring: 0 when nothing is wrong; {STATUTORY_BREACH_EXIT} when any statutory "
        f"breach is found; {NOT_RECORDED_EXIT} when a system has no governance recorded on "
        "the date (no body, board, committee or seat: a gap in the register, not a breach); "
        f"when both apply, {STATUTORY_BREACH_EXIT}, since a breach is worse than a gap."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ics", metavar="CODE", help="The ICB's ODS code, e.g. QSL.")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Default: today.")
        parser.add_argument(
            "--breaches-only", action="store_true", help="Print only unmet requirements."
        )

    def handle(self, *args, ics=None, as_of=None, breaches_only=False, **options):
        as_of = parse_date(as_of) if as_of else datetime.date.today()
        systems = None
        if ics:
            systems = list(IntegratedCareSystem.objects.filter(code__iexact=ics))
            if not systems:
                raise CommandError(f"No integrated care system has the code {ics!r}.")
        reports = sorted(
            system_compliance(as_of=as_of, systems=systems).values(), key=lambda r: r.subject
        )
        checked = [r for r in reports if r.in_force]
        for report in reports:
            if not report.in_force:
                if ics:
                    self.stdout.write(f"{report.subject}, on {en_gb(as_of)}: not checked")
                    self.stdout.write(f"  {report.note}.")
                    self.stdout.write("")
                continue
            self.print_system(report, breaches_only=breaches_only)
            for _, committee_report in report.committee_reports:
                self.print_report(committee_report, breaches_only=breaches_only)

        committee_reports = [r for report in checked for _, r in report.committee_reports]
        committee_statutory = sum(len(r.statutory_breaches) for r in committee_reports)
        system_statutory = sum(len(r.statutory_breaches) for r in checked)
        unrecorded = [r for r in checked if not r.recorded]
        self.stdout.write(
            f"{len(committee_reports)} boards and committees checked on {en_gb(as_of)}: "
            f"{sum(not r.compliant for r in committee_reports)} not compliant, "
            f"{committee_statutory} statutory breaches."
        )
        self.stdout.write(
            f"{plural(len(checked), 'system')} checked on {en_gb(as_of)}: "
            f"{sum(r.compliant for r in checked)} compliant, "
            f"{sum(r.recorded and not r.compliant for r in checked)} not compliant, "
            f"{len(unrecorded)} not recorded; "
            f"{plural(system_statutory, MISSING, MISSING_PLURAL)} missing (R32)."
        )
        statutory = committee_statutory + system_statutory
        gap = (
            f"{plural(len(unrecorded), 'system has', 'systems have')} no governance recorded "
            f"on {en_gb(as_of)}: {', '.join(r.subject for r in unrecorded)}."
        )
        if statutory:
            message = f"{statutory} statutory breaches found."
            raise CommandError(
                f"{message} {gap}" if unrecorded else message, returncode=STATUTORY_BREACH_EXIT
            )
        if unrecorded:
            raise CommandError(gap, returncode=NOT_RECORDED_EXIT)

    def print_system(self, report, *, breaches_only: bool):
        if not report.recorded:
            self.stdout.write(f"{report.subject}, on {en_gb(report.as_of)}: NOT RECORDED")
            self.stdout.write(f"  {report.note}.")
            self.stdout.write("")
            return
        missing = len(report.statutory_breaches)
        verdict = (
            f"MISSING STATUTORY BODIES OR COMMITTEES ({missing})"
            if missing
            else "statutory bodies and committees in place"
        )
        self.stdout.write(f"{report.subject}, on {en_gb(report.as_of)}: {verdict}")
        self.print_findings(report.worst_first, breaches_only=breaches_only)

    def print_report(self, report, *, breaches_only: bool):
        verdict = "compliant" if report.compliant else f"NOT COMPLIANT ({len(report.breaches)})"
        self.stdout.write(f"{report.subject}, on {en_gb(report.as_of)}: {verdict}")
        self.print_findings(report.worst_first, breaches_only=breaches_only)

    def print_findings(self, findings, *, breaches_only: bool):
        for finding in findings:
            if breaches_only and finding.met:
                continue
            label = "" if finding.met else f" [{finding.severity}]"
            rule = f"{finding.rule} " if finding.rule else ""
            self.stdout.write(f"  {MARKS[finding.met]} {rule}{finding.message}{label}")
        self.stdout.write("")
