"""Print the appointment reports: rounds under way by system, how long seats stayed
vacant over a period, and terms ending soon with no round started (issue 12)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from appointments.selectors import (
    carrying_over,
    days_vacant,
    open_rounds_by_system,
    terms_ending_without_round,
)
from bodies.models import IntegratedCareSystem
from core.dates import en_gb


def parse_date(name: str, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--{name} takes a date as YYYY-MM-DD, not {value!r}.") from exc


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


class Command(BaseCommand):
    help = (
        "Appointment reports for each integrated care system (one with --ics, or all): the "
        "appointment rounds under way and their next deadline; the days each seat was "
        "vacant from --since to --as-of; and the terms of office ending within --days of "
        "--as-of with neither a successor recorded nor a round started, and the holders "
        "carrying over after their term until a successor starts (R24)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ics", metavar="CODE", help="The ICB's ODS code, e.g. QSL.")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Default: today.")
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Start of the vacancy period (default: a year before --as-of).",
        )
        parser.add_argument(
            "--days", type=int, default=120, help="Terms ending within this many days (120)."
        )

    def handle(self, *args, ics=None, as_of=None, since=None, days=120, **options):
        as_of = parse_date("as-of", as_of) if as_of else datetime.date.today()
        since = parse_date("since", since) if since else as_of - datetime.timedelta(days=365)
        if since > as_of:
            raise CommandError("--since is on or before --as-of.")
        system = None
        if ics:
            system = IntegratedCareSystem.objects.filter(code__iexact=ics).first()
            if system is None:
                raise CommandError(f"No integrated care system has the code {ics!r}.")

        self.stdout.write(f"Appointment rounds under way on {en_gb(as_of)}")
        rounds = open_rounds_by_system(ics=system)
        if not rounds:
            self.stdout.write("  none")
        for ics_, under_way in rounds.items():
            self.stdout.write(
                f"{ics_.name}: {plural(len(under_way), 'appointment round')} under way"
            )
            for round in under_way:
                seat = round.seat
                deadline = round.appointment_by
                due = f", appointment by {en_gb(deadline)}" if deadline else ""
                self.stdout.write(
                    f"  {seat.label}, {seat.committee.name}: {round.get_stage_display()} "
                    f"(opened {en_gb(round.opened_on)}{due})"
                )

        vacancies = [v for v in days_vacant(start=since, end=as_of, ics=system) if v.days_vacant]
        self._section(
            f"Seats vacant from {en_gb(since)} to {en_gb(as_of)}",
            [(v.seat, f"{v.days_vacant} of {v.days_in_force} days vacant") for v in vacancies],
        )
        self._section(
            f"Terms ending within {days} days with no round started",
            [
                (m.seat, f"{m.person_name}'s term ends on {en_gb(m.scheduled_term_end)}")
                for m in terms_ending_without_round(as_of=as_of, within_days=days, ics=system)
            ],
        )
        self._section(
            f"Holders carrying over after their term, on {en_gb(as_of)}",
            [
                (m.seat, f"{m.person_name}, whose term ended on {en_gb(m.scheduled_term_end)}")
                for m in carrying_over(as_of=as_of, ics=system)
            ],
        )

    def _section(self, heading: str, rows: list) -> None:
        """A blank line, the heading, then one line a seat ("none" when there are none)."""
        self.stdout.write("")
        self.stdout.write(heading)
        if not rows:
            self.stdout.write("  none")
        for seat, what in rows:
            self.stdout.write(
                f"  {seat.committee.body.ics.name}, {seat.committee.name}, {seat.label}: {what}"
            )
