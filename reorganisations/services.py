"""Writes: record a reorganisation plan, dry-run it, apply it, and generate its checklist.

Applying a plan is one transaction through the other apps' services, so every rule they
enforce (one holder per seat, one seat per person on a committee, the delegator holds
what it delegates...) holds for the plan too, and every change is audited with who
applied it and which plan (``audit_context``). A dry run is the same apply, rolled back:
what it reports is exactly what applying would do, and nothing of it is kept.

The order of an apply:

1. the successor's ICB organisation, system, ICB body, board and seats;
2. the mapped people: designate appointments from their designate date, made
   substantive on the effective date (``membership_replace``);
   then the places, collaboratives, partnership and ICB committees the plan carries over,
   re-created in the successor with their holders (``reorganisations.carry_over``);
3. the predecessors' memberships ended on their last day ("Body abolished in a
   reorganisation"), then their bodies, boards, committees and seats abolished that day,
   their systems abolished and their ICB organisations closed;
4. successions recorded (system, body, organisation) with the plan's kind and date;
5. statutory functions, delegations and open milestones carried over to the successor.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_groups_with_perms, get_users_with_perms

from appointments.models import OPEN_STAGES, AppointmentRound
from appointments.services import round_cancel
from bodies.models import (
    Body,
    BodyKind,
    BodySuccession,
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    OrganisationSuccession,
    OrganisationSystemLink,
    Region,
    SystemStatus,
    SystemSuccession,
)
from bodies.services import organisation_create, organisation_update
from committees.models import Committee, CommitteeKind, Seat
from committees.services import body_create, committee_update, seat_create
from committees.system_selectors import system_report
from core.dates import en_gb
from core.db import in_force_on
from core.services import audit_context, record_create, record_update, save_validated
from core.words import plural
from core.writes import writes
from decisions.models.delegations import Delegation, FunctionHolding
from decisions.models.interests import InterestDeclaration
from decisions.services.delegations import (
    delegation_create,
    delegation_end,
    function_holding_record,
    function_holding_update,
)
from memberships.models import Employment, EndReason, Membership, MembershipStatus
from memberships.selectors import compliance_many, held_on
from memberships.services import (
    body_abolish,
    employment_end,
    employment_start,
    membership_end,
    membership_replace,
    membership_start,
)
from reminders.models import OPEN_STATUSES, ChecklistTemplate, Milestone, Status
from reminders.services import checklist_apply, milestone_update
from reorganisations import carry_over
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.plan import PlanDocument, PlanError, SeatRef, SeatSpec, parse
from reorganisations.seating import board_requirements, seats_for

MERGER_CHECKLIST = "ICB merger"

# The kinds of change a what-if report lists, in the order it lists them.
SECTIONS = (
    "Successor established",
    "Seats of the successor board",
    "Appointments",
    "Memberships ended",
    carry_over.SECTION,
    "Abolished",
    "Employment transferred",
    "Officers",
    "Footprint",
    "Successions",
    "Functions",
    "Delegations",
    "Milestones",
    "Appointment rounds",
    "Registers of interests",
)


@dataclass
class WhatIf:
    """Every change a plan makes, in officers' words, and the successor board's compliance
    on the effective date (``committees.rules.Report``)."""

    plan: str
    effective: datetime.date
    changes: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    compliance: object | None = None
    system: object | None = None  # the successor system's R32 findings on the effective date
    applied: bool = False

    def add(self, section: str, line: str) -> None:
        self.changes[section].append(line)

    def lines(self) -> list[str]:
        verb = "Applied" if self.applied else "Dry run of"
        out = [f"{verb} '{self.plan}', effective {en_gb(self.effective)}."]
        for section, lines in self.changes.items():
            if lines:
                out.append(f"{section} ({len(lines)}):")
                out += [f"  - {line}" for line in lines]
        if self.compliance is not None:
            state = "complies" if self.compliance.compliant else "does not comply"
            out.append(
                f"Successor board on {en_gb(self.effective)}: {state} "
                f"({plural(len(self.compliance.breaches), 'breach', 'breaches')})."
            )
            out += _findings(self.compliance.worst_first)
        if self.system is not None:
            out.append(
                f"Successor system on {en_gb(self.effective)}: {self.system.status_label.lower()} "
                f"({plural(len(self.system.breaches), 'breach', 'breaches')})."
            )
            out += _findings(self.system.worst_first)
        return out

    def __str__(self):
        return "\n".join(self.lines())


def _findings(findings) -> list[str]:
    return [f"  - [{'met' if f.met else f.severity}] {f.message}" for f in findings]


# -- recording a plan ---------------------------------------------------------------------


def _systems_named(document: PlanDocument) -> list[IntegratedCareSystem]:
    """The systems a plan involves: its predecessors, and an existing successor."""
    codes = {p.system for p in document.predecessors}
    if document.successor.existing:
        codes.add(document.successor.code)
    return list(IntegratedCareSystem.objects.filter(code__in=codes))


def _parsed(document: str) -> PlanDocument:
    """The document read, or its problems as errors of the ``document`` field."""
    try:
        return parse(document)
    except PlanError as exc:
        raise ValidationError({"document": exc.lines}) from exc


def reorganisation_plan_create(*, document: str, by=None) -> ReorganisationPlan:
    """Record a draft plan from its document; its name, kind, effective date and systems
    come from the document, which must read (``reorganisations.plan.parse``)."""
    parsed = _parsed(document)
    plan = ReorganisationPlan(
        name=parsed.name, kind=parsed.kind, effective=parsed.effective, document=document
    )
    with transaction.atomic(), audit_context(by):
        save_validated(plan, by=by)
        plan.systems.set(_systems_named(parsed))
    return plan


def reorganisation_plan_update(
    *, reorganisation_plan: ReorganisationPlan, document: str, by=None
) -> ReorganisationPlan:
    """Replace a draft plan's document (its name, kind, date and systems follow it)."""
    plan = reorganisation_plan
    if plan.status == PlanStatus.APPLIED:
        raise ValidationError("This plan has been applied: it can no longer be changed.")
    parsed = _parsed(document)
    with transaction.atomic(), audit_context(by):
        record_update(
            plan,
            by=by,
            document=document,
            name=parsed.name,
            kind=parsed.kind,
            effective=parsed.effective,
        )
        plan.systems.set(_systems_named(parsed))
    return plan


