"""Load the demo governance of ``demo/data/`` on top of the NHS reference data.

The data files are read and checked in full first (:mod:`demo.reading`): nothing is
written unless every file is correct. Every record is then matched by its natural key (an
ICS and body name; a body and committee name; a committee, role and seat title; a seat,
person and start date; a person's work e-mail...) and brought to the state the data
describes through the apps' services, so that each write passes the same rules as an
officer's, and a second run changes nothing. The whole load is one transaction: any
refusal leaves the database as it was, and names the place in the data to correct.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction

from appointments.models import AppointmentRound, Reason, Stage
from appointments.services import nomination_record
from bodies.models import (
    SINGLE_BODY_KINDS,
    Body,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    Organisation,
    Region,
)
from bodies.services import organisation_create
from committees.models import (
    Committee,
    CommitteeKind,
    Constitution,
    Participation,
    QuorumCondition,
    Requirement,
    RuleSource,
    Seat,
    StandingOrders,
)
from core.dates import en_gb
from core.services import audit_context
from core.writes import writes_for
from decisions import services as decisions
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    Delegation,
    Function,
    FunctionHolding,
    GiftOrHospitality,
    InterestDeclaration,
    Meeting,
    MeetingStatus,
    Vote,
    VoteValue,
)
from documents.models import DocumentVersion, GovernanceDocument
from memberships.models import Employment, EndReason, Membership, Person
from memberships.selectors import held_on
from memberships.services import employment_start, employment_update, seat_abolish
from officers.services import Changes, officer_grant
from reminders.models import ChecklistTemplate, Milestone, SystemContacts
from reminders.services import (
    checklist_apply,
    milestone_create,
    milestone_progress,
)
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.plan import parse
from reorganisations.services import (
    merger_checklist_generate,
    reorganisation_plan_create,
    reorganisation_plan_update,
)

from . import records
from .reading import DATA_DIR, DemoDataError, read_demo_data
from .records import DemoData, Where

IMPORT_HINT = "run manage.py import_ods first"
OFFICER_USERNAME = "officer"
OFFICER_EMAIL = "officer@example.nhs.uk"


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    username: str = OFFICER_USERNAME

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        if not self.changed:
            return ["Demo data already loaded: nothing changed."]
        lines = ["Loaded the demo data:"]
        for label in sorted(self.created.keys() | self.updated.keys()):
            lines.append(f"  {label}: {self.created[label]} created, {self.updated[label]} updated")
        return lines


def load_demo(*, officer_password: str, directory: Path | str = DATA_DIR) -> DemoReport:
    """Load (or restore) the demo governance of ``directory`` and the demo officer; all or
    nothing. Raises :class:`DemoDataError` with every problem in the data files, or with
    the first write refused."""
    data = read_demo_data(directory)
    loader = _Loader(data)
    with transaction.atomic(), audit_context(command="load_demo"):
        loader.run(officer_password)
    return loader.report


def _label(model) -> str:
    return str(model._meta.verbose_name_plural)


def _changes(instance: models.Model, values: dict) -> dict:
    """The entries of ``values`` that differ from ``instance`` (related rows compared by
    primary key)."""
    changed = {}
    for name, wanted in values.items():
        field_ = instance._meta.get_field(name)
        current = getattr(instance, field_.attname if field_.is_relation else name)
        if (wanted.pk if isinstance(wanted, models.Model) else wanted) != current:
            changed[name] = wanted
    return changed


def _links_differ(manager, targets) -> bool:
    return {row.pk for row in manager.all()} != {t.pk for t in targets}


def _one(model, matches: list, key: dict):
    """The one row of ``matches`` (those of ``model`` with natural ``key``), or None."""
    if len(matches) > 1:
        raise DemoDataError(
            f"More than one {model._meta.verbose_name} matches {key}: the demo cannot tell "
            "which to use."
        )
    return matches[0] if matches else None


def _by_key(rows, key: Callable) -> defaultdict[tuple, list]:
    """``rows`` grouped by their natural key, for :func:`_one`."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


_FIND = object()


