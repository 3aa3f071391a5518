"""Reads: who held each seat on a date, terms ending, vacancies, the history of seats and
bodies, and compliance: each committee's rules (``committees``) applied to its holders.

``compliance_many`` gathers every fact the checks in ``committees.rules`` need for any
number of committees in a fixed number of queries (about fifteen), so the 42 ICB boards
are checked together as cheaply as one.

Every function here runs a fixed number of queries whatever the number of seats, people
or committees it is given: callers pass many committees at once rather than looping.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    DateField,
    Exists,
    F,
    FilteredRelation,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from bodies.models import (
    COLLABORATIVE_TRUST_TYPES,
    NHS_TRUST_KINDS,
    Body,
    BodyConvenorLink,
    BodyKind,
    BodyMemberLink,
    OrganisationSystemLink,
)
from bodies.selectors import clusters_on
from committees.models import Committee, CommitteeKind, Role, Seat, StandingOrders, seat_label
from committees.rules import Employed, Facts, Report, evaluate
from committees.selectors import applicable_requirements
from committees.system_rules import AUDIT_COMMITTEE
from core.dates import term_end
from core.db import in_force_on, prefetch_links_on
from memberships.models import Employment, Membership, Person


@dataclass(frozen=True)
class OtherRole:
    """Another role of a seat holder in the same ICS on the date (R2's roles in the footprint)."""

    description: str
    role: str | None = None
    body_id: int | None = None
    seat_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class SeatHolding:
    """A seat on a date, with its holder (or none) and the holder's other roles in the ICS."""

    seat: Seat
    as_of: datetime.date
    membership: Membership | None = None
    other_roles: tuple[OtherRole, ...] = field(default=())

    @property
    def vacant(self) -> bool:
        return self.membership is None

    @property
    def holder(self):
        return self.membership.person if self.membership else None

    @property
    def voting(self) -> bool:
        return self.seat.voting

    @property
    def term_end(self) -> datetime.date | None:
        return membership_term_end(self.membership) if self.membership else None


def membership_term_end(membership: Membership) -> datetime.date | None:
    """Scheduled last day of the term (R24).

    A membership is one term of office: a reappointment starts a new membership.
    """
    return term_end(membership.start, membership.seat.term_length_months)


def held_on(as_of: datetime.date) -> Q:
    """Memberships that cover ``as_of`` (end dates are inclusive)."""
    return Q(start__lte=as_of) & (Q(end__isnull=True) | Q(end__gte=as_of))


def compositions(
    *, committees: Iterable[Committee], as_of: datetime.date
) -> dict[int, list[SeatHolding]]:
    """Every seat in force on ``as_of`` for each committee, keyed by committee id."""
    return _compositions(committees, as_of)[0]


SEAT_ORDER_IN_COMMITTEE = [o for o in Seat._meta.ordering if o != "committee__name"]


def _compositions(committees, as_of) -> tuple[dict[int, list[SeatHolding]], dict]:
    """:func:`compositions`, and the holders' employments on ``as_of`` it read (R2), which
    compliance reads too (R3): read once."""
    committees = list(committees)
    committee_ids = [c.pk for c in committees]
    # The seats' order within a committee (Seat.Meta.ordering after the committee's name,
    # which is one name a committee): no join to the committees to order by it.
    in_scope = Seat.objects.filter(in_force_on(as_of), committee_id__in=committee_ids).order_by(
        *SEAT_ORDER_IN_COMMITTEE
    )
    if all(Committee.body.is_cached(c) for c in committees):
        # The seats take the committees given, with their bodies, rather than a copy of
        # each per seat (issue 13: 26,000 seats on the national overview).
        by_id = {c.pk: c for c in committees}
        seats = list(in_scope)
        for seat in seats:
            seat.committee = by_id[seat.committee_id]
    else:
        seats = list(in_scope.select_related("committee__body"))
    # Who nominated each seat on the date (R4), not who nominates it today.
    prefetch_links_on(seats, field="nominating_organisations", as_of=as_of)
    # By the committees (a membership's committee is its seat's: a composite foreign key),
    # not by the seats: one parameter list of committees, and no subquery of the seats to
    # build and compile again (issue 13). A holder of a seat not in force is left out.
    seats_by_id = {seat.pk: seat for seat in seats}
    memberships = {
        m.seat_id: m
        for m in Membership.objects.filter(held_on(as_of), committee_id__in=committee_ids)
        .select_related("person", "on_behalf_of")
        .order_by()  # keyed by seat: no order (Membership.Meta's joins the seats)
        if m.seat_id in seats_by_id
    }
    for membership in memberships.values():
        membership.seat = seats_by_id[membership.seat_id]
    employers = employments_on({m.person_id for m in memberships.values()}, as_of)
    other_roles = _other_roles(memberships.values(), as_of, employers)
    result: dict[int, list[SeatHolding]] = {pk: [] for pk in committee_ids}
    for seat in seats:
        membership = memberships.get(seat.pk)
        roles = other_roles.get(membership.pk, ()) if membership else ()
        result[seat.committee_id].append(
            SeatHolding(seat=seat, as_of=as_of, membership=membership, other_roles=tuple(roles))
        )
    return result, employers


SEAT_HOLDER_FIELDS = (
    "id",
    "committee_id",
    "role",
    "title",
    "voting",
    "participation",
    "is_chair",
    "is_deputy_chair",
    "is_senior_independent_member",
    "term_length_months",
    "holder__id",
    "holder__person_id",
    "holder__person_name",
    "holder__start",
    "holder__end",
    "holder__status",
    "holder__on_behalf_of_id",
)


def holder_on(as_of: datetime.date) -> FilteredRelation:
    """A seat's membership held on ``as_of`` (:func:`held_on`), to join to seats as
    ``holder``: at most one a seat (the no-overlap constraint), so one row a seat."""
    return FilteredRelation(
        "memberships",
        condition=Q(memberships__start__lte=as_of)
        & (Q(memberships__end__isnull=True) | Q(memberships__end__gte=as_of)),
    )


def seat_holder_rows(*, committee_ids: Iterable[int], as_of: datetime.date) -> list[dict]:
    """The seats in force on ``as_of`` of the committees, in order, each with its holder
    that day (``holder__*`` null when vacant), as plain rows in one query: what a
    composition shows, without the facts only compliance reads (the nominating
    organisations and the holders' other roles, which :func:`compositions` gathers)."""
    return list(
        Seat.objects.filter(in_force_on(as_of), committee_id__in=list(committee_ids))
        .annotate(holder=holder_on(as_of))
        .values(*SEAT_HOLDER_FIELDS)
    )


def composition(*, committee: Committee, as_of: datetime.date) -> list[SeatHolding]:
    return compositions(committees=[committee], as_of=as_of)[committee.pk]


_HELD_FIELDS = (
    "pk",
    "person_id",
    "ics_id",
    "seat_id",
    "seat__role",
    "seat__title",
    "seat__is_chair",
    "seat__body_id",
    "seat__committee__name",
    "seat__committee__kind",
    "seat__committee__body__kind",
)


@dataclass(frozen=True, slots=True)
class _HeldBody:
    kind: str


@dataclass(frozen=True, slots=True)
class _HeldCommittee:
    name: str
    kind: str
    body: _HeldBody


@dataclass(frozen=True, slots=True)
class _HeldSeat:
    """What :func:`_other_roles` and :func:`_shared_post` read of another seat held."""

    role: str
    title: str
    is_chair: bool
    body_id: int
    committee: _HeldCommittee

    @property
    def label(self) -> str:
        return seat_label(self.title, self.role)


class _Held:
    """Another membership held that day, from one row (:data:`_HELD_FIELDS`)."""

    __slots__ = ("ics_id", "person_id", "pk", "seat", "seat_id")

    def __init__(self, pk, person_id, ics_id, seat_id, role, title, is_chair, body_id, *committee):
        self.pk, self.person_id, self.ics_id, self.seat_id = pk, person_id, ics_id, seat_id
        name, kind, body_kind = committee
        committee = _HeldCommittee(name, kind, _HeldBody(body_kind))
        self.seat = _HeldSeat(role, title, is_chair, body_id, committee)


def _other_roles(
    memberships: Iterable[Membership], as_of, employers: dict[int, tuple[Employed, ...]]
) -> dict[int, list[OtherRole]]:
    """For each membership, the holder's other seats and employment in the footprint on
    ``as_of``: the membership's ICS and, when it is clustered that day, every system of
    its cluster (R2), except the cluster's shared post held on another of its boards.
    ``employers``: the holders' employments that day (:func:`employments_on`)."""
    memberships = list(memberships)
    if not memberships:
        return {}
    person_ids = {m.person_id for m in memberships}
    clusters = clusters_on(systems={m.ics_id for m in memberships}, as_of=as_of)
    # Every seat the holders hold that day, as rows rather than a membership, seat,
    # committee and body instance each (issue 13: 20,000 holders on the national overview).
    elsewhere = defaultdict(list)
    for row in Membership.objects.filter(held_on(as_of), person_id__in=person_ids).values_list(
        *_HELD_FIELDS
    ):
        held = _Held(*row)
        elsewhere[held.person_id].append(held)
    employer_ids = {e.organisation_id for found in employers.values() for e in found}
    employer_systems = defaultdict(set)
    # No employer, no query to build (building one that finds nothing was a tenth of a
    # composition's time: issue 13).
    for org_id, ics_id in (
        OrganisationSystemLink.objects.filter(
            in_force_on(as_of, "start", "end"), organisation_id__in=employer_ids
        ).values_list("organisation_id", "integratedcaresystem_id")
        if employer_ids
        else ()
    ):
        employer_systems[org_id].add(ics_id)

    result: dict[int, list[OtherRole]] = {}
    for membership in memberships:
        cluster = clusters.get(membership.ics_id)
        footprint = cluster.system_ids if cluster else {membership.ics_id}
        with_the_post = _icbs_sharing_the_post(membership, elsewhere[membership.person_id], cluster)
        roles = [
            OtherRole(
                description=f"{other.seat.label}, {other.seat.committee.name}",
                role=other.seat.role,
                body_id=other.seat.body_id,
                seat_id=other.seat_id,
            )
            for other in elsewhere[membership.person_id]
            if other.pk != membership.pk
            and other.ics_id in footprint
            and other.seat.body_id not in with_the_post
        ]
        for employer in employers.get(membership.person_id, ()):
            if footprint & employer_systems[employer.organisation_id]:
                how = "Seconded to" if employer.seconded else "Employed by"
                roles.append(
                    OtherRole(
                        description=f"{how} {employer.organisation_name}",
                        organisation_id=employer.organisation_id,
                    )
                )
        result[membership.pk] = roles
    return result


def _shared_post(seat: Seat, cluster) -> str | None:
    """Which post of a cluster's ICB boards ``seat`` is, when the cluster shares it."""
    committee = seat.committee
    if committee.kind != CommitteeKind.BOARD or committee.body.kind != BodyKind.ICB:
        return None
    if cluster.shares_chair and seat.is_chair:
        return "chair"
    if cluster.shares_chief_executive and seat.role == Role.CHIEF_EXECUTIVE:
        return "chief_executive"
    return None


def _icbs_sharing_the_post(membership: Membership, held: Iterable[Membership], cluster) -> set:
    """The ICB bodies on whose boards the holder of a cluster's shared post (its chair or
    chief executive, ``membership``) holds that same post: the shared chair sits on each
    board at once, with the committee seats that come with the post there, and none of it
    is a conflict (R2). Empty when ``membership`` is no shared post."""
    post = _shared_post(membership.seat, cluster) if cluster else None
    if post is None:
        return set()
    return {
        other.seat.body_id
        for other in held
        if other.ics_id != membership.ics_id and _shared_post(other.seat, cluster) == post
    }


def employments_on(person_ids: Iterable[int], as_of) -> dict[int, tuple[Employed, ...]]:
    """Each person's employers and secondments in force on ``as_of`` (one query)."""
    found = defaultdict(list)
    for person_id, org_id, name, seconded in (
        Employment.objects.filter(in_force_on(as_of, "start", "end"), person_id__in=person_ids)
        .order_by("seconded", "organisation__name")
        .values_list("person_id", "organisation_id", "organisation__name", "seconded")
    ):
        found[person_id].append(Employed(org_id, name, seconded))
    return {person_id: tuple(employed) for person_id, employed in found.items()}


class TermEnd(Func):
    """SQL for the scheduled term end: start + term length in months - 1 day (R24)."""

    def __init__(self, start, months, **extra):
        super().__init__(start, months, output_field=DateField(), **extra)

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        sql = f"(({start_sql}) + make_interval(months => {months_sql}) - interval '1 day')::date"
        return sql, (*start_params, *months_params)


def with_term_end(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(scheduled_term_end=TermEnd(F("start"), F("seat__term_length_months")))


def terms_ending(
    *, as_of: datetime.date, within_days: int, ics=None
) -> QuerySet:  # QuerySet[Membership]
    """Current memberships whose term ends between ``as_of`` and ``as_of + within_days`` (R24)."""
    horizon = as_of + datetime.timedelta(days=within_days)
    queryset = with_term_end(
        Membership.objects.filter(held_on(as_of), seat__term_length_months__isnull=False)
    ).filter(scheduled_term_end__gte=as_of, scheduled_term_end__lte=horizon)
    if ics is not None:
        queryset = queryset.filter(ics=ics)
    return queryset.select_related("person", "seat__committee__body__ics").order_by(
        "scheduled_term_end", "person_name"
    )


def person_memberships(*, person, as_of: datetime.date) -> list[Membership]:
    """Every seat a person holds, will hold or held, in any system: those held on
    ``as_of`` first, then those to come, then past ones, latest first (one query).
    Each has ``scheduled_term_end`` and ``held`` (whether it covers ``as_of``)."""
    memberships = list(
        with_term_end(Membership.objects.filter(person=person)).select_related(
            "seat__committee__body__ics", "on_behalf_of"
        )
    )
    for membership in memberships:
        membership.held = membership.start <= as_of and (
            membership.end is None or membership.end >= as_of
        )
        membership.to_come = membership.start > as_of

    def order(m):
        group = 0 if m.held else 1 if m.to_come else 2
        return (group, -m.start.toordinal(), m.seat.committee.name, m.seat.label)

    return sorted(memberships, key=order)


@dataclass(frozen=True)
class TimelineEntry:
    """A holder of a seat, or a gap (``membership`` None) between holders."""

    seat: Seat
    start: datetime.date
    end: datetime.date | None
    membership: Membership | None = None

    @property
    def vacant(self) -> bool:
        return self.membership is None


def seat_timeline(*, seat: Seat) -> list[TimelineEntry]:
    """Every holder of the seat in order, with the vacancies between them."""
    return _timeline(seat, seat.memberships.select_related("person").order_by("start"))


def seat_timelines(*, seats: Iterable[Seat]) -> dict[int, list[TimelineEntry]]:
    """:func:`seat_timeline` of many seats (keyed by seat id) in one query."""
    seats = list(seats)
    memberships = defaultdict(list)
    for membership in Membership.objects.filter(seat__in=seats).order_by("start"):
        memberships[membership.seat_id].append(membership)
    return {seat.pk: _timeline(seat, memberships[seat.pk]) for seat in seats}


def _timeline(seat: Seat, memberships: Iterable[Membership]) -> list[TimelineEntry]:
    """The holders (``memberships``, oldest first) of a seat, with the gaps between them."""
    entries: list[TimelineEntry] = []
    previous_end = None
    for membership in memberships:
        if previous_end is not None and membership.start > previous_end + datetime.timedelta(1):
            entries.append(
                TimelineEntry(
                    seat=seat,
                    start=previous_end + datetime.timedelta(1),
                    end=membership.start - datetime.timedelta(1),
                )
            )
        entries.append(
            TimelineEntry(
                seat=seat, start=membership.start, end=membership.end, membership=membership
            )
        )
        previous_end = membership.end
        if previous_end is None:
            break
    # After the last holder left, the seat is vacant until it is abolished (if ever).
    if previous_end is not None and (seat.abolished is None or previous_end < seat.abolished):
        entries.append(
            TimelineEntry(seat=seat, start=previous_end + datetime.timedelta(1), end=seat.abolished)
        )
    return entries


@dataclass(frozen=True)
class ChangeOfHolder:
    """One event in a body's history: someone joined or left a seat."""

    date: datetime.date
    kind: str  # "joined" or "left"
    membership: Membership

    @property
    def reason(self) -> str:
        return self.membership.get_end_reason_display() if self.kind == "left" else ""


def body_timeline(*, body: Body) -> list[ChangeOfHolder]:
    """Every change of holder on every board and committee of a body, oldest first."""
    changes: list[ChangeOfHolder] = []
    for membership in Membership.objects.filter(seat__body=body).select_related(
        "seat__committee", "person"
    ):
        changes.append(ChangeOfHolder(membership.start, "joined", membership))
        if membership.end:
            changes.append(ChangeOfHolder(membership.end, "left", membership))
    return sorted(changes, key=lambda c: (c.date, c.kind != "left", c.membership.person_name))


def compliance_many(*, committees: Iterable[Committee], as_of: datetime.date) -> dict[int, Report]:
    """A compliance report for each committee (keyed by id) on ``as_of``."""
    committees = list(committees)
    if not all(Committee.body.is_cached(c) and Body.ics.is_cached(c.body) for c in committees):
        # Read again with their bodies and systems; committees read with them already (the
        # API's, committees_in_scope's) are taken as they are (issue 13: a query less).
        committees = list(
            Committee.objects.filter(pk__in=[c.pk for c in committees]).select_related("body__ics")
        )
    if not committees:
        return {}
    holdings, employments = _compositions(committees, as_of)
    requirements = applicable_requirements(committees=committees, as_of=as_of)
    bodies = {c.body_id: c.body for c in committees}
    vacated_on = _vacated_on(holdings, as_of)
    audit_chairs = _audit_chair_people(bodies, as_of)
    convenors = _convenor_kinds(bodies, as_of)
    accountable = _accountable_person_seats(bodies, as_of)
    uncovered = _uncovered_trusts(
        {c.body.ics_id for c in committees if c.body.kind == BodyKind.ICB}, as_of
    )
    standing_orders = {
        so.committee_id: so
        for so in StandingOrders.objects.filter(
            in_force_on(as_of, "effective_from", "effective_to"), committee__in=committees
        )
        .order_by()  # keyed by committee: no join to the bodies to order them
        .prefetch_related("conditions")
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
            employments=employments,
        )
        reports[committee.pk] = evaluate(
            requirements[committee.pk], facts, subject=f"{committee.name}, {body.ics.name}"
        )
    return reports


def compliance(*, committee: Committee, as_of: datetime.date) -> Report:
    return compliance_many(committees=[committee], as_of=as_of)[committee.pk]


def _vacated_on(holdings_of: dict[int, list[SeatHolding]], as_of) -> dict[int, datetime.date]:
    """For each seat in force on ``as_of`` of the committees (their holdings that day, by
    committee id), the last day a holder was in it before ``as_of``."""
    # By the committees (a membership's committee is its seat's), not by a subquery of
    # the seats in force: one parameter list of committees, and one query less to build
    # (issue 13). Seats not in force are left out here.
    in_force = {h.seat.pk for holdings in holdings_of.values() for h in holdings}
    # No order: Membership.Meta's would join the seats and committees for nothing.
    left = Membership.objects.filter(committee_id__in=list(holdings_of), end__lt=as_of).order_by()
    return {
        seat_id: last
        for seat_id, last in left.values("seat_id")
        .annotate(last=Max("end"))
        .values_list("seat_id", "last")
        if seat_id in in_force
    }


def _audit_chair_people(bodies, as_of) -> dict[int, set[int]]:
    """People chairing an audit committee of each body on ``as_of`` (R21)."""
    result = defaultdict(set)
    # Into sets: no order (Membership.Meta's would join the seats' committees for it).
    for body_id, person_id in (
        Membership.objects.filter(
            held_on(as_of),
            AUDIT_COMMITTEE.named(prefix="committee__"),
            seat__is_chair=True,
            seat__body_id__in=bodies,
        )
        .order_by()
        .values_list("seat__body_id", "person_id")
    ):
        result[body_id].add(person_id)
    return result


def _convenor_kinds(bodies, as_of) -> dict[int, dict[int, str]]:
    """The organisations convening each body on ``as_of``, with their kind (R7)."""
    result = defaultdict(dict)
    for body_id, org_id, kind in BodyConvenorLink.objects.filter(
        in_force_on(as_of, "start", "end"), body_id__in=bodies
    ).values_list("body_id", "organisation_id", "organisation__kind"):
        result[body_id][org_id] = kind
    return result


def _accountable_person_seats(bodies, as_of) -> dict[int, list[SeatHolding]]:
    """Single-accountable-person seats of each place on any of its committees (R11)."""
    places = [pk for pk, body in bodies.items() if body.kind == BodyKind.PLACE_PARTNERSHIP]
    if not places:  # a board's or committee's of no place: no query to build (issue 13)
        return defaultdict(list)
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
    members = BodyMemberLink.objects.filter(
        in_force_on(as_of, "start", "end"), body__in=collaboratives
    ).values("organisation_id")
    leads = collaboratives.exclude(lead_provider=None).values("lead_provider_id")
    result = defaultdict(list)
    # One query: the trusts covered (members or leads of a collaborative) are subqueries.
    for ics_id, name in (
        OrganisationSystemLink.objects.filter(
            in_force_on(as_of, "start", "end"),
            integratedcaresystem_id__in=ics_ids,
            organisation__kind__in=NHS_TRUST_KINDS,
            organisation__trust_type__in=COLLABORATIVE_TRUST_TYPES,
        )
        .filter(Q(organisation__closed__isnull=True) | Q(organisation__closed__gte=as_of))
        .exclude(organisation_id__in=members)
        .exclude(organisation_id__in=leads)
        .values_list("integratedcaresystem_id", "organisation__name")
    ):
        result[ics_id].append(name)
    return result


def board_compliance_for_all_systems(*, as_of: datetime.date) -> dict[int, Report]:
    """Every current ICB board in England, checked together."""
    boards = Committee.objects.filter(
        in_force_on(as_of), kind=CommitteeKind.BOARD, body__kind=BodyKind.ICB
    )
    return compliance_many(committees=boards, as_of=as_of)


def vacant_seats(*, as_of: datetime.date, ics=None):
    """Seats in force on ``as_of`` that nobody holds, with the day the last holder left."""
    queryset = (
        Seat.objects.filter(in_force_on(as_of))
        .exclude(Exists(Membership.objects.filter(held_on(as_of), seat=OuterRef("pk"))))
        .annotate(last_left=Max("memberships__end", filter=Q(memberships__end__lt=as_of)))
        .select_related("committee__body")
        .order_by("committee__body__name", "committee__name", "role")
    )
    return queryset.filter(ics=ics) if ics is not None else queryset


def with_vacant_since(seat: Seat) -> Seat:
    seat.vacant_since = seat.last_left + datetime.timedelta(days=1) if seat.last_left else None
    return seat


def people_matching(*, query: str, as_of: datetime.date, limit: int = 20) -> list:
    """People whose name contains ``query`` (given, family or both, any case), each with
    ``current_memberships``: the seats they hold on ``as_of``, to tell namesakes apart.

    Two queries however many people match; at most ``limit`` of them, by family name.
    """
    words = query.split()
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(honorific_prefix__iexact=word)
        )
    current = Membership.objects.filter(held_on(as_of)).select_related("seat__committee")
    return list(
        Person.objects.filter(condition)
        .order_by("family_name", "given_name", "pk")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=current.order_by("start"), to_attr="current_memberships"
            )
        )[:limit]
    )