def reorganisation_plan_delete(*, reorganisation_plan: ReorganisationPlan, by=None) -> None:
    plan = reorganisation_plan
    if plan.status == PlanStatus.APPLIED:
        raise ValidationError("An applied plan is kept, as the record of what it changed.")
    with transaction.atomic(), audit_context(by):
        plan.delete()


# -- checking a plan against the registry (reads only) -------------------------------------


@dataclass
class Mapped:
    where: str
    seat: Seat  # the predecessor's seat
    membership: Membership  # its holder on the eve
    to: SeatSpec
    designate_from: datetime.date | None


@dataclass
class Resolved:
    document: PlanDocument
    region: Region
    systems: list[IntegratedCareSystem]  # abolished whole
    bodies: list[Body]  # abolished (every body of those systems, and those named)
    icb_bodies: list[Body]  # the predecessors' ICB bodies among them
    seats: list[SeatSpec]
    mapped: list[Mapped]
    existing: IntegratedCareSystem | None  # the successor's system, if already recorded
    icb_organisation: Organisation | None  # the successor's ICB, if already recorded
    carried: carry_over.CarryOver  # the bodies and ICB committees the successor keeps
    moving: list[Organisation]  # named in ``footprint``: their area moves to the successor


def plan_check(document: PlanDocument, *, plan: ReorganisationPlan | None = None) -> Resolved:
    """Everything the plan names, found in the registry, or :class:`PlanError` listing
    every inconsistency with its place in the file. Reads only."""
    errors: list[str] = []
    doc, eve = document, document.eve
    if plan is not None and plan.status == PlanStatus.APPLIED:
        raise PlanError(
            [f"This plan was already applied on {en_gb(timezone.localdate(plan.applied_at))}."]
        )

    systems, bodies = [], []
    codes = {p.system for p in doc.predecessors} | {doc.successor.code}
    found = {s.code: s for s in IntegratedCareSystem.objects.filter(code__in=codes)}
    for n, predecessor in enumerate(doc.predecessors):
        where = f"predecessors[{n}]"
        system = found.get(predecessor.system)
        if system is None:
            errors.append(f"{where}.system: no system with code '{predecessor.system}'")
            continue
        if system.abolished is not None:
            errors.append(
                f"{where}.system: {system} was already abolished on {en_gb(system.abolished)}"
            )
            continue
        if system.go_live and system.go_live > eve:
            errors.append(
                f"{where}.system: {system} goes live on {en_gb(system.go_live)}, after the "
                f"effective date {en_gb(doc.effective)}"
            )
        if predecessor.body:
            body = system.bodies.filter(name=predecessor.body).first()
            if body is None:
                errors.append(f"{where}.body: {system} has no body '{predecessor.body}'")
            elif body.abolished is not None:
                errors.append(
                    f"{where}.body: {body} was already abolished on {en_gb(body.abolished)}"
                )
            else:
                bodies.append(body)
        else:
            systems.append(system)
            bodies += list(system.bodies.filter(abolished__isnull=True))
    if len({b.pk for b in bodies}) != len(bodies):
        errors.append("predecessors: a body is named twice (a whole system includes its bodies)")

    existing = found.get(doc.successor.code)
    if doc.successor.existing:
        region, icb_organisation = _check_existing(doc, existing, systems, bodies, errors)
    else:
        region = Region.objects.filter(code=doc.successor.region).first()
        if region is None:
            errors.append(f"successor.system.region: no region with code '{doc.successor.region}'")
        if existing is not None and (existing.bodies.exists() or existing in systems):
            errors.append(
                f"successor.system.code: {existing} already exists with its bodies: has this "
                "plan been applied already?"
            )
        icb_organisation = Organisation.objects.filter(ods_code=doc.successor.icb_ods_code).first()
        if icb_organisation is not None and icb_organisation.kind != OrganisationKind.ICB:
            errors.append(
                f"successor.icb.ods_code: '{doc.successor.icb_ods_code}' is {icb_organisation}, "
                "not an integrated care board"
            )

    seats = seats_for(
        board_requirements(doc.effective) if doc.successor.seats_from_rule_sets else (),
        doc.successor.extra_seats,
    )
    by_key = {}
    for spec in seats:
        if spec.key in by_key:
            errors.append(f"successor.board.extra_seats: two seats have the key '{spec.key}'")
        by_key[spec.key] = spec

    mapped = _check_memberships(doc, by_key, errors)
    carried = carry_over.resolve(doc, systems, bodies, errors, successor=existing)
    moving = _check_footprint(doc, [*systems, *{b.ics for b in bodies}], errors)
    _check_lifecycles(doc, bodies, errors)
    if errors:
        raise PlanError(errors)
    return Resolved(
        document=doc,
        region=region,
        systems=systems,
        bodies=bodies,
        icb_bodies=[b for b in bodies if b.kind == BodyKind.ICB],
        seats=seats,
        mapped=mapped,
        existing=existing,
        icb_organisation=icb_organisation,
        carried=carried,
        moving=moving,
    )


