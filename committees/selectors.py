"""Reads: which rules apply to a board or committee, and whether it complies on a date.

``compliance_many`` gathers every fact the checks in ``committees.rules`` need for any
number of committees in a fixed number of queries (about fifteen), so the 42 ICB boards
are checked together as cheaply as one.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max, Prefetch, Q

from bodies.models import (
    COLLABORATIVE_TRUST_TYPES,
    NHS_TRUST_KINDS,
    Body,
    BodyKind,
    Organisation,
)
from committees.models import (
    Committee,
    CommitteeKind,
    Constitution,
    Requirement,
    Role,
    Seat,
    StandingOrders,
)
from committees.rules import Facts, Report, evaluate
from core.db import in_force_on
from memberships.models import Membership
from memberships.selectors import SeatHolding, compositions, held_on


def constitutions_in_force(as_of: datetime.date) -> Q:
    return in_force_on(as_of, "effective_from", "effective_to")


def applicable_requirements(
    *, committees: Iterable[Committee], as_of: datetime.date
) -> dict[int, list[Requirement]]:
    """The requirements of every rule set that applies to each committee on ``as_of``.

    General sets (the law, national policy) first, then the committee's own constitution.
    """
    committees = list(committees)
    rule_sets = list(
        Constitution.objects.filter(constitutions_in_force(as_of))
        .filter(Q(committee__in=committees) | Q(committee__isnull=True))
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.select_related("constitution"))
        )
        .order_by("source", "code")
    )
    result = {}
    for committee in committees:
        general = [
            rs
            for rs in rule_sets
            if rs.committee_id is None
            and committee.kind in rs.committee_kinds
            and (not rs.body_kinds or committee.body.kind in rs.body_kinds)
        ]
        own = [rs for rs in rule_sets if rs.committee_id == committee.pk]
        result[committee.pk] = [r for rs in general + own for r in rs.requirements.all()]
    return result


def compliance_many(*, committees: Iterable[Committee], as_of: datetime.date) -> dict[int, Report]:
    """A compliance report for each committee (keyed by id) on ``as_of``."""
    committees = list(
        Committee.objects.filter(pk__in=[c.pk for c in committees]).select_related("body__ics__icb")
    )
    if not committees:
        return {}
    holdings = compositions(committees=committees, as_of=as_of)
    requirements = applicable_requirements(committees=committees, as_of=as_of)
    bodies = {c.body_id: c.body for c in committees}
    vacated_on = _vacated_on(holdings, as_of)
    audit_chairs = _audit_chair_people(bodies, as_of)
    convenors = _convenor_kinds(bodies)
    accountable = _accountable_person_seats(bodies, as_of)
    uncovered = _uncovered_trusts(
        {c.body.ics_id for c in committees if c.body.kind == BodyKind.ICB}, as_of
    )
    standing_orders = {
        so.committee_id: so
        for so in StandingOrders.objects.filter(committee__in=committees).prefetch_related(
            "conditions"
        )
    }

    reports = {}
    for committee in committees:
        body = committee.body
        facts = Facts(
            as_of=as_of,
            holdings=holdings[committee.pk],
            vacated_on=vacated_on,
            body_id=body.pk,
            body_established=body.established,
            icb_organisation_id=body.ics.icb_id,
            ics_go_live=body.ics.go_live,
            convenor_kinds=convenors[body.pk],
            audit_chair_person_ids=frozenset(audit_chairs[body.pk]),
            accountable_person_seats=accountable[body.pk],
            uncovered_trust_names=uncovered[body.ics_id],
            standing_orders=standing_orders.get(committee.pk),
        )
        reports[committee.pk] = evaluate(
            requirements[committee.pk], facts, subject=f"{committee.name}, {body.ics.name}"
        )
    return reports


def compliance(*, committee: Committee, as_of: datetime.date) -> Report:
    return compliance_many(committees=[committee], as_of=as_of)[committee.pk]


def current_board(body: Body) -> Committee | None:
    """The body's board: its committee of kind board that has not been abolished."""
    return body.committees.filter(kind=CommitteeKind.BOARD, abolished__isnull=True).first()


def principal_committee(body_or_committee) -> Committee:
    """A committee as it is; a body as its board (what officers mean by 'the ICB')."""
    if isinstance(body_or_committee, Committee):
        return body_or_committee
    board = current_board(body_or_committee)
    if board is None:
        raise Committee.DoesNotExist(f"{body_or_committee} has no board")
    return board


