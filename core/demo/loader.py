"""Load the demo governance of :mod:`core.demo.data` on top of the ODS reference data.

Every record is matched by its natural key (an ICS and body name; a body and committee
name; a committee, role and seat title; a seat, person and start date; a person's work
e-mail) and brought to the state the data describes, so a second run changes nothing.
The whole load is one transaction: any refusal leaves the database as it was.
"""

from collections import Counter
from dataclasses import dataclass, field

import pghistory.models
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from guardian.shortcuts import assign_perm, get_perms

from bodies.models import SINGLE_BODY_KINDS, Body, IntegratedCareSystem, Organisation, Region
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
from core.services import audit_context, save_validated
from memberships.models import EndReason, Membership, Person
from reminders.models import ChecklistTemplate, Milestone, SystemContacts
from reminders.services import checklist_apply

from . import data
from .spec import (
    BodySpec,
    CommitteeSpec,
    ConstitutionSpec,
    SeatSpec,
    StandingOrdersSpec,
    SystemSpec,
    Term,
    TransitionSpec,
)

IMPORT_HINT = "run manage.py import_ods first"
OFFICER_USERNAME = "officer"
OFFICER_EMAIL = "officer@example.nhs.uk"
OFFICERS_GROUP = "Governance officers"
GOVERNANCE_APPS = ("bodies", "committees", "memberships", "decisions", "reminders")
# Reference data belongs to import_ods; officers change a system only where they hold
# the object permission on it.
REFERENCE_MODELS = (Region, IntegratedCareSystem)
SYSTEM_PERMISSION = "bodies.change_integratedcaresystem"


class DemoDataError(Exception):
    """The demo cannot be loaded: missing reference data, or a record that conflicts."""


def system_group_name(ics: IntegratedCareSystem) -> str:
    return f"Officers: {ics.name}"


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


# --- Checking the data itself ----------------------------------------------------------


def _organisation_refs() -> set[str]:
    refs = {p.employer for p in data.PEOPLE.values() if p.employer}
    for system in data.SYSTEMS:
        for body in system.bodies:
            refs.update(body.member_organisations, body.convening_organisations)
            if body.lead_provider:
                refs.add(body.lead_provider)
            for committee in body.committees:
                for seat in committee.seats:
                    refs.update(seat.nominated_by)
                    refs.update(t.on_behalf_of for t in seat.holders if t.on_behalf_of)
    return refs


def reference_codes() -> set[str]:
    """ODS codes the demo expects import_ods to have loaded."""
    return {ref for ref in _organisation_refs() if ref not in data.DEMO_ORGANISATIONS}


def _duplicates(items) -> list:
    return [item for item, n in Counter(items).items() if n > 1]


def _committee_problems(committee: CommitteeSpec, earlier: list[str]) -> list[str]:
    problems = []
    if committee.parent and committee.parent not in earlier:
        problems.append(f"{committee.name}: parent {committee.parent!r} is not listed before it")
    for role, title in _duplicates((s.role, s.title) for s in committee.seats):
        problems.append(f"{committee.name}: two seats with role {role} and title {title!r}")
    for seat in committee.seats:
        if seat.follows and seat.holders:
            problems.append(f"{committee.name}: a seat following {seat.follows} has holders")
        if seat.observer and seat.voting:
            problems.append(f"{committee.name}: observer seat {seat.role} votes")
        problems += [
            f"{committee.name}: unknown person {t.person!r}"
            for t in seat.holders
            if t.person not in data.PEOPLE
        ]
    return problems


def _transition_problems(transition) -> list[str]:
    code = transition.system
    problems = [f"{code}: unknown system"] if code not in data.SYSTEM_CODES else []
    people = [transition.governance_lead, *(m.owner for m in transition.milestones)]
    problems += [f"{code}: unknown person {key!r}" for key in people if key not in data.PEOPLE]
    titles = [m.title for m in transition.milestones]
    problems += [f"{code}: two milestones titled {t!r}" for t in _duplicates(titles)]
    problems += [
        f"{code}: milestone {m.title!r} has a due date but no category"
        for m in transition.milestones
        if bool(m.due_date) != bool(m.category)
    ]
    return problems