def _check_existing(doc, existing, systems, bodies, errors: list[str]):
    """An existing successor (a boundary transfer) is in force on the effective date, with
    its ICB's board, and is none of the predecessors. Returns its region and ICB."""
    code = doc.successor.code
    if existing is None:
        errors.append(f"successor.existing: no system with code '{code}'")
        return None, None
    if existing.abolished is not None and existing.abolished < doc.effective:
        errors.append(
            f"successor.existing: {existing} was abolished on {en_gb(existing.abolished)}"
        )
    if existing in systems or any(b.ics_id == existing.pk for b in bodies):
        errors.append(f"successor.existing: {existing} is also a predecessor")
    board = _board_of(existing, doc.effective)
    if board is None:
        errors.append(
            f"successor.existing: {existing} has no ICB board in force on {en_gb(doc.effective)}"
        )
    return existing.region, existing.icb


def _board_of(system, on: datetime.date) -> Committee | None:
    return (
        Committee.objects.filter(in_force_on(on), ics=system)
        .filter(kind=CommitteeKind.BOARD, body__kind=BodyKind.ICB)
        .select_related("body")
        .first()
    )


def _check_footprint(doc, predecessors, errors: list[str]) -> list[Organisation]:
    """The organisations ``footprint`` names, each serving a predecessor on the last day."""
    found = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=doc.footprint)}
    serving = set(
        OrganisationSystemLink.objects.filter(
            in_force_on(doc.eve, "start", "end"),
            organisation__in=found.values(),
            integratedcaresystem__in=predecessors,
        ).values_list("organisation_id", flat=True)
    )
    moving = []
    for n, code in enumerate(doc.footprint):
        organisation = found.get(code)
        if organisation is None:
            errors.append(f"footprint[{n}]: no organisation with ODS code '{code}'")
        elif organisation.pk not in serving:
            errors.append(
                f"footprint[{n}]: {organisation.name} serves no predecessor's area on "
                f"{en_gb(doc.eve)}"
            )
        else:
            moving.append(organisation)
    return moving


def find_seat(ref: SeatRef, on: datetime.date, where: str, errors: list[str]):
    """The seat a reference names and its holder on ``on``, or (None, None) with the
    problem added to ``errors``."""
    system = IntegratedCareSystem.objects.filter(code=ref.system).first()
    if system is None:
        errors.append(f"{where}.system: no system with code '{ref.system}'")
        return None, None
    committees = Committee.objects.filter(in_force_on(on), ics=system).select_related("body")
    if ref.committee:
        committee = committees.filter(name=ref.committee).first()
    else:
        committee = committees.filter(kind=CommitteeKind.BOARD, body__kind=BodyKind.ICB).first()
    if committee is None:
        named = f"'{ref.committee}'" if ref.committee else "ICB board"
        errors.append(f"{where}: {system} has no {named} on {en_gb(on)}")
        return None, None
    seats = [
        s
        for s in committee.seats.filter(in_force_on(on)).select_related("committee")
        if s.label.lower() == ref.seat.lower()
    ]
    holdings = {
        m.seat_id: m
        for m in Membership.objects.filter(held_on(on), seat__in=seats).select_related("person")
    }
    if ref.holder:
        seats = [
            s
            for s in seats
            if s.pk in holdings and ref.holder.lower() in holdings[s.pk].person_name.lower()
        ]
    if not seats:
        whose = f" held by '{ref.holder}'" if ref.holder else ""
        errors.append(f"{where}.seat: no seat '{ref.seat}'{whose} on {committee.name}")
        return None, None
    if len(seats) > 1:
        errors.append(
            f"{where}.seat: {len(seats)} seats '{ref.seat}' on {committee.name}; name the "
            "holder to choose one"
        )
        return None, None
    (seat,) = seats
    membership = holdings.get(seat.pk)
    if membership is None:
        errors.append(
            f"{where}: the seat '{seat.label}' on {committee.name} has no holder on {en_gb(on)}, "
            "so there is nobody to appoint"
        )
    return seat, membership


def _check_memberships(doc: PlanDocument, by_key: dict, errors: list[str]) -> list[Mapped]:
    mapped, seen_to, seen_from, seen_person = [], {}, {}, {}
    for n, mapping in enumerate(doc.memberships):
        where = f"memberships[{n}]"
        spec = by_key.get(mapping.to)
        if spec is None:
            errors.append(
                f"{where}.to: no seat '{mapping.to}' on the successor board (its seats: "
                f"{', '.join(by_key)})"
            )
        elif mapping.to in seen_to:
            errors.append(
                f"{where}.to: the seat '{mapping.to}' is already mapped by {seen_to[mapping.to]}"
            )
        else:
            seen_to[mapping.to] = where
        seat, membership = find_seat(mapping.source, doc.eve, f"{where}.from", errors)
        if seat is not None and seat.pk in seen_from:
            errors.append(f"{where}.from: this seat is already mapped by {seen_from[seat.pk]}")
        elif seat is not None:
            seen_from[seat.pk] = where
        if membership is not None:
            other = seen_person.get(membership.person_id)
            if other is not None:
                errors.append(
                    f"{where}: {membership.person.name} would hold two seats on the successor "
                    f"board (also {other}): a person holds one seat on a committee (R22)"
                )
            seen_person[membership.person_id] = where
        if spec is not None and membership is not None:
            mapped.append(Mapped(where, seat, membership, spec, mapping.designate_from))
    return mapped