class _Loader:
    def __init__(self, data: DemoData):
        self.data = data
        self.report = DemoReport()
        self.systems: dict[str, IntegratedCareSystem] = {}
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        self.bodies: dict[tuple[str, str], Body] = {}
        self.committees: dict[tuple[str, str, str], Committee] = {}
        self.delegations: dict[str, Delegation] = {}
        self.seats: dict[tuple[str, str], Seat] = {}
        # Rows created by this run: bringing them to the data's state is part of creating
        # them, not an update.
        self.fresh: set[tuple[type, int]] = set()

    def run(self, officer_password: str) -> None:
        self._load_reference_data()
        self._load_outside_organisations()
        self._load_demo_organisations()
        self._load_people()
        for system in self.data.systems:
            self._load_system(system)
        self._load_functions_and_delegations()
        for interest in self.data.interests:
            self._load_interest(interest)
        for nil_return in self.data.nil_returns:
            self._load_nil_return(nil_return)
        for gift in self.data.gifts:
            self._load_gift(gift)
        for meeting in self.data.meetings:
            self._load_meeting(meeting)
        for transition in self.data.transitions:
            self._load_transition(transition)
        for document in self.data.documents:
            self._load_document(document)
        for cluster in self.data.clusters:
            self._load_cluster(cluster)
        for plan in self.data.plans:
            self._load_plan(plan)
        for round in self.data.appointment_rounds:
            self._load_appointment_round(round)
        self._load_officer(officer_password)

    # Writing through the services -----------------------------------------------------

    def _write(self, where: Where | None, what: str, write: Callable):
        """Run a service; its refusal names the place in the data that asked for it."""
        try:
            return write()
        except ValidationError as exc:
            place = f"{where}: " if where else ""
            raise DemoDataError(f"{place}cannot record {what}: {' '.join(exc.messages)}") from exc

    def _create(self, where: Where | None, what: str, write: Callable):
        return self._created(self._write(where, what, write))

    def _created(self, instance):
        self.report.created[_label(type(instance))] += 1
        self.fresh.add((type(instance), instance.pk))
        return instance

    def _update(
        self, instance, values: dict, where: Where | None, what: str, write: Callable, links=False
    ) -> None:
        """Bring ``instance`` to ``values`` with ``write(changes)`` if anything differs;
        ``links``: a many-to-many field differs too."""
        changes = _changes(instance, values)
        if not changes and not links:
            return
        self._write(where, what, lambda: write(changes))
        if (type(instance), instance.pk) not in self.fresh:
            self.report.updated[_label(type(instance))] += 1

    def _sync(
        self,
        model,
        key: dict,
        values: dict,
        where: Where | None,
        what: str,
        *,
        links: dict | None = None,
        on_create: dict | None = None,
        existing=_FIND,
    ):
        """The ``model`` row with natural ``key`` (or ``existing``, when the caller found
        it), brought to ``values`` and the many-to-many ``links`` through the model's
        services (:func:`core.writes.writes_for`): created with them and ``on_create`` if
        there is none, else updated where it differs. Returns the row."""
        services = writes_for(model)
        links = links or {}
        if existing is _FIND:
            existing = self._find(model, **key)
        if existing is None:
            return self._create(
                where,
                what,
                lambda: services.do_create(**key, **values, **links, **(on_create or {})),
            )
        relink = {
            name: targets
            for name, targets in links.items()
            if _links_differ(getattr(existing, name), targets)
        }
        self._update(
            existing,
            values,
            where,
            what,
            lambda changes: services.do_update(existing, **changes, **relink),
            links=bool(relink),
        )
        return existing

    def _find(self, model, **key):
        """The one row with natural ``key``, or None."""
        return _one(model, list(model.objects.filter(**key)[:2]), key)

    # Reference data and organisations --------------------------------------------------

    def _load_reference_data(self) -> None:
        codes = self.data.system_codes
        systems = IntegratedCareSystem.objects.filter(code__in=codes).select_related("icb")
        self.systems = {ics.code: ics for ics in systems}
        missing = [code for code in codes if code not in self.systems]
        if missing:
            raise DemoDataError(
                f"The integrated care systems {', '.join(missing)} are not in the database: "
                f"{IMPORT_HINT}."
            )
        without_icb = [ics.code for ics in self.systems.values() if ics.icb is None]
        if without_icb:
            raise DemoDataError(
                f"The systems {', '.join(without_icb)} have no ICB organisation: {IMPORT_HINT}."
            )
        codes = self.data.reference_organisations.keys()
        found = Organisation.objects.filter(ods_code__in=codes)
        self.organisations = {org.ods_code: org for org in found}
        missing = sorted(codes - self.organisations.keys())
        if missing:
            raise DemoDataError(
                f"No organisation has the ODS code(s) {', '.join(missing)}: {IMPORT_HINT}."
            )

    def _load_outside_organisations(self) -> None:
        """Real organisations the reference data leaves out: found by ODS code or created,
        and never marked as demo data."""
        for code, spec in self.data.outside_organisations.items():
            found = Organisation.objects.filter(ods_code=code).first()
            if found is None:
                found = self._create(
                    spec.where,
                    spec.name,
                    lambda s=spec: organisation_create(name=s.name, kind=s.kind, ods_code=s.code),
                )
            elif found.kind != spec.kind:
                raise DemoDataError(
                    f"{spec.where}: the organisation with ODS code {code} is {found.name}, "
                    f"not {spec.name}."
                )
            self.organisations[code] = found

    def _load_demo_organisations(self) -> None:
        regions = {r.code: r for r in Region.objects.all()}
        for key, spec in self.data.demo_organisations.items():
            if spec.region and spec.region not in regions:
                raise DemoDataError(f"Region {spec.region} is not in the database: {IMPORT_HINT}.")
            matches = list(Organisation.objects.filter(name=spec.name, kind=spec.kind)[:2])
            if len(matches) > 1:
                raise DemoDataError(
                    f"More than one organisation is called {spec.name}: the demo cannot tell "
                    "which to use."
                )
            if matches and not matches[0].is_demo:
                # Real data wins over the demo's stand-in, and is left as it is.
                self.organisations[key] = matches[0]
                continue
            self.organisations[key] = self._sync(
                Organisation,
                {"name": spec.name, "kind": spec.kind},
                {"region": regions.get(spec.region), "is_demo": True},
                spec.where,
                f"the organisation {spec.name}",
                links={"systems": [self.systems[code] for code in spec.systems]},
                existing=matches[0] if matches else None,
            )

    def _organisation(self, ref: str | None) -> Organisation | None:
        return self.organisations[ref] if ref else None

    def _load_people(self) -> None:
        for key, spec in self.data.people.items():
            matches = list(Person.objects.filter(work_email__iexact=spec.email)[:2])
            if len(matches) > 1:
                raise DemoDataError(f"More than one person has the e-mail {spec.email}.")
            if matches and not matches[0].is_demo:
                raise DemoDataError(
                    f"{matches[0].name} is not demo data but has the demo e-mail {spec.email}: "
                    "change that person's e-mail before loading the demo."
                )
            values = {
                "honorific_prefix": spec.honorific_prefix,
                "given_name": spec.given_name,
                "family_name": spec.family_name,
                "post_nominals": spec.post_nominals,
                "employing_organisation": self._organisation(spec.employer),
                "is_demo": True,
            }
            self.people[key] = self._sync(
                Person,
                {"work_email": spec.email},
                values,
                spec.where,
                f"the person {key}",
                existing=matches[0] if matches else None,
            )
            for secondment in spec.secondments:
                self._load_secondment(self.people[key], secondment)

    def _load_secondment(self, person: Person, spec: records.Secondment) -> None:
        organisation = self._organisation(spec.to)
        key = {"person": person, "organisation": organisation, "seconded": True}
        found = self._find(Employment, **key, start=spec.start)
        what = f"{person.name}'s secondment to {organisation.name}"
        if found is None:
            self._create(
                spec.where,
                what,
                lambda: employment_start(**key, start=spec.start, end=spec.end),
            )
        else:
            self._update(
                found,
                {"end": spec.end},
                spec.where,
                what,
                lambda changes: employment_update(employment=found, **changes),
            )

    # Governance ------------------------------------------------------------------------

    def _load_system(self, system: records.System) -> None:
        ics = self.systems[system.code]
        seats_by_key = {
            seat.key: seat
            for body in system.bodies
            for committee in body.committees
            for seat in committee.seats
            if seat.key
        }
        for body_spec in system.bodies:
            body = self._load_body(ics, body_spec)
            self.bodies[system.code, body_spec.name] = body
            siblings: dict[str, Committee] = {}
            for committee_spec in body_spec.committees:
                committee = self._load_committee(body, committee_spec, siblings)
                siblings[committee_spec.name] = committee
                self.committees[system.code, body_spec.name, committee_spec.name] = committee
                # The committee's seats, then their memberships (after any abolition has
                # ended some), each read in one query rather than one per row.
                recorded = _by_key(
                    committee.seats.prefetch_related("nominating_organisations"),
                    lambda s: (s.role, s.title),
                )
                seats = [
                    (self._load_seat(committee, seat_spec, recorded), seat_spec)
                    for seat_spec in committee_spec.seats
                ]
                held = _by_key(
                    Membership.objects.filter(seat__committee=committee),
                    lambda m: (m.seat_id, m.person_id, m.start),
                )
                for seat, seat_spec in seats:
                    if seat_spec.key:
                        self.seats[system.code, seat_spec.key] = seat
                    for term in self._holders(seat_spec, committee_spec, seats_by_key):
                        self._load_membership(seat, seat_spec, term, held)

    def _load_body(self, ics: IntegratedCareSystem, spec: records.Body) -> Body:
        existing = Body.objects.filter(ics=ics, name=spec.name).first()
        if existing is None and spec.kind in SINGLE_BODY_KINDS:
            # A system has one current ICB and one ICP: reuse one an officer made.
            existing = Body.objects.filter(ics=ics, kind=spec.kind, abolished__isnull=True).first()
        values = {
            "kind": spec.kind,
            "governance_option": spec.governance_option,
            "place_board_model": spec.place_board_model,
            "lead_provider": self._organisation(spec.lead_provider),
            "established": spec.established,
            "description": spec.description,
        }
        board = next(c for c in spec.committees if c.kind == CommitteeKind.BOARD)
        body = self._sync(
            Body,
            {"ics": ics, "name": spec.name},
            values,
            spec.where,
            f"the body {spec.name}",
            links={
                "member_organisations": [
                    self._organisation(ref) for ref in spec.member_organisations
                ],
                "convening_organisations": [
                    self._organisation(ref) for ref in spec.convening_organisations
                ],
            },
            on_create={"board_name": board.name},
            existing=existing,
        )
        if existing is None:
            # body_create made the body's board, which the data's board then describes.
            self._created(body.committees.get(kind=CommitteeKind.BOARD))
        return body

    def _load_committee(
        self, body: Body, spec: records.Committee, siblings: dict[str, Committee]
    ) -> Committee:
        existing = Committee.objects.filter(body=body, name=spec.name).first()
        if existing is None and spec.kind == CommitteeKind.BOARD:
            # A body has one current board: reuse the one made with the body.
            existing = Committee.objects.filter(
                body=body, kind=CommitteeKind.BOARD, abolished__isnull=True
            ).first()
        values = {
            "kind": spec.kind,
            "parent": siblings[spec.parent] if spec.parent else None,
            "purpose": spec.purpose,
            "established": spec.established,
        }
        committee = self._sync(
            Committee,
            {"body": body, "name": spec.name},
            values,
            spec.where,
            f"the committee {spec.name}",
            existing=existing,
        )
        if spec.standing_orders:
            self._load_standing_orders(committee, self.data.standing_orders[spec.standing_orders])
        if spec.constitution:
            self._load_constitution(committee, spec.constitution)
        return committee

    def _load_standing_orders(self, committee: Committee, spec: records.StandingOrders) -> None:
        values = {
            "quorum_voting_members": spec.quorum_voting_members,
            "voting_method": spec.voting_method,
            "chair_has_casting_vote": spec.chair_has_casting_vote,
            "deputies_allowed": spec.deputies_allowed,
        }
        orders = self._sync(
            StandingOrders,
            {"committee": committee},
            values,
            spec.where,
            f"the standing orders of {committee.name}",
        )
        for condition in spec.conditions:
            self._sync(
                QuorumCondition,
                {"standing_orders": orders, "description": condition.description},
                {"roles": list(condition.roles), "min_present": condition.min_present},
                condition.where,
                f"the quorum condition '{condition.description}' of {committee.name}",
            )

    def _load_constitution(self, committee: Committee, spec: records.Constitution) -> None:
        values = {
            "name": spec.name,
            "source": RuleSource.CONSTITUTION,
            "committee": committee,
            "citation": spec.citation,
            "effective_from": spec.effective_from,
        }
        rule_set = self._sync(
            Constitution,
            {"code": spec.code, "version": 1},
            values,
            spec.where,
            f"the constitution {spec.code}",
        )
        for order, requirement in enumerate(spec.requirements):
            values = {
                "description": requirement.description,
                "description_plural": requirement.description_plural,
                "roles": list(requirement.roles),
                "min_seats": requirement.min_seats,
                "max_seats": requirement.max_seats,
                "voting": requirement.voting,
                "kind": requirement.kind,
                "rule": requirement.rule,
                "severity": requirement.severity,
                "order": order,
            }
            self._sync(
                Requirement,
                {"constitution": rule_set, "code": requirement.code},
                values,
                requirement.where,
                f"the requirement {requirement.code} of {spec.code}",
            )

    def _load_seat(self, committee: Committee, spec: records.Seat, recorded: dict) -> Seat:
        values = {
            "voting": spec.voting,
            "participation": Participation.OBSERVER if spec.observer else Participation.PARTICIPANT,
            "independence_required": spec.independence_required,
            "term_length_months": spec.term_length_months,
            "is_chair": spec.is_chair,
            "is_deputy_chair": spec.is_deputy_chair,
            "is_senior_independent_member": spec.is_senior_independent_member,
            "established": spec.established,
        }
        what = f"the seat {spec.title or spec.role} of {committee.name}"
        key = {"committee": committee, "role": spec.role, "title": spec.title}
        seat = self._sync(
            Seat,
            key,
            values,
            spec.where,
            what,
            links={"nominating_organisations": [self._organisation(r) for r in spec.nominated_by]},
            on_create={"abolished": spec.abolished},
            existing=_one(Seat, recorded[spec.role, spec.title], key),
        )
        if seat.abolished != spec.abolished:
            self._restore_abolition(seat, spec, what)
        return seat

    def _restore_abolition(self, seat: Seat, spec: records.Seat, what: str) -> None:
        """An abolition is an event with consequences (the holder's membership ends), so it
        is restored only where the seat is still open."""
        if seat.abolished is not None or spec.abolished is None:
            recorded = en_gb(seat.abolished) if seat.abolished else "not abolished"
            wanted = en_gb(spec.abolished) if spec.abolished else "not abolished"
            raise DemoDataError(
                f"{spec.where}: {what} is {recorded} in the database, but {wanted} in the demo "
                "data: correct it in the admin, then load the demo again."
            )
        self._write(spec.where, what, lambda: seat_abolish(seat=seat, on=spec.abolished))
        self.report.updated[_label(Seat)] += 1

    def _holders(
        self,
        spec: records.Seat,
        committee: records.Committee,
        seats_by_key: dict[str, records.Seat],
    ) -> list[records.Term]:
        """A seat's own holders, or those of the seat it follows, within the committee's
        and the seat's lifetime."""
        if not spec.follows:
            return list(spec.holders)
        followed = seats_by_key[spec.follows]
        terms = self._holders(followed, committee, seats_by_key)
        known = [d for d in (committee.established, spec.established) if d]
        opens = max(known) if known else None
        result = []
        for term in terms:
            if opens and term.end and term.end < opens:
                continue
            start = max(term.start, opens) if opens else term.start
            end, reason = term.end, term.end_reason
            if spec.abolished and (end is None or end > spec.abolished):
                end, reason = spec.abolished, EndReason.SEAT_ABOLISHED
            if end and end < start:
                continue
            result.append(
                records.Term(term.person, start, end, reason, term.status, where=spec.where)
            )
        return result

    def _on_behalf_of(self, seat_spec: records.Seat, term: records.Term) -> Organisation | None:
        """The nominating organisation the holder represents: the one named, else the
        holder's employer if it nominates, else the only nominator."""
        if term.on_behalf_of:
            return self._organisation(term.on_behalf_of)
        employer = self.data.people[term.person].employer
        if employer and employer in seat_spec.nominated_by:
            return self._organisation(employer)
        if len(seat_spec.nominated_by) == 1:
            return self._organisation(seat_spec.nominated_by[0])
        return None

    def _load_membership(
        self, seat: Seat, seat_spec: records.Seat, term: records.Term, held: dict
    ) -> None:
        person = self.people[term.person]
        values = {
            "end": term.end,
            "end_reason": term.end_reason,
            "status": term.status,
            "on_behalf_of": self._on_behalf_of(seat_spec, term),
        }
        key = {"seat": seat, "person": person, "start": term.start}
        self._sync(
            Membership,
            key,
            values,
            term.where,
            f"the membership of {person.name} in {seat} from {en_gb(term.start)}",
            existing=_one(Membership, held[seat.pk, person.pk, term.start], key),
        )

    # Functions held by statute and delegations (R9, R10, R29) ---------------------------

    def _party(self, party: records.Party, direction: str) -> dict:
        """The delegation fields naming ``party``, e.g. ``{"to_committee": ...}``."""
        if party.committee:
            committee = self.committees[party.system, party.body, party.committee]
            return {f"{direction}_committee": committee}
        if party.body:
            return {f"{direction}_body": self.bodies[party.system, party.body]}
        return {f"{direction}_organisation": self._organisation(party.organisation)}

    def _load_functions_and_delegations(self) -> None:
        for spec in self.data.holdings:
            holder = self._organisation(spec.organisation)
            self._sync(
                FunctionHolding,
                {"organisation": holder, "function": spec.function, "start": spec.start},
                {"basis": spec.basis, "end": None},
                spec.where,
                f"{holder.name}'s holding of {Function(spec.function).label}",
            )
        for spec in self.data.delegations:
            self._load_delegation(spec)

    def _load_delegation(self, spec: records.Delegation) -> None:
        parties = {**self._party(spec.delegator, "from"), **self._party(spec.delegate, "to")}
        values = {
            "functions": list(spec.functions),
            "financial_limit": spec.financial_limit,
            "reference": spec.reference,
            "end": None,
            "onward_delegation_allowed": spec.onward_delegation_allowed,
            "parent": self.delegations[spec.relies_on] if spec.relies_on else None,
        }
        self.delegations[spec.key] = self._sync(
            Delegation,
            {**parties, "instrument": spec.instrument, "start": spec.start},
            values,
            spec.where,
            f"the delegation {spec.key} from {spec.delegator} to {spec.delegate}",
        )

    # The register of interests (R28) ---------------------------------------------------

    def _load_interest(self, spec: records.Interest) -> None:
        person = self.people[spec.person]
        related = self._organisation(spec.organisation)
        key = {
            "person": person,
            "interest_type": spec.interest_type,
            "organisation": related,
            "start": spec.start,
        }
        self._sync(
            InterestDeclaration,
            key,
            {
                "description": spec.description,
                "declared_on": spec.declared_on,
                "end": None,
                "notes": spec.notes,
            },
            spec.where,
            f"an interest of {person.name}",
            existing=self._find(InterestDeclaration, nil_return=False, **key),
        )

    def _load_nil_return(self, spec: records.NilReturn) -> None:
        person = self.people[spec.person]
        exists = InterestDeclaration.objects.filter(
            person=person, nil_return=True, start=spec.declared_on
        ).exists()
        if not exists:
            self._create(
                spec.where,
                f"a nil return of {person.name}",
                lambda: decisions.nil_return_record(person=person, declared_on=spec.declared_on),
            )

    def _load_gift(self, spec: records.Gift) -> None:
        person = self.people[spec.person]
        values = {
            "kind": spec.kind,
            "offered_by": self._organisation(spec.offered_by),
            "value": spec.value,
            "decision": spec.decision,
        }
        self._sync(
            GiftOrHospitality,
            {"person": person, "date": spec.date, "description": spec.description},
            values,
            spec.where,
            f"a gift or hospitality offered to {person.name}",
        )

    # Meetings and decisions (R25-R27) --------------------------------------------------

    def _load_meeting(self, spec: records.Meeting) -> None:
        party = spec.committee
        committee = self.committees[party.system, party.body, party.committee]
        what = f"the meeting of {committee.name} on {en_gb(spec.date)}"
        meeting = self._sync(
            Meeting,
            {"committee": committee, "date": spec.date, "title": spec.title},
            {"location": spec.location},
            spec.where,
            what,
            on_create={"status": MeetingStatus.HELD},
        )
        # Holding a meeting is an action of its own.
        self._update(
            meeting,
            {"status": MeetingStatus.HELD},
            spec.where,
            what,
            lambda changes: decisions.meeting_set_status(meeting=meeting, **changes),
        )
        attendance = self._load_attendance(meeting, spec)
        for item in spec.items:
            self._load_item(meeting, item, attendance)

    def _load_attendance(self, meeting: Meeting, spec: records.Meeting) -> dict[int, Attendance]:
        """Every member present but those sending apologies, then the non-members; by
        person id."""
        members = (
            Membership.objects.filter(held_on(meeting.date), committee_id=meeting.committee_id)
            .select_related("person", "seat")
            .order_by("seat_id", "start")
        )
        by_person = {m.person_id: m for m in members}
        apologies = {self.people[key].pk for key in spec.apologies}
        strangers = [key for key in spec.apologies if self.people[key].pk not in by_person]
        if strangers:
            raise DemoDataError(
                f"{spec.where}: {', '.join(strangers)} sent apologies to {meeting} but held "
                "no seat on the day."
            )
        wanted = [
            (
                membership.person,
                {
                    "status": AttendanceStatus.APOLOGIES
                    if person_id in apologies
                    else AttendanceStatus.PRESENT,
                    "capacity": Capacity.MEMBER,
                    "membership": membership,
                    "deputising_for": None,
                },
            )
            for person_id, membership in by_person.items()
        ]
        for keys, capacity in (
            (spec.in_attendance, Capacity.ATTENDEE),
            (spec.observers, Capacity.OBSERVER),
        ):
            wanted += [
                (
                    self.people[key],
                    {
                        "status": AttendanceStatus.PRESENT,
                        "capacity": capacity,
                        "membership": None,
                        "deputising_for": None,
                    },
                )
                for key in keys
            ]
        recorded = {
            a.person_id: a
            for a in Attendance.objects.filter(meeting=meeting).select_related(
                "person", "membership__seat"
            )
        }
        for person, values in wanted:
            recorded[person.pk] = self._sync(
                Attendance,
                {"meeting": meeting, "person": person},
                values,
                spec.where,
                f"the attendance of {person.name} at {meeting}",
                existing=recorded.get(person.pk),
            )
        return recorded

    def _load_item(self, meeting: Meeting, spec: records.Item, attendance: dict) -> None:
        values = {
            "title": spec.title,
            "decision_type": spec.decision_type,
            "part": spec.part,
            "paper_reference": spec.paper,
            "recommendation": spec.recommendation,
            "by_consensus": spec.by_consensus,
            "delegation": self.delegations[spec.delegation] if spec.delegation else None,
            "function_exercised": spec.function,
            "amount": spec.amount,
            **dict(spec.cover_sheet),
        }
        what = f"item {spec.number} at {meeting}"
        decision = self._sync(
            Decision,
            {"meeting": meeting, "item_number": spec.number},
            values,
            spec.where,
            what,
            links={"concerned_organisations": [self._organisation(r) for r in spec.concerns]},
        )
        self._load_conflicts(decision, spec, what)
        if spec.voted:
            self._load_votes(decision, spec, attendance, what)

    def _load_conflicts(self, decision: Decision, spec: records.Item, what: str) -> None:
        """Conflicts as a clerk records them: suggested from the register for the
        organisations the paper concerns, then confirmed by the chair (R27, R28)."""
        expected = {self.people[key].pk for key in spec.conflicts}
        suggested = self._write(
            spec.where,
            f"the conflicts on {what}",
            lambda: decisions.conflicts_suggest(decision=decision),
        )
        unexpected = [c.person.name for c in suggested if c.person_id not in expected]
        if unexpected:
            raise DemoDataError(
                f"{spec.where}: the register suggests a conflict for {', '.join(unexpected)} "
                f"on {what}, which the demo data does not list under 'conflicts of interest'."
            )
        if suggested:
            self.report.created[_label(ConflictDeclaration)] += len(suggested)
        recorded = {c.person_id: c for c in ConflictDeclaration.objects.filter(decision=decision)}
        for person_id in expected:
            conflict = recorded.get(person_id)
            if conflict is None:
                raise DemoDataError(
                    f"{spec.where}: the register suggests no conflict for "
                    f"{self._name(person_id)} on {what}: their interest in the organisation "
                    "the paper concerns is missing from the register."
                )
            if conflict.confirmed_by_chair:
                continue
            self._write(
                spec.where,
                f"the conflict on {what}",
                lambda c=conflict: decisions.conflict_confirm(conflict=c),
            )
            if conflict not in suggested:
                self.report.updated[_label(ConflictDeclaration)] += 1

    def _name(self, person_id: int) -> str:
        return next(p.name for p in self.people.values() if p.pk == person_id)

    def _load_votes(self, decision: Decision, spec: records.Item, attendance: dict, what) -> None:
        """Each voting member present votes, except those with a conflict (R26, R27)."""
        conflicted = {self.people[key].pk for key in spec.conflicts}
        against = {self.people[key].pk for key in spec.against}
        abstain = {self.people[key].pk for key in spec.abstain}
        voters = {
            person_id: present
            for person_id, present in attendance.items()
            if present.status == AttendanceStatus.PRESENT
            and present.capacity == Capacity.MEMBER
            and present.membership.seat.voting
            and person_id not in conflicted
        }
        strangers = (against | abstain) - voters.keys()
        if strangers:
            names = ", ".join(sorted(self._name(pk) for pk in strangers))
            raise DemoDataError(
                f"{spec.where}: {names} cannot vote on {what}: not a voting member present."
            )
        recorded = {
            v.attendance_id: v
            for v in Vote.objects.filter(decision=decision, is_casting_vote=False)
        }
        for person_id, present in voters.items():
            value = (
                VoteValue.AGAINST
                if person_id in against
                else VoteValue.ABSTAIN
                if person_id in abstain
                else VoteValue.FOR
            )
            self._sync(
                Vote,
                {"decision": decision, "attendance": present},
                {"value": value},
                spec.where,
                f"the vote of {present.person.name} on {what}",
                existing=recorded.get(present.pk),
            )

    # Transition milestones (R31) -------------------------------------------------------

    def _load_transition(self, spec: records.Transition) -> None:
        ics = self.systems[spec.system]
        lead = self.people[spec.governance_lead]
        self._sync(
            SystemContacts,
            {"ics": ics},
            {"governance_lead": lead},
            spec.where,
            f"the governance lead of {ics.name}",
        )
        template = ChecklistTemplate.objects.filter(name=spec.checklist).first()
        if template is None:
            raise DemoDataError(
                f"{spec.where}: the checklist {spec.checklist!r} does not exist: run "
                "manage.py migrate first."
            )
        created = self._write(
            spec.where,
            f"the checklist {spec.checklist} of {ics.name}",
            lambda: checklist_apply(template=template, ics=ics),
        )
        for milestone in created:
            self._created(milestone)
        fresh = {m.title: m for m in created}
        for milestone_spec in spec.milestones:
            self._load_milestone(ics, milestone_spec, fresh)

    def _load_milestone(
        self, ics: IntegratedCareSystem, spec: records.Milestone, fresh: dict[str, Milestone]
    ) -> None:
        values = {
            "owner": self.people[spec.owner],
            "status": spec.status,
            "completed_on": spec.completed_on,
            "evidence_url": spec.evidence_url,
            "evidence_note": spec.evidence_note,
        }
        if spec.due_date:
            values |= {"category": spec.category, "due_date": spec.due_date}
        what = f"the milestone {spec.title!r} of {ics.name}"
        milestone = fresh.get(spec.title) or self._find(Milestone, ics=ics, title=spec.title)
        if milestone is None:
            milestone = self._create(
                spec.where,
                what,
                lambda: milestone_create(
                    ics=ics,
                    title=spec.title,
                    category=spec.category,
                    due_date=spec.due_date,
                    owner=values["owner"],
                ),
            )
        self._update(
            milestone,
            values,
            spec.where,
            what,
            lambda changes: milestone_progress(milestone=milestone, **changes),
        )

    # Appointment rounds (issue 12) ------------------------------------------------------

    def _load_appointment_round(self, spec: records.AppointmentRoundSpec) -> None:
        """A round under way, found by its seat and opening day; its nominations are
        recorded while it is still nominating (an officer may have taken it further)."""
        seat = self.seats[spec.system, spec.seat]
        replaces = None
        if spec.reason == Reason.TERM_ENDING:
            replaces = seat.memberships.filter(held_on(spec.opened_on)).first()
        what = f"the appointment round for {seat}"
        round = self._sync(
            AppointmentRound,
            {"seat": seat, "opened_on": spec.opened_on},
            {
                "nominations_close": spec.nominations_close,
                "selection_by": spec.selection_by,
                "appointment_by": spec.appointment_by,
                "lead": self.people[spec.lead] if spec.lead else None,
            },
            spec.where,
            what,
            on_create={"reason": spec.reason, "replaces": replaces},
        )
        for nomination in spec.nominations:
            organisation = self._organisation(nomination.by)
            person = self.people[nomination.person]
            if (
                round.stage != Stage.NOMINATING
                or round.nominations.filter(organisation=organisation, person=person).exists()
            ):
                continue
            self._create(
                nomination.where,
                f"the nomination of {person} by {organisation.name}",
                lambda organisation=organisation, person=person, on=nomination.on: (
                    nomination_record(
                        round=round, organisation=organisation, person=person, nominated_on=on
                    )
                ),
            )
            self._created(round.candidates.get(person=person))

    # The reorganisation (R30) -----------------------------------------------------------

    # Governance documents (issue 12) ---------------------------------------------------

    def _load_document(self, spec: records.Document) -> None:
        subject = spec.subject
        if subject.committee:
            key = {"committee": self.committees[subject.system, subject.body, subject.committee]}
        else:
            key = {"body": self.bodies[subject.system, subject.body]}
        document = self._sync(
            GovernanceDocument,
            {**key, "title": spec.title},
            {"kind": spec.kind, "owner": self.people[spec.owner] if spec.owner else None},
            spec.where,
            f"the document {spec.title}",
        )
        for version in spec.versions:
            self._load_document_version(document, subject, version)

    def _load_document_version(
        self, document: GovernanceDocument, subject: records.Party, spec: records.DocumentVersion
    ) -> None:
        decision = None
        if spec.approved_by is not None:
            approval = spec.approved_by
            committee = self.committees[subject.system, subject.body, approval.committee]
            decision = Decision.objects.select_related("meeting").get(
                meeting__committee=committee,
                meeting__date=approval.date,
                item_number=approval.item,
            )
        self._sync(
            DocumentVersion,
            {"document": document, "label": spec.label},
            {
                "status": spec.status,
                "effective_from": spec.effective_from,
                "effective_to": spec.effective_to,
                # As the service records it: the day of the approving meeting by default.
                "approved_on": spec.approved_on or (decision.meeting.date if decision else None),
                "approved_by_decision": decision,
                "next_review": spec.next_review,
                "url": spec.url,
                "public": spec.public,
                "notes": spec.notes,
            },
            spec.where,
            f"version {spec.label} of {document.title}",
        )

    def _load_cluster(self, spec: records.ClusterSpec) -> None:
        cluster = self._sync(
            Cluster,
            {"name": spec.name},
            {
                "agreement": spec.agreement,
                "source": spec.source,
                "start": spec.start,
                "end": spec.end,
                "shares_chair": spec.shares_chair,
                "shares_chief_executive": spec.shares_chief_executive,
            },
            spec.where,
            f"the cluster {spec.name}",
        )
        for code in spec.systems:
            ics = self.systems[code]
            self._sync(
                ClusterMember,
                {"cluster": cluster, "system": ics},
                {"start": spec.start, "end": spec.end},
                spec.where,
                f"{ics.name} in the cluster {spec.name}",
            )

    def _load_plan(self, spec: records.PlanSpec) -> None:
        """A draft plan from its document (an applied plan is left as it is), and its
        merger checklist."""
        name = parse(spec.document).name
        plan = self._find(ReorganisationPlan, name=name)
        what = f"the reorganisation plan {name!r} ({spec.file})"
        if plan is None:
            plan = self._create(
                spec.where, what, lambda: reorganisation_plan_create(document=spec.document)
            )
        elif plan.status == PlanStatus.DRAFT:
            self._update(
                plan,
                {"document": spec.document},
                spec.where,
                what,
                lambda changes: reorganisation_plan_update(
                    reorganisation_plan=plan, document=spec.document
                ),
            )
        if spec.merger_checklist and plan.status == PlanStatus.DRAFT:
            created = self._write(
                spec.where,
                f"the merger checklist of {what}",
                lambda: merger_checklist_generate(plan=plan),
            )
            for milestone in created:
                self._created(milestone)

    # The demo officer ------------------------------------------------------------------

    def _load_officer(self, password: str) -> None:
        # Through the officers' services, as manage.py officer does; only what differs is
        # written, so a second run changes nothing.
        changes = Changes()
        user = get_user_model().objects.filter(username=OFFICER_USERNAME).first()
        if user is None:
            user = get_user_model().objects.create_user(
                OFFICER_USERNAME, email=OFFICER_EMAIL, password=password, is_staff=True
            )
            changes.user_created = True
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            changes.user_updated = True
        systems = [self.systems[code] for code in self.data.system_codes]
        try:
            officer_grant(user, systems, changes)
        except ValidationError as error:
            raise DemoDataError(" ".join(error.messages)) from error
        if changes.created_groups:
            self.report.created["groups"] += len(changes.created_groups)
        if changes.updated_groups:
            self.report.updated["groups"] += len(changes.updated_groups)
        if changes.user_created:
            self.report.created["users"] += 1
        elif changes.user_updated or changes.granted:
            self.report.updated["users"] += 1
