"""Reads of the appointment process: rounds under way, their deadlines, and the reports
(open rounds by system, days seats stay vacant, terms ending with no round started).

Each read runs a fixed number of queries, however many systems, seats or rounds.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from appointments.models import OPEN_STAGES, AppointmentRound, Stage
from committees.models import Seat
from memberships.models import Membership
from memberships.selectors import held_on, terms_ending, with_term_end

ONE_DAY = datetime.timedelta(days=1)


def open_rounds(*, ics=None) -> QuerySet:
    """Rounds under way, by system, body, committee and seat (one query)."""
    queryset = (
        AppointmentRound.objects.filter(stage__in=OPEN_STAGES)
        .select_related("ics", "seat__committee__body", "lead", "replaces")
        .order_by("ics__name", "seat__committee__name", "seat__role", "pk")
    )
    return queryset.filter(ics=ics) if ics is not None else queryset


def open_rounds_by_system(*, ics=None) -> dict:
    """The rounds under way, grouped by system (in system order)."""
    grouped = defaultdict(list)
    for round in open_rounds(ics=ics):
        grouped[round.ics].append(round)
    return dict(grouped)


@dataclass(frozen=True)
class Deadline:
    name: str
    label: str
    on: datetime.date


# Which deadlines still matter at each stage: nominations close only while nominating,
# and so on. A round that has passed a step is not reminded of it.
DEADLINES = (
    ("nominations_close", "nominations close", (Stage.NOMINATING,)),
    ("selection_by", "a candidate is to be selected by", (Stage.NOMINATING, Stage.SELECTING)),
    ("appointment_by", "the appointment is to be made by", OPEN_STAGES),
)


def deadlines_ahead(
    round: AppointmentRound, *, today: datetime.date | None = None
) -> list[Deadline]:
    """The round's deadlines that its stage has not passed, from ``today`` on (all of
    them without ``today``: a calendar shows those already past too)."""
    return [
        Deadline(name, label, getattr(round, name))
        for name, label, stages in DEADLINES
        if round.stage in stages
        and getattr(round, name)
        and (today is None or getattr(round, name) >= today)
    ]


def rounds_with_deadlines_by(
    *, today: datetime.date, horizon: datetime.date
) -> list[tuple[AppointmentRound, Deadline]]:
    """Each deadline between ``today`` and ``horizon`` of each round under way (one query)."""
    near = Q()
    for name, _, _ in DEADLINES:
        near |= Q(**{f"{name}__gte": today, f"{name}__lte": horizon})
    rounds = (
        AppointmentRound.objects.filter(near, stage__in=OPEN_STAGES)
        .select_related("ics", "seat__committee", "lead")
        .order_by("pk")
    )
    return [
        (round, deadline)
        for round in rounds
        for deadline in deadlines_ahead(round, today=today)
        if deadline.on <= horizon
    ]


# -- reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatVacancy:
    """How many days of a period a seat in force had no holder."""

    seat: Seat
    days_in_force: int
    days_vacant: int

    @property
    def vacant_throughout(self) -> bool:
        return self.days_vacant == self.days_in_force


def _clip(start, end, lower: datetime.date, upper: datetime.date):
    first = max(start or lower, lower)
    last = min(end or upper, upper)
    return (first, last) if first <= last else None


def days_vacant(*, start: datetime.date, end: datetime.date, ics=None) -> list[SeatVacancy]:
    """For each seat in force at some time from ``start`` to ``end`` (inclusive), the days
    of that time it had no holder, most days vacant first (two queries)."""
    seats = Seat.objects.filter(
        Q(established__isnull=True) | Q(established__lte=end),
        Q(abolished__isnull=True) | Q(abolished__gte=start),
    ).select_related("committee__body__ics")
    if ics is not None:
        seats = seats.filter(ics=ics)
    seats = list(seats)
    held = defaultdict(list)
    for seat_id, m_start, m_end in Membership.objects.filter(
        Q(end__isnull=True) | Q(end__gte=start), start__lte=end, seat__in=seats
    ).values_list("seat_id", "start", "end"):
        held[seat_id].append((m_start, m_end))
    report = []
    for seat in seats:
        window = _clip(seat.established, seat.abolished, start, end)
        if window is None:
            continue
        in_force = (window[1] - window[0]).days + 1
        covered, upto = 0, window[0] - ONE_DAY
        for m_start, m_end in sorted(held[seat.pk]):
            part = _clip(m_start, m_end, max(window[0], upto + ONE_DAY), window[1])
            if part is None:
                continue
            covered += (part[1] - part[0]).days + 1
            upto = part[1]
        report.append(SeatVacancy(seat, in_force, in_force - covered))
    report.sort(
        key=lambda v: (-v.days_vacant, v.seat.committee.body.ics.name, v.seat.committee.name)
    )
    return report


def terms_ending_without_round(*, as_of: datetime.date, within_days: int, ics=None) -> QuerySet:
    """Current terms ending within ``within_days`` of ``as_of`` whose seat has neither a
    successor recorded (a re-appointment or a later holder) nor a round under way
    (one query)."""
    successor = Membership.objects.filter(seat_id=OuterRef("seat_id"), start__gt=OuterRef("start"))
    round_started = AppointmentRound.objects.filter(
        seat_id=OuterRef("seat_id"), stage__in=OPEN_STAGES
    )
    return terms_ending(as_of=as_of, within_days=within_days, ics=ics).filter(
        ~Exists(successor), ~Exists(round_started)
    )


def carrying_over(*, as_of: datetime.date, ics=None) -> QuerySet:
    """Holders still in their seat on ``as_of`` after their term ended, on seats whose
    constitution lets them carry over until a successor starts."""
    queryset = with_term_end(
        Membership.objects.filter(held_on(as_of), seat__term_length_months__isnull=False)
    ).filter(scheduled_term_end__lt=as_of, seat__carry_over_allowed=True)
    if ics is not None:
        queryset = queryset.filter(ics=ics)
    return queryset.select_related("seat__committee__body__ics", "ics").order_by(
        "scheduled_term_end"
    )