def _check_lifecycles(doc: PlanDocument, bodies: list[Body], errors: list[str]) -> None:
    """Facts recorded after the predecessors' last day contradict the plan."""
    eve = doc.eve
    later = (
        Membership.objects.filter(seat__body__in=bodies, start__gt=eve)
        .select_related("seat__committee")
        .order_by("start")
    )
    for membership in later:
        errors.append(
            f"predecessors: {membership.person_name} is appointed to {membership.seat} from "
            f"{en_gb(membership.start)}, after it is abolished on {en_gb(eve)}: end or remove "
            "that appointment first"
        )
    done = Milestone.objects.filter(
        ics__in={b.ics_id for b in bodies}, status=Status.DONE, completed_on__gte=doc.effective
    ).select_related("ics")
    for milestone in done:
        errors.append(
            f"effective: {en_gb(doc.effective)} is before the milestone '{milestone.title}' "
            f"of {milestone.ics} was done ({en_gb(milestone.completed_on)}): a predecessor "
            "cannot complete work after it is abolished; correct the milestone or the date"
        )
    if doc.transfer_delegations:
        for delegation in _delegations_involving(bodies).filter(start__gt=eve):
            errors.append(
                f"delegations: '{delegation}' starts on {en_gb(delegation.start)}, after the "
                f"predecessors are abolished on {en_gb(eve)}"
            )


def _delegations_involving(bodies: list[Body]):
    organisations = [b.ics.icb_id for b in bodies if b.kind == BodyKind.ICB and b.ics.icb_id]
    return Delegation.objects.filter(
        Q(from_organisation__in=organisations)
        | Q(from_body__in=bodies)
        | Q(from_committee__body__in=bodies)
        | Q(to_body__in=bodies)
        | Q(to_committee__body__in=bodies)
        | Q(to_seat__body__in=bodies)
    ).order_by("start", "pk")


# -- dry run and apply --------------------------------------------------------------------


class _RolledBack(Exception):
    """Raised inside a dry run's transaction to undo everything it wrote."""


def dry_run(plan: ReorganisationPlan, *, by=None) -> WhatIf:
    """Every change ``plan`` would make and the successor board's compliance on the
    effective date, with nothing written: the apply runs in a savepoint that is rolled
    back. Refused (:class:`PlanError`) as applying would be. ``plan`` may be unsaved
    (``ReorganisationPlan(document=text)``): a file checked before it is recorded."""
    report = None
    try:
        with transaction.atomic():
            report = _apply(plan, by=by, keep=False)
            raise _RolledBack
    except _RolledBack:
        pass
    return report


def plan_apply(*, plan: ReorganisationPlan, by=None) -> WhatIf:
    """Carry out ``plan`` in one transaction, audited as this plan's doing by ``by``."""
    return _apply(plan, by=by, keep=True)


def _apply(plan: ReorganisationPlan, *, by, keep: bool) -> WhatIf:
    document = parse(plan.document)
    with transaction.atomic():
        if plan.pk is not None:
            plan = ReorganisationPlan.objects.select_for_update().get(pk=plan.pk)
        elif keep:
            raise ValueError("Record the plan (reorganisation_plan_create) before applying it.")
        resolved = plan_check(document, plan=plan)
        report = WhatIf(plan=document.name, effective=document.effective, applied=keep)
        context = audit_context(by, reorganisation_plan=plan.pk, reorganisation=document.name)
        with context:
            try:
                board = _carry_out(resolved, report, by=by)
            except ValidationError as exc:
                raise PlanError([f"Refused while applying: {m}" for m in exc.messages]) from exc
            report.compliance = compliance_many(committees=[board], as_of=document.effective)[
                board.pk
            ]
            report.system = system_report(ics=board.ics, as_of=document.effective)
            if keep:
                record_update(
                    plan,
                    by=by,
                    status=PlanStatus.APPLIED,
                    applied_at=timezone.now(),
                    applied_by=by if getattr(by, "pk", None) else None,
                )
                plan.systems.add(board.ics)
    return report


def _carry_out(r: Resolved, report: WhatIf, *, by) -> Committee:
    doc = r.document
    successor, board = _establish(r, report, by=by)
    body = board.body
    seats = _seat(r, board, report, by=by)
    _appoint(r, seats, report, by=by)
    carried = carry_over.carry_over(
        r, r.carried, successor=successor, body=body, board=board, report=report, by=by
    )
    carried.seats.update({m.seat.pk: seats[m.to.key] for m in r.mapped})
    _transfer_employment(r, successor, report, by=by)
    _end_rounds(r, carried, report, by=by)
    _abolish(r, successor, report, by=by)
    _record_successions(r, successor, body, report, by=by)
    _hand_over_officers(r, successor, report)
    _carry_footprint(r, successor, report, by=by)
    if doc.transfer_functions or doc.transfer_delegations:
        _transfer_functions_and_delegations(r, successor, carried, report, by=by)
    if doc.transfer_milestones:
        _transfer_milestones(r, successor, body, carried, report, by=by)
    if doc.transfer_registers:
        _list_registers(r, successor, report)
    return board


