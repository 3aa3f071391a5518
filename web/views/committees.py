"""A board or committee (/committees/<id>/): its seats and holders on a date, whether it
complies with its rules, its quorum and voting rules, and every change of holder.

Public: the composition of a board is public information. Officers of the committee's
system also see links to change it (``access|administers``). With htmx, changing the
date re-renders only the part that depends on it (the ``on_date`` fragment).
"""

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from appointments.models import AppointmentRound
from appointments.selectors import open_rounds
from committees.models import Committee, CommitteeKind, Seat, StandingOrders, VotingMethod
from committees.rules import Severity
from core.db import in_force_on
from documents.selectors import documents_on
from memberships.selectors import (
    SeatHolding,
    TimelineEntry,
    compliance,
    composition,
    seat_timelines,
)
from web.access import access_for
from web.forms import AsOfForm
from web.views.appointments import WITHIN_DAYS as TERMS_WITHIN_DAYS


@dataclass(frozen=True)
class SeatRow:
    """One row of the seat grid: a seat on the date, its holder or since when it is vacant."""

    holding: SeatHolding
    offices: list[str]
    vacant_since: datetime.date | None
    # The appointment round under way for the seat, if any; and whether the seat needs
    # one (vacant, or its holder's term ends within the appointments page's horizon, so
    # the row links to the appointments).
    round: AppointmentRound | None = None
    needs_round: bool = False

    @property
    def seat(self) -> Seat:
        return self.holding.seat

    @property
    def role(self) -> str:
        """The seat's role where its title says something else ("Chief Nurse")."""
        role = self.seat.get_role_display()
        return role if self.seat.title and self.seat.title.lower() != role.lower() else ""


def vacant_since(seat: Seat, timeline: list[TimelineEntry], as_of) -> datetime.date | None:
    """The first day of the vacancy covering ``as_of`` (the seat's establishment if it was
    never held before then), or None when that is not known."""
    for entry in timeline:
        if entry.vacant and entry.start <= as_of and (entry.end is None or entry.end >= as_of):
            return entry.start
    return seat.established


def quorum_and_voting(orders: StandingOrders | None) -> list[str]:
    """The standing orders' quorum (R25, R27) and voting (R26) rules, in plain sentences."""
    if orders is None:
        return []
    quorum = f"At least {orders.quorum_voting_members} voting members must be present"
    conditions = [f"{c.min_present} {c.description}" for c in orders.conditions.all()]
    if conditions:
        listed = ", ".join(conditions[:-1]) + " and " if len(conditions) > 1 else ""
        quorum += ", including at least " + listed + conditions[-1]
    method = {
        VotingMethod.SIMPLE_MAJORITY: "a simple majority of those voting",
        VotingMethod.TWO_THIRDS: "two-thirds of those voting",
        VotingMethod.UNANIMITY: "unanimity",
    }[orders.voting_method]
    casting = "has" if orders.chair_has_casting_vote else "does not have"
    return [
        f"{quorum} (R25).",
        "A member excluded from an item by a conflict of interest "
        + ("still counts" if orders.conflicted_members_count_for_quorum else "does not count")
        + " towards the quorum for that item (R27).",
        "Members may send a named deputy who counts towards the quorum and votes in their place."
        if orders.deputies_allowed
        else "Members may not send deputies to count towards the quorum or vote.",
        f"Decisions need {method}; the chair {casting} a casting vote (R26).",
    ]


def and_list(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def meets_with(committee: Committee) -> dict:
    """The other bodies' committees it meets in common with, and for a joint committee
    the sentence naming the bodies that established it ("Joint committee of A and B")."""
    in_common = []
    if committee.in_common_with_id:
        in_common = list(
            Committee.objects.filter(in_common_with_id=committee.in_common_with_id)
            .exclude(pk=committee.pk)
            .select_related("body")
            .order_by("body__name", "name")
        )
    joint_of = ""
    if committee.kind == CommitteeKind.JOINT_COMMITTEE:
        others = [body.name for body in committee.joint_bodies.order_by("name")]
        if others:
            joint_of = f"Joint committee of {and_list([committee.body.name, *others])}"
    return {"in_common": in_common, "joint_of": joint_of}


@require_GET
def committee(request, pk):
    committee = get_object_or_404(Committee.objects.select_related("body__ics", "parent"), pk=pk)
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    holdings = composition(committee=committee, as_of=as_of)
    seats = list(Seat.objects.filter(committee=committee))
    timelines = seat_timelines(seats=seats)
    rounds = {r.seat_id: r for r in open_rounds().filter(seat__committee=committee)}
    horizon = as_of + datetime.timedelta(days=TERMS_WITHIN_DAYS)
    rows = [
        SeatRow(
            holding=h,
            offices=h.seat.unsaid_offices,
            vacant_since=vacant_since(h.seat, timelines[h.seat.pk], as_of) if h.vacant else None,
            round=rounds.get(h.seat.pk),
            needs_round=h.vacant or (h.term_end is not None and h.term_end <= horizon),
        )
        for h in holdings
    ]
    report = compliance(committee=committee, as_of=as_of)
    context = {
        "committee": committee,
        "edit_controls": access_for(request).administers(committee.ics_id),
        "ics": committee.body.ics,
        "form": form,
        "as_of": as_of,
        "rows": rows,
        "voting": sum(1 for h in holdings if h.voting),
        "vacant": sum(1 for h in holdings if h.vacant),
        "report": report,
        "unmet": [(f, Severity(f.severity).label) for f in report.worst_first if not f.met],
        "met": [f for f in report.worst_first if f.met],
        "in_force": committee.established is None or committee.established <= as_of,
        "abolished": committee.abolished is not None and committee.abolished < as_of,
    }
    if request.htmx:
        return render(request, "web/committees/committee.html#on_date", context)
    orders = (
        StandingOrders.objects.filter(
            in_force_on(as_of, "effective_from", "effective_to"), committee=committee
        )
        .prefetch_related("conditions")
        .first()
    )
    context |= meets_with(committee) | {
        "documents": documents_on(access=access_for(request), as_of=as_of, committee=committee),
        "rules": quorum_and_voting(orders),
        "sub_committees": committee.sub_committees.filter(in_force_on(as_of)).order_by("name"),
        "history": [
            (seat, timelines[seat.pk][::-1], sum(1 for e in timelines[seat.pk] if not e.vacant))
            for seat in seats
        ],
    }
    return render(request, "web/committees/committee.html", context)


urlpatterns = [path("committees/<int:pk>/", committee, name="committee")]