def check_demo_data() -> list[str]:
    """Mistakes in the demo data that would make the load ambiguous or refused."""
    problems = [
        f"e-mail {e} is used twice" for e in _duplicates(p.email for p in data.PEOPLE.values())
    ]
    problems += [
        f"unknown demo organisation {ref!r}"
        for ref in _organisation_refs()
        if ref.islower() and ref not in data.DEMO_ORGANISATIONS
    ]
    for transition in data.TRANSITIONS:
        problems += _transition_problems(transition)
    for system in data.SYSTEMS:
        problems += [
            f"{system.code}: two bodies named {n!r}"
            for n in _duplicates(b.name for b in system.bodies)
        ]
        seats = [s for b in system.bodies for c in b.committees for s in c.seats]
        refs = [s.ref for s in seats if s.ref]
        problems += [f"{system.code}: seat ref {ref!r} used twice" for ref in _duplicates(refs)]
        problems += [
            f"{system.code}: a seat follows unknown seat {s.follows!r}"
            for s in seats
            if s.follows and s.follows not in refs
        ]
        for body in system.bodies:
            names = [c.name for c in body.committees]
            problems += [f"{body.name}: two committees named {n!r}" for n in _duplicates(names)]
            boards = [c for c in body.committees if c.kind == CommitteeKind.BOARD]
            if len(boards) != 1:
                problems.append(f"{body.name}: {len(boards)} boards, not one")
            for number, committee in enumerate(body.committees):
                problems += _committee_problems(committee, names[:number])
    return problems


# --- Loading ---------------------------------------------------------------------------


def load_demo(*, officer_password: str) -> DemoReport:
    """Load (or restore) the demo governance and the demo officer; all or nothing."""
    problems = check_demo_data()
    if problems:
        raise DemoDataError("The demo data is inconsistent: " + "; ".join(problems))
    loader = _Loader()
    with transaction.atomic(), audit_context(command="load_demo"):
        loader.run(officer_password)
    return loader.report


def _value_of(instance: models.Model, name: str):
    """A field's value as comparable to the data: related rows by primary key."""
    field_ = instance._meta.get_field(name)
    if field_.is_relation:
        return getattr(instance, field_.attname)
    return getattr(instance, name)


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