def _establish(r: Resolved, report: WhatIf, *, by):
    s, doc = r.document.successor, r.document
    if s.existing:
        board = _board_of(r.existing, doc.effective)
        report.add(
            "Successor established",
            f"None: {r.existing.name} ({r.existing.code}) exists, and its board "
            f"{board.name} takes on what the plan moves",
        )
        return r.existing, board
    icb = r.icb_organisation
    if icb is None:
        icb = organisation_create(
            name=s.icb_name,
            kind=OrganisationKind.ICB,
            ods_code=s.icb_ods_code,
            region=r.region,
            opened=doc.effective,
            by=by,
        )
        report.add("Successor established", f"Organisation {icb}, opened {en_gb(doc.effective)}")
    fields = dict(
        name=s.name,
        ons_code=s.ons_code,
        region=r.region,
        icb=icb,
        status=SystemStatus.ESTABLISHED,
        go_live=doc.effective,
    )
    if r.existing is not None:
        system = record_update(r.existing, by=by, **fields)
    else:
        system = record_create(IntegratedCareSystem, by=by, code=s.code, **fields)
    report.add(
        "Successor established",
        f"System {system.name} ({system.code}), going live {en_gb(doc.effective)}",
    )
    body = body_create(
        ics=system,
        name=s.body_name,
        kind=BodyKind.ICB,
        established=doc.effective,
        board_name=s.board_name or None,
        by=by,
    )
    board = body.committees.get(kind=CommitteeKind.BOARD)
    report.add("Successor established", f"Body {body.name}, established {en_gb(doc.effective)}")
    first_designate = min((m.designate_from for m in r.mapped if m.designate_from), default=None)
    if first_designate is not None:
        board = committee_update(committee=board, by=by, established=first_designate)
        report.add(
            "Successor established",
            f"Board {board.name}, meeting in shadow from {en_gb(first_designate)} with its "
            "designate members",
        )
    else:
        report.add("Successor established", f"Board {board.name}")
    return system, board


def _seat(r: Resolved, board: Committee, report: WhatIf, *, by) -> dict[str, Seat]:
    """The successor board's seats; a partner member's seat is nominated as the
    predecessor seat mapped to it was, unless the plan names its nominators."""
    nominators_of = defaultdict(list)
    for mapped in r.mapped:
        nominators_of[mapped.to.key] += list(mapped.seat.nominating_organisations.all())
    seats = {}
    for spec in r.seats:
        nominating = nominators_of.get(spec.key, [])
        if spec.nominated_by:
            nominating = list(Organisation.objects.filter(ods_code__in=spec.nominated_by))
        seats[spec.key] = seat_create(
            committee=board,
            role=spec.role,
            title=spec.title,
            voting=spec.voting,
            independence_required=spec.independence_required,
            is_chair=spec.is_chair,
            is_deputy_chair=spec.is_deputy_chair,
            is_senior_independent_member=spec.is_senior_independent_member,
            term_length_months=spec.term_length_months,
            established=board.established,
            nominating_organisations=nominating,
            by=by,
        )
        offices = seats[spec.key].unsaid_offices
        suffix = f" ({', '.join(offices)})" if offices else ""
        report.add(
            "Seats of the successor board",
            f"{spec.label}{suffix} [{spec.key}]: {spec.reason or 'named in the plan'}",
        )
    return seats


def _appoint(r: Resolved, seats: dict[str, Seat], report: WhatIf, *, by) -> None:
    effective = r.document.effective
    for mapped in r.mapped:
        person, seat = mapped.membership.person, seats[mapped.to.key]
        on_behalf_of = mapped.membership.on_behalf_of
        if mapped.designate_from:
            designate = membership_start(
                seat=seat,
                person=person,
                start=mapped.designate_from,
                status=MembershipStatus.DESIGNATE,
                on_behalf_of=on_behalf_of,
                by=by,
            )
            membership_replace(
                membership=designate,
                person=person,
                start=effective,
                status=MembershipStatus.SUBSTANTIVE,
                on_behalf_of=on_behalf_of,
                by=by,
            )
            report.add(
                "Appointments",
                f"{mapped.membership.person_name}: {seat.label} designate from "
                f"{en_gb(mapped.designate_from)}, substantive from {en_gb(effective)} "
                f"(from {mapped.seat.label}, {mapped.seat.committee.name})",
            )
        else:
            membership_start(
                seat=seat, person=person, start=effective, on_behalf_of=on_behalf_of, by=by
            )
            report.add(
                "Appointments",
                f"{mapped.membership.person_name}: {seat.label} from {en_gb(effective)} "
                f"(from {mapped.seat.label}, {mapped.seat.committee.name})",
            )