def _vacated_on(holdings: dict[int, list[SeatHolding]], as_of) -> dict[int, datetime.date]:
    """For each seat, the last day a holder was in it before ``as_of``."""
    seat_ids = [h.seat.pk for seat_holdings in holdings.values() for h in seat_holdings]
    return dict(
        Membership.objects.filter(seat_id__in=seat_ids, end__lt=as_of)
        .values("seat_id")
        .annotate(last=Max("end"))
        .values_list("seat_id", "last")
    )


def _audit_chair_people(bodies, as_of) -> dict[int, set[int]]:
    """People chairing an audit committee of each body on ``as_of`` (R21)."""
    result = defaultdict(set)
    for body_id, person_id in Membership.objects.filter(
        held_on(as_of),
        seat__is_chair=True,
        seat__body_id__in=bodies,
        committee__name__icontains="audit",
    ).values_list("seat__body_id", "person_id"):
        result[body_id].add(person_id)
    return result


def _convenor_kinds(bodies) -> dict[int, dict[int, str]]:
    result = defaultdict(dict)
    for body_id, org_id, kind in Body.convening_organisations.through.objects.filter(
        body_id__in=bodies
    ).values_list("body_id", "organisation_id", "organisation__kind"):
        result[body_id][org_id] = kind
    return result


def _accountable_person_seats(bodies, as_of) -> dict[int, list[SeatHolding]]:
    """Single-accountable-person seats of each place on any of its committees (R11)."""
    places = [pk for pk, body in bodies.items() if body.kind == BodyKind.PLACE_PARTNERSHIP]
    seats = list(
        Seat.objects.filter(
            in_force_on(as_of), body_id__in=places, role=Role.SINGLE_ACCOUNTABLE_PERSON
        )
    )
    holders = {
        m.seat_id: m
        for m in Membership.objects.filter(held_on(as_of), seat__in=seats).select_related("person")
    }
    result = defaultdict(list)
    for seat in seats:
        result[seat.body_id].append(
            SeatHolding(seat=seat, as_of=as_of, membership=holders.get(seat.pk))
        )
    return result


def _uncovered_trusts(ics_ids: set[int], as_of) -> dict[int, list[str]]:
    """Acute and mental health trusts of each ICS in no provider collaborative (R13)."""
    if not ics_ids:
        return defaultdict(list)
    collaboratives = Body.objects.filter(
        in_force_on(as_of), ics_id__in=ics_ids, kind=BodyKind.PROVIDER_COLLABORATIVE
    )
    covered = set(
        Body.member_organisations.through.objects.filter(body__in=collaboratives).values_list(
            "organisation_id", flat=True
        )
    ) | set(collaboratives.exclude(lead_provider=None).values_list("lead_provider_id", flat=True))
    result = defaultdict(list)
    for ics_id, org_id, name in (
        Organisation.systems.through.objects.filter(
            integratedcaresystem_id__in=ics_ids,
            organisation__kind__in=NHS_TRUST_KINDS,
            organisation__trust_type__in=COLLABORATIVE_TRUST_TYPES,
        )
        .filter(Q(organisation__closed__isnull=True) | Q(organisation__closed__gte=as_of))
        .values_list("integratedcaresystem_id", "organisation_id", "organisation__name")
    ):
        if org_id not in covered:
            result[ics_id].append(name)
    return result


def committees_in_scope(*, ics=None, systems=None, as_of: datetime.date):
    """Boards and committees in force on ``as_of``, of one system, of some, or of all."""
    queryset = Committee.objects.filter(in_force_on(as_of)).select_related("body__ics__region")
    if ics is not None:
        queryset = queryset.filter(ics=ics)
    if systems is not None:
        queryset = queryset.filter(ics__in=systems)
    return queryset.order_by("ics__name", "body__kind", "body__name", "kind", "name")


def board_compliance_for_all_systems(*, as_of: datetime.date) -> dict[int, Report]:
    """Every current ICB board in England, checked together."""
    boards = Committee.objects.filter(
        in_force_on(as_of), kind=CommitteeKind.BOARD, body__kind=BodyKind.ICB
    )
    return compliance_many(committees=boards, as_of=as_of)