class _Loader:
    def __init__(self):
        self.report = DemoReport()
        self.systems: dict[str, IntegratedCareSystem] = {}
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}

    def run(self, officer_password: str) -> None:
        self._load_reference_data()
        self._load_demo_organisations()
        self._load_people()
        for system in data.SYSTEMS:
            self._load_system(system)
        # Imported here: core.demo.decisions imports this module's report and error.
        from .decisions import load_decisions_demo

        load_decisions_demo(self.report)
        for transition in data.TRANSITIONS:
            self._load_transition(transition)
        self._load_officer(officer_password)

    # Writing one record ----------------------------------------------------------------

    def _label(self, model) -> str:
        return str(model._meta.verbose_name_plural)

    def _save(self, instance: models.Model) -> None:
        try:
            save_validated(instance)
        except ValidationError as exc:
            what = f"{instance._meta.verbose_name} {instance}"
            raise DemoDataError(f"Cannot save the {what}: {' '.join(exc.messages)}") from exc

    def _upsert(self, model, key: dict, values: dict, existing=None) -> tuple[models.Model, bool]:
        """The row with natural ``key``, created or changed to hold ``values``, and
        whether it was created."""
        if existing is None:
            matches = list(model.objects.filter(**key)[:2])
            if len(matches) > 1:
                raise DemoDataError(
                    f"More than one {model._meta.verbose_name} matches {key}: the demo "
                    "cannot tell which to use."
                )
            existing = matches[0] if matches else None
        if existing is None:
            instance = model(**key, **values)
            self._save(instance)
            self.report.created[self._label(model)] += 1
            return instance, True
        changed = [n for n, v in values.items() if _value_of(existing, n) != _comparable(v)]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            self._save(existing)
            self.report.updated[self._label(model)] += 1
        return existing, False

    def _set_links(self, instance: models.Model, name: str, targets, *, created: bool) -> None:
        """Make a many-to-many field link exactly ``targets``; a new row's links are part
        of its creation, an existing row's are an update of it."""
        manager = getattr(instance, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) == wanted:
            return
        manager.set(list(wanted))
        if not created:
            self.report.updated[self._label(type(instance))] += 1

    # Reference data --------------------------------------------------------------------

    def _load_reference_data(self) -> None:
        systems = IntegratedCareSystem.objects.filter(code__in=data.SYSTEM_CODES).select_related(
            "icb"
        )
        self.systems = {ics.code: ics for ics in systems}
        missing = [code for code in data.SYSTEM_CODES if code not in self.systems]
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
        codes = reference_codes()
        found = Organisation.objects.filter(ods_code__in=codes)
        self.organisations = {org.ods_code: org for org in found}
        missing = sorted(codes - self.organisations.keys())
        if missing:
            raise DemoDataError(
                f"No organisation has the ODS code(s) {', '.join(missing)}: {IMPORT_HINT}."
            )

    def _load_demo_organisations(self) -> None:
        regions = {r.code: r for r in Region.objects.all()}
        for key, spec in data.DEMO_ORGANISATIONS.items():
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
            organisation, created = self._upsert(
                Organisation,
                {"name": spec.name, "kind": spec.kind},
                {"region": regions.get(spec.region), "is_demo": True},
                existing=matches[0] if matches else None,
            )
            self._set_links(
                organisation,
                "systems",
                [self.systems[code] for code in spec.systems],
                created=created,
            )
            self.organisations[key] = organisation

    def _organisation(self, ref: str | None) -> Organisation | None:
        return self.organisations[ref] if ref else None

    def _load_people(self) -> None:
        for key, spec in data.PEOPLE.items():
            matches = list(Person.objects.filter(work_email__iexact=spec.email)[:2])
            if len(matches) > 1:
                raise DemoDataError(f"More than one person has the e-mail {spec.email}.")
            if matches and not matches[0].is_demo:
                raise DemoDataError(
                    f"{matches[0].name} is not demo data but has the demo e-mail {spec.email}: "
                    "change that person's e-mail before loading the demo."
                )
            self.people[key], _ = self._upsert(
                Person,
                {"work_email": spec.email},
                {
                    "honorific_prefix": spec.honorific_prefix,
                    "given_name": spec.given_name,
                    "family_name": spec.family_name,
                    "post_nominals": spec.post_nominals,
                    "employing_organisation": self._organisation(spec.employer),
                    "is_demo": True,
                },
                existing=matches[0] if matches else None,
            )

    # Governance ------------------------------------------------------------------------

    def _load_system(self, system: SystemSpec) -> None:
        ics = self.systems[system.code]
        seats_by_ref = {
            seat.ref: seat
            for body in system.bodies
            for committee in body.committees
            for seat in committee.seats
            if seat.ref
        }
        for body_spec in system.bodies:
            body = self._load_body(ics, body_spec)
            committees: dict[str, Committee] = {}
            for committee_spec in body_spec.committees:
                committee = self._load_committee(body, committee_spec, committees)
                committees[committee_spec.name] = committee
                for seat_spec in committee_spec.seats:
                    seat = self._load_seat(committee, seat_spec)
                    holders = self._holders(seat_spec, committee_spec, seats_by_ref)
                    for term in holders:
                        self._load_membership(seat, seat_spec, term)

    def _load_body(self, ics: IntegratedCareSystem, spec: BodySpec) -> Body:
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
        body, created = self._upsert(
            Body, {"ics": ics, "name": spec.name}, values, existing=existing
        )
        for name, refs in (
            ("member_organisations", spec.member_organisations),
            ("convening_organisations", spec.convening_organisations),
        ):
            targets = [self._organisation(ref) for ref in refs]
            self._set_links(body, name, targets, created=created)
        return body

    def _load_committee(
        self, body: Body, spec: CommitteeSpec, siblings: dict[str, Committee]
    ) -> Committee:
        existing = Committee.objects.filter(body=body, name=spec.name).first()
        if existing is None and spec.kind == CommitteeKind.BOARD:
            # A body has one current board: reuse one made with the body.
            existing = Committee.objects.filter(
                body=body, kind=CommitteeKind.BOARD, abolished__isnull=True
            ).first()
        values = {
            "kind": spec.kind,
            "parent": siblings[spec.parent] if spec.parent else None,
            "purpose": spec.purpose,
            "established": spec.established,
        }
        committee, _ = self._upsert(
            Committee, {"body": body, "name": spec.name}, values, existing=existing
        )
        if spec.standing_orders:
            self._load_standing_orders(committee, spec.standing_orders)
        if spec.constitution:
            self._load_constitution(committee, spec.constitution)
        return committee

    def _load_standing_orders(self, committee: Committee, spec: StandingOrdersSpec) -> None:
        values = {
            "quorum_voting_members": spec.quorum_voting_members,
            "voting_method": spec.voting_method,
            "chair_has_casting_vote": spec.chair_has_casting_vote,
            "deputies_allowed": spec.deputies_allowed,
        }
        orders, _ = self._upsert(StandingOrders, {"committee": committee}, values)
        for condition in spec.conditions:
            self._upsert(
                QuorumCondition,
                {"standing_orders": orders, "description": condition.description},
                {"roles": list(condition.roles), "min_present": condition.min_present},
            )

    def _load_constitution(self, committee: Committee, spec: ConstitutionSpec) -> None:
        values = {
            "name": spec.name,
            "source": RuleSource.CONSTITUTION,
            "committee": committee,
            "citation": spec.citation,
            "effective_from": spec.effective_from,
        }
        rule_set, _ = self._upsert(Constitution, {"code": spec.code, "version": 1}, values)
        for order, requirement in enumerate(spec.requirements):
            self._upsert(
                Requirement,
                {"constitution": rule_set, "code": requirement.code},
                {
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
                },
            )

    def _load_seat(self, committee: Committee, spec: SeatSpec) -> Seat:
        values = {
            "voting": spec.voting,
            "participation": Participation.OBSERVER if spec.observer else Participation.PARTICIPANT,
            "independence_required": spec.independence_required,
            "term_length_months": spec.term_length_months,
            "is_chair": spec.is_chair,
            "is_deputy_chair": spec.is_deputy_chair,
            "is_senior_independent_member": spec.is_senior_independent_member,
            "established": spec.established,
            "abolished": spec.abolished,
        }
        seat, created = self._upsert(
            Seat, {"committee": committee, "role": spec.role, "title": spec.title}, values
        )
        self._set_links(
            seat,
            "nominating_organisations",
            [self._organisation(ref) for ref in spec.nominated_by],
            created=created,
        )
        return seat

    def _holders(
        self, spec: SeatSpec, committee: CommitteeSpec, seats_by_ref: dict[str, SeatSpec]
    ) -> list[Term]:
        """A seat's own holders, or those of the seat it follows, within the committee's
        and the seat's lifetime."""
        if not spec.follows:
            return list(spec.holders)
        followed = seats_by_ref[spec.follows]
        terms = self._holders(followed, committee, seats_by_ref)
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
            result.append(Term(term.person, start, end, reason, term.status))
        return result

    def _on_behalf_of(self, seat_spec: SeatSpec, term: Term) -> Organisation | None:
        """The nominating organisation the holder represents: the one named, else the
        holder's employer if it nominates, else the only nominator."""
        if term.on_behalf_of:
            return self._organisation(term.on_behalf_of)
        employer = data.PEOPLE[term.person].employer
        if employer and employer in seat_spec.nominated_by:
            return self._organisation(employer)
        if len(seat_spec.nominated_by) == 1:
            return self._organisation(seat_spec.nominated_by[0])
        return None

    def _load_membership(self, seat: Seat, seat_spec: SeatSpec, term: Term) -> None:
        self._upsert(
            Membership,
            {"seat": seat, "person": self.people[term.person], "start": term.start},
            {
                "end": term.end,
                "end_reason": term.end_reason,
                "status": term.status,
                "on_behalf_of": self._on_behalf_of(seat_spec, term),
            },
        )

    # Transition milestones (R31) -------------------------------------------------------

    def _load_transition(self, spec: TransitionSpec) -> None:
        ics = self.systems[spec.system]
        self._upsert(
            SystemContacts, {"ics": ics}, {"governance_lead": self.people[spec.governance_lead]}
        )
        template = ChecklistTemplate.objects.filter(name=spec.checklist).first()
        if template is None:
            raise DemoDataError(
                f"The checklist {spec.checklist!r} does not exist: run manage.py migrate first."
            )
        try:
            created = checklist_apply(template=template, ics=ics)
        except ValidationError as exc:
            raise DemoDataError(" ".join(exc.messages)) from exc
        if created:
            self.report.created[self._label(Milestone)] += len(created)
        # Progress on a milestone created just now is part of its creation.
        fresh = {m.title: m for m in created}
        for milestone in spec.milestones:
            values = {
                "owner": self.people[milestone.owner],
                "status": milestone.status,
                "completed_on": milestone.completed_on,
                "evidence_url": milestone.evidence_url,
                "evidence_note": milestone.evidence_note,
            }
            if milestone.due_date:
                values |= {"category": milestone.category, "due_date": milestone.due_date}
            if milestone.title in fresh:
                instance = fresh[milestone.title]
                for name, value in values.items():
                    setattr(instance, name, value)
                self._save(instance)
            else:
                self._upsert(Milestone, {"ics": ics, "title": milestone.title}, values)

    # The demo officer ------------------------------------------------------------------

    def _officer_permissions(self) -> list[Permission]:
        wanted: list[tuple[type[models.Model], str]] = []
        for label in GOVERNANCE_APPS:
            for model in apps.get_app_config(label).get_models():
                if issubclass(model, pghistory.models.Event) or model in REFERENCE_MODELS:
                    actions = ("view",)
                else:
                    actions = ("add", "change", "view")
                wanted += [(model, action) for action in actions]
        wanted += [(model, "view") for model in apps.get_app_config("pghistory").get_models()]
        content_types = ContentType.objects.get_for_models(
            *{model for model, _ in wanted}, for_concrete_models=False
        )
        permissions = {
            (p.content_type_id, p.codename): p
            for p in Permission.objects.filter(content_type__in=content_types.values())
        }
        result, missing = [], []
        for model, action in wanted:
            codename = f"{action}_{model._meta.model_name}"
            permission = permissions.get((content_types[model].pk, codename))
            if permission is None:
                missing.append(f"{model._meta.app_label}.{codename}")
            else:
                result.append(permission)
        if missing:
            raise DemoDataError(
                f"Permissions {', '.join(missing)} do not exist: run manage.py migrate first."
            )
        return result

    def _group(self, name: str, permissions=(), *, on: IntegratedCareSystem | None = None):
        """A group holding exactly ``permissions`` (or, with ``on``, the system
        permission on that one system, through django-guardian)."""
        group, created = Group.objects.get_or_create(name=name)
        changed = False
        if on is not None:
            if SYSTEM_PERMISSION.split(".")[1] not in get_perms(group, on):
                assign_perm(SYSTEM_PERMISSION, group, on)
                changed = True
        elif set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in permissions}:
            group.permissions.set(permissions)
            changed = True
        if created:
            self.report.created["groups"] += 1
        elif changed:
            self.report.updated["groups"] += 1
        return group

    def _load_officer(self, password: str) -> None:
        groups = [self._group(OFFICERS_GROUP, self._officer_permissions())]
        for code in data.SYSTEM_CODES:
            ics = self.systems[code]
            groups.append(self._group(system_group_name(ics), on=ics))

        user_model = get_user_model()
        user = user_model.objects.filter(username=OFFICER_USERNAME).first()
        if user is None:
            user = user_model.objects.create_user(
                OFFICER_USERNAME, email=OFFICER_EMAIL, password=password, is_staff=True
            )
            user.groups.add(*groups)
            self.report.created["users"] += 1
            return
        # Reset the officer, but only what differs: a second run must not write.
        changed = False
        if not (user.is_staff and user.is_active):
            user.is_staff = user.is_active = True
            changed = True
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        missing = set(groups) - set(user.groups.all())
        if missing:
            user.groups.add(*missing)
            changed = True
        if changed:
            self.report.updated["users"] += 1