def _abolish(r: Resolved, successor, report: WhatIf, *, by) -> None:
    eve = r.document.eve
    running = (
        Membership.objects.filter(seat__body__in=r.bodies)
        .filter(Q(end__isnull=True) | Q(end__gt=eve))
        .select_related("seat__committee")
        .order_by("seat__committee__name", "pk")
    )
    for membership in running:
        membership_end(membership=membership, end=eve, reason=EndReason.REORGANISATION, by=by)
        report.add(
            "Memberships ended",
            f"{membership.person_name}, {membership.seat.label} on "
            f"{membership.seat.committee.name}: last day {en_gb(eve)}",
        )
    for body in r.bodies:
        committees = list(body.committees.filter(abolished__isnull=True))
        seat_count = Seat.objects.filter(committee__in=committees, abolished__isnull=True).count()
        body_abolish(body=body, on=eve, by=by)
        report.add(
            "Abolished",
            f"{body} with {len(committees)} boards and committees and {seat_count} seats: "
            f"last day {en_gb(eve)}",
        )
    for system in r.systems:
        record_update(system, by=by, status=SystemStatus.ABOLISHED, abolished=eve)
        report.add("Abolished", f"System {system.name} ({system.code}): last day {en_gb(eve)}")
        if system.icb_id and system.icb_id != successor.icb_id:
            icb = system.icb
            organisation_update(organisation=icb, by=by, closed=eve)
            report.add("Abolished", f"Organisation {icb}: closed {en_gb(eve)}")


def _end_rounds(r: Resolved, carried, report: WhatIf, *, by) -> None:
    """Appointment rounds under way for the predecessors' seats are cancelled on the last
    day, saying why: a seat carried over is a new seat of the successor, whose round the
    officer opens there (its deadlines and nominations are the successor's to set)."""
    eve = r.document.eve
    rounds = (
        AppointmentRound.objects.filter(stage__in=OPEN_STAGES, seat__body__in=r.bodies)
        .select_related("seat__committee")
        .order_by("pk")
    )
    for round in rounds:
        new = carried.seats.get(round.seat_id)
        where = (
            f"the seat is carried over as {new.label} of {new.committee.name}: open its round there"
            if new is not None
            else "the seat is abolished with no successor seat"
        )
        note = f"Ended by the reorganisation '{r.document.name}': {where}."
        round_cancel(round=round, on=max(eve, round.opened_on), note=note, by=by)
        report.add(
            "Appointment rounds",
            f"{round.seat.label}, {round.seat.committee.name}: cancelled {en_gb(eve)}; {where}",
        )


def _carry_footprint(r: Resolved, successor, report: WhatIf, *, by) -> None:
    """The organisations serving a predecessor's area (its councils, trusts, places...)
    serve the successor's from the effective date; their links to the predecessors end on
    the last day, so the footprint of earlier dates stays as it was (R13, R4). For a whole
    system that is every organisation serving it; where only part of a system moves (a
    boundary transfer), those the plan's ``footprint`` names."""
    effective = r.document.effective
    eve = effective - datetime.timedelta(days=1)
    whole = {system.pk for system in r.systems}
    # An organisation named in ``footprint`` leaves every predecessor; the others leave
    # the systems abolished whole, keeping any link to a system that carries on.
    parts = ({b.ics_id for b in r.bodies} | whole) - {successor.pk}
    moving = {organisation.pk for organisation in r.moving}
    closing = {system.icb_id for system in r.systems} - {successor.icb_id}
    served = set(
        OrganisationSystemLink.objects.filter(
            in_force_on(eve, "start", "end"),
            integratedcaresystem_id__in=[system.pk for system in r.systems],
        )
        .exclude(organisation_id__in=closing)
        .values_list("organisation_id", flat=True)
    ) | {organisation.pk for organisation in r.moving}
    systems_then = defaultdict(set)
    for org_id, ics_id in OrganisationSystemLink.objects.filter(
        in_force_on(effective, "start", "end"), organisation_id__in=served
    ).values_list("organisation_id", "integratedcaresystem_id"):
        systems_then[org_id].add(ics_id)
    for organisation in Organisation.objects.filter(pk__in=served).order_by("name"):
        leaves = parts if organisation.pk in moving else whole
        wanted = (systems_then[organisation.pk] - leaves) | {successor.pk}
        organisation_update(
            organisation=organisation, by=by, systems=sorted(wanted), links_from=effective
        )
        report.add(
            "Footprint", f"{organisation.name}: serves {successor.name} from {en_gb(effective)}"
        )


def _hand_over_officers(r: Resolved, successor, report: WhatIf) -> None:
    """The predecessors' officers (the groups, or users, holding the officer permission
    on a predecessor system) become officers of the successor, so the people who prepared
    the merger keep working on the successor's governance from its first day."""
    permission = settings.REGISTRY_OFFICER_PERMISSION.split(".")[1]
    groups, users = set(), set()
    for system in r.systems:
        groups |= {
            g for g, perms in get_groups_with_perms(system, True).items() if permission in perms
        }
        users |= {
            u
            for u, perms in get_users_with_perms(
                system, attach_perms=True, with_group_users=False
            ).items()
            if permission in perms
        }
    for holder in sorted(groups, key=str) + sorted(users, key=str):
        assign_perm(settings.REGISTRY_OFFICER_PERMISSION, holder, successor)
        report.add("Officers", f"{holder} may now administer {successor.name}")


def _transfer_employment(r: Resolved, successor, report: WhatIf, *, by) -> None:
    """The abolished ICBs' staff, and those seconded to them, move to the successor ICB on
    the effective date, as a merger's transfer scheme provides: so the successor's chief
    executive is employed by the ICB from its first day (R3). A person employed by one
    predecessor and seconded to another (a cluster's shared chief executive) is employed
    by the successor; one only seconded is seconded to it."""
    effective = r.document.effective
    eve = effective - datetime.timedelta(days=1)
    predecessors = {s.icb_id for s in r.systems if s.icb_id} - {successor.icb_id}
    running = (
        Employment.objects.filter(organisation_id__in=predecessors)
        .filter(Q(end__isnull=True) | Q(end__gt=eve))
        .filter(Q(start__isnull=True) | Q(start__lte=eve))
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    by_person = defaultdict(list)
    for employment in running:
        by_person[employment.person].append(employment)
    for person, employments in by_person.items():
        for employment in employments:
            if employment.seconded:
                employment_end(employment=employment, end=eve, by=by)
        seconded = all(e.seconded for e in employments)
        # An employment (not a secondment) starting on the effective date ends the
        # person's employment by a predecessor the day before.
        employment_start(
            person=person, organisation=successor.icb, start=effective, seconded=seconded, by=by
        )
        how = "seconded to" if seconded else "employed by"
        report.add(
            "Employment transferred",
            f"{person.name}: {how} {successor.icb.name} from {en_gb(effective)}",
        )


def _record_successions(r: Resolved, successor, body, report: WhatIf, *, by) -> None:
    doc = r.document
    common = dict(kind=doc.kind, effective=doc.effective, source=doc.source[:300])
    note = f"Reorganisation plan: {doc.name}"[:300]
    for system in r.systems:
        record_create(
            SystemSuccession, by=by, predecessor=system, successor=successor, note=note, **common
        )
        report.add("Successions", f"{system.name} → {successor.name} ({doc.kind})")
        if system.icb_id and system.icb_id != successor.icb_id:
            record_create(
                OrganisationSuccession,
                by=by,
                predecessor=system.icb,
                successor=successor.icb,
                note=note,
                **common,
            )
            report.add("Successions", f"{system.icb.name} → {successor.icb.name}")
    for predecessor in r.icb_bodies:
        record_create(
            BodySuccession, by=by, predecessor=predecessor, successor=body, note=note, **common
        )
        report.add("Successions", f"{predecessor} → {body.name}")
    # Part of a system moving (a boundary transfer): its system is followed, in part, by
    # the successor; the bodies that moved record their own successions (carry_over).
    whole = {system.pk for system in r.systems}
    for system in {b.ics for b in r.bodies if b.ics_id not in whole}:
        if (
            system.pk == successor.pk
            or SystemSuccession.objects.filter(predecessor=system, successor=successor).exists()
        ):
            continue
        moved = ", ".join(sorted(b.name for b in r.bodies if b.ics_id == system.pk))
        record_create(
            SystemSuccession,
            by=by,
            predecessor=system,
            successor=successor,
            note=f"{note[:200]}; part: {moved}"[:300],
            **common,
        )
        report.add("Successions", f"{system.name} (part: {moved}) → {successor.name} ({doc.kind})")


def _transfer_functions_and_delegations(r, successor, carried, report, *, by):
    """Statutory functions of the predecessors' ICBs, and the delegations made by or to
    the predecessors, end on the eve and start again for the successor the next day,
    with the body, committee or seat that stands for each predecessor's (``carried``)."""
    doc, eve, effective = r.document, r.document.eve, r.document.effective
    icbs = {s.icb_id: successor.icb for s in r.systems if s.icb_id}
    delegations = []
    if doc.transfer_delegations:
        delegations = list(
            _delegations_involving(r.bodies)
            .filter(Q(end__isnull=True) | Q(end__gte=effective))
            .select_related("from_organisation", "from_body", "from_committee__body")
            .select_related("to_body", "to_committee__body", "to_seat__committee")
        )
    plans = [(d, _mapped_parties(d, icbs, carried, r.bodies)) for d in delegations]
    unmapped = [f"delegations: '{d}' {problem}" for d, problem in plans if isinstance(problem, str)]
    if unmapped:
        raise PlanError(unmapped)
    # Ending a delegation sets its end on the object: keep the end it had, for its copy.
    ends = {d.pk: d.end for d, _ in plans}
    for delegation, _ in plans:
        delegation_end(delegation=delegation, end=eve, by=by)
    if doc.transfer_functions:
        holdings = FunctionHolding.objects.filter(organisation_id__in=icbs).filter(
            Q(end__isnull=True) | Q(end__gte=effective), start__lte=eve
        )
        seen = set()
        for holding in holdings.select_related("organisation"):
            end = holding.end
            function_holding_update(function_holding=holding, end=eve, by=by)
            if holding.function in seen:
                continue
            seen.add(holding.function)
            function_holding_record(
                organisation=successor.icb,
                function=holding.function,
                start=effective,
                end=end,
                basis=holding.basis,
                by=by,
            )
            report.add(
                "Functions",
                f"{holding.get_function_display()}: held by {successor.icb.name} from "
                f"{en_gb(effective)} (was {holding.organisation.name})",
            )
    created = {}
    for delegation, parties in plans:
        parent = delegation.parent
        new = delegation_create(
            functions=delegation.functions,
            instrument=delegation.instrument,
            start=effective,
            end=ends[delegation.pk],
            financial_limit=delegation.financial_limit,
            onward_delegation_allowed=delegation.onward_delegation_allowed,
            parent=created.get(parent.pk) if parent is not None else None,
            reference=delegation.reference,
            by=by,
            **parties,
        )
        created[delegation.pk] = new
        report.add(
            "Delegations",
            f"{delegation} ends {en_gb(eve)}; from {en_gb(effective)}: {new}",
        )


def _mapped_parties(delegation, icbs, carried, abolished):
    """The delegation's parties in the successor, or a sentence saying which cannot be."""
    abolished_ids = {b.pk for b in abolished}
    bodies, boards, seat_map = carried.bodies, carried.committees, carried.seats
    parties = {}
    for name in ("from_organisation", "from_body", "from_committee"):
        party = getattr(delegation, name)
        if party is None:
            continue
        if name == "from_organisation":
            parties[name] = icbs.get(party.pk, party)
        elif name == "from_body":
            if party.pk in bodies:
                parties[name] = bodies[party.pk]
            elif party.pk in abolished_ids:
                return f"is made by {party.name}, which the plan abolishes with no successor"
            else:
                parties[name] = party
        else:
            if party.pk in boards:
                parties[name] = boards[party.pk]
            elif party.body_id in abolished_ids:
                return f"is made by {party.name}, which the plan abolishes with no successor"
            else:
                parties[name] = party
    for name in ("to_body", "to_committee", "to_seat"):
        party = getattr(delegation, name)
        if party is None:
            continue
        if name == "to_body":
            target = bodies.get(party.pk) or (None if party.pk in abolished_ids else party)
        elif name == "to_committee":
            target = boards.get(party.pk) or (None if party.body_id in abolished_ids else party)
        else:
            target = seat_map.get(party.pk) or (None if party.body_id in abolished_ids else party)
        if target is None:
            return (
                f"goes to {party}, which the plan abolishes and maps to nothing in the "
                "successor: map it, or end the delegation before applying"
            )
        parties[name] = target
    return parties


def _transfer_milestones(r: Resolved, successor, body, carried, report: WhatIf, *, by) -> None:
    """Open milestones of the predecessors due from the effective date on become the
    successor's; those due earlier stay with the predecessor that owned them."""
    effective = r.document.effective
    ics_ids = {b.ics_id for b in r.bodies}
    open_ones = Milestone.objects.filter(
        ics__in=ics_ids, status__in=OPEN_STATUSES, due_date__gte=effective
    ).select_related("ics", "body")
    if r.bodies and not r.systems:
        # Only some bodies are abolished: only their milestones move.
        open_ones = open_ones.filter(body__in=r.bodies)
    taken = set()
    for milestone in open_ones.order_by("due_date", "pk"):
        changes = {
            "ics": successor,
            "body": carried.bodies.get(milestone.body_id, body) if milestone.body_id else None,
        }
        if milestone.template_item_id in taken:
            changes["template_item"] = None
        elif milestone.template_item_id:
            taken.add(milestone.template_item_id)
        was = milestone.ics.name
        milestone_update(milestone=milestone, by=by, **changes)
        report.add(
            "Milestones",
            f"{milestone.title} (due {en_gb(milestone.due_date)}): from {was} to {successor.name}",
        )


def _list_registers(r: Resolved, successor, report: WhatIf) -> None:
    """A register entry is the person's own, so nothing is written: the successor's
    register shows its members' declarations from the day they join."""
    eve = r.document.eve
    people = {m.membership.person_id: m.membership.person_name for m in r.mapped}
    counts = defaultdict(int)
    for declaration in InterestDeclaration.objects.filter(person_id__in=people).filter(
        Q(end__isnull=True) | Q(end__gte=eve)
    ):
        counts[declaration.person_id] += 1
    for person_id, name in sorted(people.items(), key=lambda item: item[1]):
        report.add(
            "Registers of interests",
            f"{name}: {counts[person_id]} current declarations carry over to the register of "
            f"{successor.name}",
        )


# -- the merger checklist -----------------------------------------------------------------


def merger_checklist(ics) -> QuerySet:
    """The milestones of the "ICB merger" checklist a system holds."""
    return Milestone.objects.filter(ics=ics, template_item__template__name=MERGER_CHECKLIST)


def merger_checklist_generate(
    *, plan: ReorganisationPlan, by=None, as_of: datetime.date | None = None
) -> list[Milestone]:
    """The "ICB merger" checklist as milestones of the plan's lead predecessor (the
    plan's ``checklist.lead``, else its first predecessor), due relative to the effective
    date, each owned by the holder on ``as_of`` of the seat the plan names for its
    category (``checklist.owners``; ``default`` for the rest). The milestones still open
    on the effective date move to the successor when the plan is applied; the reminder
    dispatcher reminds their owners as they fall due (R31)."""
    if plan.status == PlanStatus.APPLIED:
        raise ValidationError("This plan has been applied: its checklist is the successor's.")
    document = parse(plan.document)
    as_of = as_of or timezone.localdate()
    code = document.checklist_lead
    lead = IntegratedCareSystem.objects.filter(code=code).first()
    if lead is None:
        raise PlanError([f"checklist.lead: no system with code '{code}'"])
    errors, owners = [], {}
    for category, ref in document.checklist.owners.items():
        _, membership = find_seat(ref, as_of, f"checklist.owners.{category}", errors)
        if membership is not None:
            owners[category] = membership.person
    if errors:
        raise PlanError(errors)
    template = ChecklistTemplate.objects.get(name=MERGER_CHECKLIST)
    body = lead.bodies.filter(kind=BodyKind.ICB, abolished__isnull=True).first()
    with transaction.atomic(), audit_context(by, reorganisation_plan=plan.pk):
        return checklist_apply(
            template=template,
            ics=lead,
            by=by,
            counting_from=document.effective,
            owner_of=lambda item: owners.get(item.category, owners.get("default")),
            body=body,
        )


writes(
    ReorganisationPlan,
    create=reorganisation_plan_create,
    update=reorganisation_plan_update,
    delete=reorganisation_plan_delete,
    lifecycle={"status": "apply", "applied_at": "apply", "applied_by": "apply"},
)
