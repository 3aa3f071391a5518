"""The floor of the API's reports (issue 13): a system's composition on a date, a board's
or committee's compliance on a date and a system's Popolo export, each the same JSON as
the API's, read with hand-written SQL and encoded with the standard library.

``benchmarks/floor.py`` routes ``/systems/<code>/composition/``,
``/committees/<id>/compliance/`` and ``/systems/<code>/popolo/`` here. The composition
is plain SQL. Compliance needs what the rules make of the facts (a report's findings):
this floor reads the facts with its own SQL and hands them to the same pure rule
function the API uses (``committees.rules.evaluate``), so the figure is what the ORM,
DRF and our selectors cost above the minimum, not the rules themselves. Popolo shows
each decision's result and tally from its stored outcome, as the API does
(``decisions_storedoutcome``). Django is set up only to import that function and the
choice labels; no query goes through the ORM here.
"""

import datetime
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")
django.setup()

from bodies.models import (  # noqa: E402
    COLLABORATIVE_TRUST_TYPES,
    NHS_TRUST_KINDS,
    BodyKind,
    OrganisationKind,
)
from committees.models import (  # noqa: E402
    SEVERITY_OF_SOURCE,
    CommitteeKind,
    Participation,
    Role,
)
from committees.rules import Employed, Facts, Severity, evaluate  # noqa: E402
from memberships.models import MembershipStatus  # noqa: E402

ROLE = {str(k): str(v) for k, v in Role.choices}
PARTICIPATION = {str(k): str(v) for k, v in Participation.choices}
STATUS = {str(k): str(v) for k, v in MembershipStatus.choices}
COMMITTEE_KIND = {str(k): str(v) for k, v in CommitteeKind.choices}
BODY_KIND = {str(k): str(v) for k, v in BodyKind.choices}
SEVERITY = {str(k): str(v) for k, v in Severity.choices}
ORGANISATION_KIND = {str(k): str(v) for k, v in OrganisationKind.choices}

ROUTES = [
    (re.compile(r"^systems/(?P<code>[^/]+)/composition$"), "composition"),
    (re.compile(r"^committees/(?P<pk>\d+)/compliance$"), "compliance"),
    (re.compile(r"^systems/(?P<code>[^/]+)/popolo$"), "popolo"),
]

TERM_END = "(({start} + make_interval(months => {months}))::date - 1)"
HELD = '{m}.start <= %(day)s AND ({m}."end" IS NULL OR {m}."end" >= %(day)s)'
IN_FORCE = (
    "({t}.{start} IS NULL OR {t}.{start} <= %(day)s)"
    " AND ({t}.{end} IS NULL OR {t}.{end} >= %(day)s)"
)


def in_force(table: str, start: str = "established", end: str = "abolished") -> str:
    return IN_FORCE.format(t=table, start=start, end=end)


def _iso(value):
    return value.isoformat() if value else None


def _label(seat_title: str, role: str) -> str:
    return seat_title or ROLE.get(role, "")


def _person_name(prefix, given, family, post_nominals) -> str:
    name = " ".join(p for p in (prefix, given, family) if p)
    return f"{name} {post_nominals}" if post_nominals else name


def route(path: str):
    """The report and its arguments for ``path`` (no slashes around it), or None."""
    for pattern, name in ROUTES:
        found = pattern.match(path)
        if found:
            return name, found.groupdict()
    return None


def answer(cursor, name: str, arguments: dict, day: datetime.date):
    """The JSON-ready answer of report ``name``, or None when its subject does not exist."""
    return {"composition": composition, "compliance": compliance, "popolo": popolo}[name](
        cursor, day=day, **arguments
    )


# -- composition --------------------------------------------------------------------------

COMMITTEES_OF_SYSTEM = f"""
    SELECT c.id, c.name, c.kind, c.parent_id, b.id, b.name, b.kind
    FROM committees_committee c
    JOIN bodies_body b ON b.id = c.body_id
    JOIN bodies_integratedcaresystem s ON s.id = c.ics_id
    WHERE s.id = %(ics)s AND {in_force("c")}
    ORDER BY s.name, b.kind, b.name, c.kind, c.name
"""

SEATS_WITH_HOLDERS = f"""
    SELECT seat.id, seat.committee_id, seat.role, seat.title, seat.voting, seat.participation,
           seat.is_chair, seat.is_deputy_chair, seat.is_senior_independent_member,
           h.id, h.person_id, h.person_name, h.start, h."end",
           {TERM_END.format(start="h.start", months="seat.term_length_months")},
           h.status, h.on_behalf_of_id
    FROM committees_seat seat
    JOIN committees_committee c ON c.id = seat.committee_id
    LEFT JOIN memberships_membership h ON h.seat_id = seat.id AND {HELD.format(m="h")}
    WHERE seat.committee_id = ANY(%(committees)s) AND {in_force("seat")}
    ORDER BY c.name, seat.is_chair DESC, seat.voting DESC, seat.role, seat.id
"""


def system_id(cursor, code: str):
    cursor.execute(
        "SELECT id FROM bodies_integratedcaresystem WHERE code = %(code)s", {"code": code}
    )
    row = cursor.fetchone()
    return row[0] if row else None


def composition(cursor, *, code: str, day: datetime.date):
    ics = system_id(cursor, code)
    if ics is None:
        return None
    cursor.execute(COMMITTEES_OF_SYSTEM, {"ics": ics, "day": day})
    committees = cursor.fetchall()
    seats = defaultdict(list)
    cursor.execute(SEATS_WITH_HOLDERS, {"committees": [c[0] for c in committees], "day": day})
    for (
        seat,
        committee,
        role,
        title,
        voting,
        participation,
        is_chair,
        is_deputy_chair,
        is_sim,
        membership,
        person,
        name,
        start,
        end,
        term_end,
        status,
        on_behalf_of,
    ) in cursor.fetchall():
        holder = None
        if membership is not None:
            holder = {
                "membership": membership,
                "person": person,
                "name": name,
                "start": _iso(start),
                "end": _iso(end),
                "term_end": _iso(term_end),
                "status": status,
                "status_label": STATUS.get(status, ""),
                "on_behalf_of": on_behalf_of,
            }
        seats[committee].append(
            {
                "seat": seat,
                "role": role,
                "role_label": ROLE.get(role, ""),
                "label": _label(title, role),
                "voting": voting,
                "participation": participation,
                "participation_label": PARTICIPATION.get(participation, ""),
                "is_chair": is_chair,
                "is_deputy_chair": is_deputy_chair,
                "is_senior_independent_member": is_sim,
                "vacant": membership is None,
                "holder": holder,
            }
        )
    return {
        "system": code,
        "as_of": day.isoformat(),
        "committees": [
            {
                "id": pk,
                "name": name,
                "kind": kind,
                "kind_label": COMMITTEE_KIND.get(kind, ""),
                "parent": parent,
                "body": {
                    "id": body,
                    "name": body_name,
                    "kind": body_kind,
                    "kind_label": BODY_KIND.get(body_kind, ""),
                },
                "seats": seats[pk],
            }
            for pk, name, kind, parent, body, body_name, body_kind in committees
        ],
    }


# -- compliance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    """What the rules read of a seat on the date (``memberships.selectors.SeatHolding``)."""

    seat: object
    membership: object = None
    other_roles: tuple = field(default=())

    @property
    def vacant(self) -> bool:
        return self.membership is None

    @property
    def holder(self):
        return self.membership.person if self.membership else None


class Listed(list):
    """A list read as a prefetched relation (``.all()``)."""

    def all(self):
        return self


COMMITTEE_FACTS = """
    SELECT c.id, c.name, c.kind, b.id, b.kind, b.established, b.ics_id, s.name, s.icb_id,
           s.go_live
    FROM committees_committee c
    JOIN bodies_body b ON b.id = c.body_id
    JOIN bodies_integratedcaresystem s ON s.id = b.ics_id
    WHERE c.id = %(pk)s
"""

# The seats in force of the committee with their holder on the date and the holder's name.
HOLDINGS = f"""
    SELECT seat.id, seat.role, seat.title, seat.voting, seat.independence_required,
           seat.is_chair, seat.is_deputy_chair, seat.is_senior_independent_member,
           seat.body_id, h.id, h.person_id, h.ics_id,
           p.honorific_prefix, p.given_name, p.family_name, p.post_nominals
    FROM committees_seat seat
    JOIN committees_committee c ON c.id = seat.committee_id
    LEFT JOIN memberships_membership h ON h.seat_id = seat.id AND {HELD.format(m="h")}
    LEFT JOIN memberships_person p ON p.id = h.person_id
    WHERE seat.committee_id = ANY(%(committees)s) AND {in_force("seat")}
    ORDER BY c.name, seat.is_chair DESC, seat.voting DESC, seat.role, seat.id
"""

NOMINATORS = f"""
    SELECT l.seat_id, o.id, o.name, o.kind, o.closed
    FROM committees_seat_nominating_organisations l
    JOIN bodies_organisation o ON o.id = l.organisation_id
    WHERE l.seat_id = ANY(%(seats)s) AND {in_force("l", "start", '"end"')}
    ORDER BY o.name, l.id
"""

# Every seat the holders hold on the date, in the order of ``Membership.Meta.ordering``.
HELD_BY = f"""
    SELECT m.id, m.person_id, m.ics_id, seat.id, seat.role, seat.title, seat.is_chair,
           seat.body_id, c.name, c.kind, b.kind
    FROM memberships_membership m
    JOIN committees_seat seat ON seat.id = m.seat_id
    JOIN committees_committee c ON c.id = seat.committee_id
    JOIN bodies_body b ON b.id = seat.body_id
    WHERE m.person_id = ANY(%(people)s) AND {HELD.format(m="m")}
    ORDER BY c.name, seat.is_chair DESC, seat.voting DESC, seat.role, seat.id, m.start DESC
"""

CLUSTERS = f"""
    SELECT cm.system_id, cm.cluster_id, cl.shares_chair, cl.shares_chief_executive
    FROM bodies_clustermember cm
    JOIN bodies_cluster cl ON cl.id = cm.cluster_id
    WHERE {in_force("cm", "start", '"end"')} AND {in_force("cl", "start", '"end"')}
      AND cm.cluster_id IN (
          SELECT j.cluster_id FROM bodies_clustermember j
          JOIN bodies_cluster jc ON jc.id = j.cluster_id
          WHERE j.system_id = ANY(%(systems)s) AND {in_force("j", "start", '"end"')}
            AND {in_force("jc", "start", '"end"')}
      )
"""

EMPLOYMENTS = f"""
    SELECT e.person_id, e.organisation_id, o.name, e.seconded
    FROM memberships_employment e
    JOIN bodies_organisation o ON o.id = e.organisation_id
    WHERE e.person_id = ANY(%(people)s) AND {in_force("e", "start", '"end"')}
    ORDER BY e.seconded, o.name
"""

EMPLOYER_SYSTEMS = f"""
    SELECT l.organisation_id, l.integratedcaresystem_id FROM bodies_organisation_systems l
    WHERE l.organisation_id = ANY(%(organisations)s) AND {in_force("l", "start", '"end"')}
"""

RULE_SETS = f"""
    SELECT k.id, k.committee_id, k.source, k.committee_kinds, k.body_kinds
    FROM committees_constitution k
    WHERE {in_force("k", "effective_from", "effective_to")}
      AND (k.committee_id = %(pk)s OR k.committee_id IS NULL)
    ORDER BY k.source, k.code
"""

REQUIREMENTS = """
    SELECT r.constitution_id, r.code, r.rule, r.kind, r.description, r.description_plural,
           r.roles, r.seat_flag, r.min_seats, r.max_seats, r.voting, r.independence_required,
           r.nominating_kinds, r.severity
    FROM committees_requirement r
    WHERE r.constitution_id = ANY(%(rule_sets)s)
    ORDER BY r."order", r.id
"""

VACATED = """
    SELECT m.seat_id, max(m."end") FROM memberships_membership m
    WHERE m.seat_id = ANY(%(seats)s) AND m."end" < %(day)s
    GROUP BY m.seat_id
"""

AUDIT_CHAIRS = f"""
    SELECT DISTINCT m.person_id FROM memberships_membership m
    JOIN committees_seat seat ON seat.id = m.seat_id
    JOIN committees_committee c ON c.id = m.committee_id
    WHERE {HELD.format(m="m")} AND c.name ~* '\\yaudit\\y' AND seat.is_chair
      AND seat.body_id = %(body)s
"""

CONVENORS = f"""
    SELECT l.organisation_id, o.kind FROM bodies_body_convening_organisations l
    JOIN bodies_organisation o ON o.id = l.organisation_id
    WHERE l.body_id = %(body)s AND {in_force("l", "start", '"end"')}
"""

ACCOUNTABLE = f"""
    SELECT seat.id, h.person_id, p.honorific_prefix, p.given_name, p.family_name,
           p.post_nominals
    FROM committees_seat seat
    JOIN committees_committee c ON c.id = seat.committee_id
    LEFT JOIN memberships_membership h ON h.seat_id = seat.id AND {HELD.format(m="h")}
    LEFT JOIN memberships_person p ON p.id = h.person_id
    WHERE seat.body_id = %(body)s AND seat.role = %(role)s AND {in_force("seat")}
    ORDER BY c.name, seat.is_chair DESC, seat.voting DESC, seat.role, seat.id
"""

UNCOVERED = f"""
    WITH collaboratives AS (
        SELECT b.id, b.lead_provider_id FROM bodies_body b
        WHERE b.ics_id = %(ics)s AND b.kind = %(collaborative)s AND {in_force("b")}
    ), covered AS (
        SELECT l.organisation_id FROM bodies_body_member_organisations l
        WHERE l.body_id IN (SELECT id FROM collaboratives) AND {in_force("l", "start", '"end"')}
        UNION
        SELECT lead_provider_id FROM collaboratives WHERE lead_provider_id IS NOT NULL
    )
    SELECT o.name FROM bodies_organisation_systems l
    JOIN bodies_organisation o ON o.id = l.organisation_id
    WHERE l.integratedcaresystem_id = %(ics)s AND {in_force("l", "start", '"end"')}
      AND o.kind = ANY(%(kinds)s) AND o.trust_type = ANY(%(trust_types)s)
      AND (o.closed IS NULL OR o.closed >= %(day)s)
      AND o.id NOT IN (SELECT organisation_id FROM covered)
"""

STANDING_ORDERS = f"""
    SELECT so.id, so.quorum_voting_members FROM committees_standingorders so
    WHERE so.committee_id = %(pk)s AND {in_force("so", "effective_from", "effective_to")}
"""

CONDITIONS = """
    SELECT q.description, q.roles, q.min_present FROM committees_quorumcondition q
    WHERE q.standing_orders_id = %(standing_orders)s ORDER BY q.id
"""


def _nominator_phrase(kinds) -> str:
    labels = [ORGANISATION_KIND[k].lower() for k in kinds]
    return " or ".join(f"an {x}" if x[0] in "aeiou" else f"a {x}" for x in labels)


def _requirement(source, row) -> SimpleNamespace:
    (
        _,
        code,
        rule,
        kind,
        description,
        description_plural,
        roles,
        seat_flag,
        min_seats,
        max_seats,
        voting,
        independence_required,
        nominating_kinds,
        severity,
    ) = row
    return SimpleNamespace(
        code=code,
        rule=rule,
        kind=kind,
        description=description,
        plural=description_plural or f"{description}s",
        roles=roles,
        seat_flag=seat_flag,
        min_seats=min_seats,
        max_seats=max_seats,
        voting=voting,
        independence_required=independence_required,
        nominating_kinds=nominating_kinds,
        nominator_phrase=_nominator_phrase(nominating_kinds or ()),
        effective_severity=severity or SEVERITY_OF_SOURCE[source],
    )


def _shared_post(seat, cluster) -> str | None:
    if seat.committee_kind != CommitteeKind.BOARD or seat.body_kind != BodyKind.ICB:
        return None
    if cluster["shares_chair"] and seat.is_chair:
        return "chair"
    if cluster["shares_chief_executive"] and seat.role == Role.CHIEF_EXECUTIVE:
        return "chief_executive"
    return None


def _other_roles(cursor, memberships, employments, day) -> dict[int, tuple]:
    """``memberships.selectors._other_roles`` from hand-written SQL."""
    if not memberships:
        return {}
    people = sorted({m.person_id for m in memberships})
    cursor.execute(CLUSTERS, {"systems": sorted({m.ics_id for m in memberships}), "day": day})
    members = cursor.fetchall()
    systems_of = defaultdict(set)
    for system, cluster, _, _ in members:
        systems_of[cluster].add(system)
    clusters = {
        system: {
            "system_ids": systems_of[cluster],
            "shares_chair": shares_chair,
            "shares_chief_executive": shares_ce,
        }
        for system, cluster, shares_chair, shares_ce in members
    }
    elsewhere = defaultdict(list)
    cursor.execute(HELD_BY, {"people": people, "day": day})
    for (
        pk,
        person,
        ics,
        seat,
        role,
        title,
        is_chair,
        body,
        committee,
        kind,
        body_kind,
    ) in cursor.fetchall():
        elsewhere[person].append(
            SimpleNamespace(
                pk=pk,
                ics_id=ics,
                seat=SimpleNamespace(
                    pk=seat,
                    role=role,
                    label=_label(title, role),
                    is_chair=is_chair,
                    body_id=body,
                    committee_name=committee,
                    committee_kind=kind,
                    body_kind=body_kind,
                ),
            )
        )
    employer_ids = sorted({e.organisation_id for found in employments.values() for e in found})
    employer_systems = defaultdict(set)
    cursor.execute(EMPLOYER_SYSTEMS, {"organisations": employer_ids, "day": day})
    for organisation, ics in cursor.fetchall():
        employer_systems[organisation].add(ics)

    result = {}
    for membership in memberships:
        cluster = clusters.get(membership.ics_id)
        footprint = cluster["system_ids"] if cluster else {membership.ics_id}
        held = elsewhere[membership.person_id]
        with_the_post = set()
        post = _shared_post(membership.seat, cluster) if cluster else None
        if post is not None:
            with_the_post = {
                other.seat.body_id
                for other in held
                if other.ics_id != membership.ics_id and _shared_post(other.seat, cluster) == post
            }
        roles = [
            SimpleNamespace(
                description=f"{other.seat.label}, {other.seat.committee_name}",
                role=other.seat.role,
                body_id=other.seat.body_id,
                seat_id=other.seat.pk,
                organisation_id=None,
            )
            for other in held
            if other.pk != membership.pk
            and other.ics_id in footprint
            and other.seat.body_id not in with_the_post
        ]
        for employer in employments.get(membership.person_id, ()):
            if footprint & employer_systems[employer.organisation_id]:
                how = "Seconded to" if employer.seconded else "Employed by"
                roles.append(
                    SimpleNamespace(
                        description=f"{how} {employer.organisation_name}",
                        role=None,
                        body_id=None,
                        seat_id=None,
                        organisation_id=employer.organisation_id,
                    )
                )
        result[membership.pk] = tuple(roles)
    return result


def compliance(cursor, *, pk: str, day: datetime.date):
    params = {"pk": int(pk), "day": day}
    cursor.execute(COMMITTEE_FACTS, params)
    row = cursor.fetchone()
    if row is None:
        return None
    committee, name, kind, body, body_kind, established, ics, ics_name, icb, go_live = row

    cursor.execute(HOLDINGS, {"committees": [committee], "day": day})
    seats, memberships = [], []
    for (
        seat_id,
        role,
        title,
        voting,
        independence_required,
        is_chair,
        is_deputy_chair,
        is_sim,
        seat_body,
        membership,
        person,
        membership_ics,
        *person_name,
    ) in cursor.fetchall():
        seat = SimpleNamespace(
            pk=seat_id,
            role=role,
            label=_label(title, role),
            voting=voting,
            independence_required=independence_required,
            is_chair=is_chair,
            is_deputy_chair=is_deputy_chair,
            is_senior_independent_member=is_sim,
            body_id=seat_body,
            committee_kind=kind,
            body_kind=body_kind,
            nominating_organisations=Listed(),
        )
        seats.append(seat)
        if membership is not None:
            memberships.append(
                SimpleNamespace(
                    pk=membership,
                    person_id=person,
                    ics_id=membership_ics,
                    seat=seat,
                    person=SimpleNamespace(pk=person, name=_person_name(*person_name)),
                )
            )
    by_seat = {seat.pk: seat for seat in seats}
    cursor.execute(NOMINATORS, {"seats": list(by_seat), "day": day})
    for seat_id, organisation, org_name, org_kind, closed in cursor.fetchall():
        by_seat[seat_id].nominating_organisations.append(
            SimpleNamespace(pk=organisation, name=org_name, kind=org_kind, closed=closed)
        )

    people = sorted({m.person_id for m in memberships})
    employments = defaultdict(list)
    cursor.execute(EMPLOYMENTS, {"people": people, "day": day})
    for person, organisation, org_name, seconded in cursor.fetchall():
        employments[person].append(Employed(organisation, org_name, seconded))
    employments = {person: tuple(found) for person, found in employments.items()}
    other_roles = _other_roles(cursor, memberships, employments, day)
    held = {m.seat.pk: m for m in memberships}
    holdings = [
        Holding(
            seat=seat,
            membership=held.get(seat.pk),
            other_roles=other_roles.get(held[seat.pk].pk, ()) if seat.pk in held else (),
        )
        for seat in seats
    ]

    cursor.execute(RULE_SETS, params)
    rule_sets = cursor.fetchall()
    # The general sets (the law, national policy) first, then the committee's own.
    ordered = [
        (pk, source)
        for pk, own, source, committee_kinds, body_kinds in rule_sets
        if own is None and kind in committee_kinds and (not body_kinds or body_kind in body_kinds)
    ] + [(pk, source) for pk, own, source, _, _ in rule_sets if own == committee]
    cursor.execute(REQUIREMENTS, {"rule_sets": [pk for pk, _ in ordered]})
    found = defaultdict(list)
    for requirement in cursor.fetchall():
        found[requirement[0]].append(requirement)
    requirements = [_requirement(source, r) for pk, source in ordered for r in found[pk]]

    cursor.execute(VACATED, {"seats": list(by_seat), "day": day})
    vacated_on = dict(cursor.fetchall())
    cursor.execute(AUDIT_CHAIRS, {"body": body, "day": day})
    audit_chairs = frozenset(row[0] for row in cursor.fetchall())
    cursor.execute(CONVENORS, {"body": body, "day": day})
    convenors = dict(cursor.fetchall())
    accountable = []
    if body_kind == BodyKind.PLACE_PARTNERSHIP:
        cursor.execute(
            ACCOUNTABLE, {"body": body, "role": Role.SINGLE_ACCOUNTABLE_PERSON, "day": day}
        )
        for seat_id, person, *person_name in cursor.fetchall():
            membership = None
            if person is not None:
                membership = SimpleNamespace(
                    person=SimpleNamespace(pk=person, name=_person_name(*person_name))
                )
            accountable.append(Holding(seat=SimpleNamespace(pk=seat_id), membership=membership))
    uncovered = []
    if body_kind == BodyKind.ICB:
        cursor.execute(
            UNCOVERED,
            {
                "ics": ics,
                "collaborative": BodyKind.PROVIDER_COLLABORATIVE,
                "kinds": list(NHS_TRUST_KINDS),
                "trust_types": list(COLLABORATIVE_TRUST_TYPES),
                "day": day,
            },
        )
        uncovered = [row[0] for row in cursor.fetchall()]
    standing_orders = None
    cursor.execute(STANDING_ORDERS, params)
    row = cursor.fetchone()
    if row is not None:
        cursor.execute(CONDITIONS, {"standing_orders": row[0]})
        standing_orders = SimpleNamespace(
            quorum_voting_members=row[1],
            conditions=Listed(
                SimpleNamespace(description=d, roles=roles, min_present=n)
                for d, roles, n in cursor.fetchall()
            ),
        )

    report = evaluate(
        requirements,
        Facts(
            as_of=day,
            holdings=holdings,
            vacated_on=vacated_on,
            body_id=body,
            body_established=established,
            icb_organisation_id=icb,
            ics_go_live=go_live,
            convenor_kinds=convenors,
            audit_chair_person_ids=audit_chairs,
            accountable_person_seats=accountable,
            uncovered_trust_names=uncovered,
            standing_orders=standing_orders,
            employments=employments,
        ),
        subject=f"{name}, {ics_name}",
    )
    return {
        "committee": committee,
        "subject": report.subject,
        "as_of": day.isoformat(),
        "compliant": report.compliant,
        "findings": [
            {
                "requirement": f.requirement,
                "rule": f.rule,
                "met": f.met,
                "severity": f.severity,
                "severity_label": SEVERITY.get(f.severity, ""),
                "message": f.message,
                "seat_ids": list(f.seat_ids),
                "person_ids": list(f.person_ids),
            }
            for f in report.worst_first
        ],
    }


# -- Popolo -------------------------------------------------------------------------------

SYSTEM = "SELECT id, icb_id FROM bodies_integratedcaresystem WHERE code = %(code)s"

POPOLO_BODIES = """
    SELECT b.id, b.name, b.kind, b.established, b.abolished, b.lead_provider_id
    FROM bodies_body b WHERE b.ics_id = %(ics)s ORDER BY b.id
"""

POPOLO_COMMITTEES = """
    SELECT c.id, c.name, c.kind, c.parent_id, c.body_id, c.established, c.abolished
    FROM committees_committee c WHERE c.ics_id = %(ics)s ORDER BY c.id
"""

POPOLO_SEATS = """
    SELECT seat.id, seat.title, seat.role, seat.committee_id, seat.established, seat.abolished
    FROM committees_seat seat
    JOIN committees_committee c ON c.id = seat.committee_id
    WHERE seat.ics_id = %(ics)s
    ORDER BY c.name, seat.is_chair DESC, seat.voting DESC, seat.role, seat.id
"""

POPOLO_NOMINATORS = """
    SELECT DISTINCT l.organisation_id FROM committees_seat_nominating_organisations l
    JOIN committees_seat seat ON seat.id = l.seat_id
    WHERE seat.ics_id = %(ics)s
"""

POPOLO_MEMBERSHIPS = """
    SELECT m.id, m.person_name, m.person_id, m.committee_id, m.seat_id, m.on_behalf_of_id,
           m.start, m."end"
    FROM memberships_membership m WHERE m.ics_id = %(ics)s ORDER BY m.seat_id, m.start
"""

POPOLO_DECISIONS = """
    SELECT d.id, d.item_number, d.title, d.decision_type, d.by_consensus, mt.id,
           mt.committee_id, mt.date, mt.status
    FROM decisions_decision d
    JOIN decisions_meeting mt ON mt.id = d.meeting_id
    JOIN committees_committee c ON c.id = mt.committee_id
    WHERE c.ics_id = %(ics)s AND d.part = %(public)s
    ORDER BY mt.date, mt.id, d.item_number
"""

POPOLO_VOTES = """
    SELECT v.id, v.decision_id, v.attendance_id, v.value, v.is_casting_vote, a.person_id
    FROM decisions_vote v JOIN decisions_attendance a ON a.id = v.attendance_id
    WHERE v.decision_id = ANY(%(decisions)s)
    ORDER BY v.decision_id, v.is_casting_vote, v.id
"""

POPOLO_OUTCOMES = """
    SELECT s.decision_id, s.outcome FROM decisions_storedoutcome s
    WHERE s.decision_id = ANY(%(decisions)s)
"""

POPOLO_PEOPLE = """
    SELECT p.id, p.honorific_prefix, p.given_name, p.family_name, p.post_nominals
    FROM memberships_person p WHERE p.id = ANY(%(people)s) ORDER BY p.id
"""

POPOLO_ORGANISATIONS = """
    SELECT o.id, o.name, o.kind, o.ods_code, o.opened, o.closed
    FROM bodies_organisation o WHERE o.id = ANY(%(organisations)s) ORDER BY o.id
"""


def _clean(item: dict) -> dict:
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def _lineage(cursor, table: str, records: str, ids: list, prefix: str) -> dict:
    found = defaultdict(lambda: {"predecessors": [], "successors": []})
    # Each side in the order of ``Succession.Meta.ordering`` (effective date, then id).
    sides = (
        ("predecessors", "successor_id", "predecessor_id"),
        ("successors", "predecessor_id", "successor_id"),
    )
    for side, own, linked in sides:
        cursor.execute(
            f"""
            SELECT s.{own}, s.{linked}, other.name, s.kind, s.effective
            FROM {table} s JOIN {records} other ON other.id = s.{linked}
            WHERE s.{own} = ANY(%(ids)s) ORDER BY s.effective, s.id
            """,
            {"ids": ids},
        )
        for record, other, name, kind, effective in cursor.fetchall():
            found[record][side].append(
                {
                    "id": f"{prefix}-{other}",
                    "name": name,
                    "classification": kind,
                    "start_date": _iso(effective),
                }
            )
    return found


def _outcomes(cursor, decisions) -> tuple[dict, list]:
    """Each decision's stored outcome (decoded JSON: its result and tally), and the votes on
    them."""
    ids = [d[0] for d in decisions]
    cursor.execute(POPOLO_OUTCOMES, {"decisions": ids})
    # psycopg decodes jsonb; through Django's connection (the tests') it arrives as text.
    outcomes = {
        pk: json.loads(outcome) if isinstance(outcome, str) else outcome
        for pk, outcome in cursor.fetchall()
    }
    cursor.execute(POPOLO_VOTES, {"decisions": ids})
    return outcomes, cursor.fetchall()


def popolo(cursor, *, code: str, day: datetime.date):
    cursor.execute(SYSTEM, {"code": code})
    row = cursor.fetchone()
    if row is None:
        return None
    ics, icb = row
    params = {"ics": ics}
    cursor.execute(POPOLO_BODIES, params)
    bodies = cursor.fetchall()
    cursor.execute(POPOLO_COMMITTEES, params)
    committees = cursor.fetchall()
    cursor.execute(POPOLO_SEATS, params)
    seats = cursor.fetchall()
    cursor.execute(POPOLO_NOMINATORS, params)
    nominators = {row[0] for row in cursor.fetchall()}
    cursor.execute(POPOLO_MEMBERSHIPS, params)
    memberships = cursor.fetchall()
    cursor.execute(POPOLO_DECISIONS, {**params, "public": "public"})
    decisions = cursor.fetchall()
    outcomes, votes = _outcomes(cursor, decisions) if decisions else ({}, [])
    votes_on = defaultdict(list)
    for vote in votes:
        votes_on[vote[1]].append(vote)
    people = {m[2] for m in memberships} | {v[5] for v in votes}
    cursor.execute(POPOLO_PEOPLE, {"people": sorted(people)})
    persons = [
        _clean(
            {
                "id": f"person-{pk}",
                "name": _person_name(prefix, given, family, post_nominals),
                "given_name": given,
                "family_name": family,
                "honorific_prefix": prefix,
                "honorific_suffix": post_nominals,
                "sort_name": f"{family}, {given}",
            }
        )
        for pk, prefix, given, family, post_nominals in cursor.fetchall()
    ]

    organisation_ids = {icb} - {None}
    organisation_ids |= {b[5] for b in bodies if b[5]}
    organisation_ids |= {m[5] for m in memberships if m[5]}
    organisation_ids |= nominators
    cursor.execute(POPOLO_ORGANISATIONS, {"organisations": sorted(organisation_ids)})
    organisations = cursor.fetchall()
    org_lineage = _lineage(
        cursor,
        "bodies_organisationsuccession",
        "bodies_organisation",
        [o[0] for o in organisations],
        "organisation",
    )
    body_lineage = _lineage(
        cursor, "bodies_bodysuccession", "bodies_body", [b[0] for b in bodies], "body"
    )
    organizations = [
        _clean(
            {
                "id": f"organisation-{pk}",
                "name": name,
                "classification": kind,
                "identifiers": [{"scheme": "ODS", "identifier": ods}] if ods else [],
                "founding_date": _iso(opened),
                "dissolution_date": _iso(closed),
                "predecessors": org_lineage[pk]["predecessors"],
                "successors": org_lineage[pk]["successors"],
            }
        )
        for pk, name, kind, ods, opened, closed in organisations
    ]
    organizations += [
        _clean(
            {
                "id": f"body-{pk}",
                "name": name,
                "classification": f"body:{kind}",
                "founding_date": _iso(established),
                "dissolution_date": _iso(abolished),
                "predecessors": body_lineage[pk]["predecessors"],
                "successors": body_lineage[pk]["successors"],
            }
        )
        for pk, name, kind, established, abolished, _ in bodies
    ]
    organizations += [
        _clean(
            {
                "id": f"committee-{pk}",
                "name": name,
                "classification": f"committee:{kind}",
                "parent_id": f"committee-{parent}" if parent else f"body-{body}",
                "founding_date": _iso(established),
                "dissolution_date": _iso(abolished),
            }
        )
        for pk, name, kind, parent, body, established, abolished in committees
    ]
    posts = [
        _clean(
            {
                "id": f"seat-{pk}",
                "label": _label(title, role),
                "role": ROLE.get(role, role),
                "organization_id": f"committee-{committee}",
                "start_date": _iso(established),
                "end_date": _iso(abolished),
            }
        )
        for pk, title, role, committee, established, abolished in seats
    ]
    seat_roles = {pk: ROLE.get(role, role) for pk, _, role, _, _, _ in seats}
    popolo_memberships = [
        _clean(
            {
                "id": f"membership-{pk}",
                "label": name,
                "role": seat_roles.get(seat),
                "person_id": f"person-{person}",
                "organization_id": f"committee-{committee}",
                "post_id": f"seat-{seat}",
                "on_behalf_of_id": f"organisation-{on_behalf_of}" if on_behalf_of else None,
                "start_date": _iso(start),
                "end_date": _iso(end),
            }
        )
        for pk, name, person, committee, seat, on_behalf_of, start, end in memberships
    ]
    motions = []
    vote_events = []
    for pk, item, title, decision_type, _, _, committee, meeting_date, _ in decisions:
        outcome = outcomes[pk]
        motions.append(
            _clean(
                {
                    "id": f"motion-{pk}",
                    "organization_id": f"committee-{committee}",
                    "identifier": item,
                    "text": title,
                    "classification": decision_type,
                    "date": _iso(meeting_date),
                    "result": outcome["result"]["result"],
                }
            )
        )
        if not votes_on[pk]:
            continue
        tally = outcome["tally"]
        vote_events.append(
            _clean(
                {
                    "id": f"vote-event-{pk}",
                    "motion_id": f"motion-{pk}",
                    "organization_id": f"committee-{committee}",
                    "start_date": _iso(meeting_date),
                    "result": outcome["result"]["result"],
                    "counts": [
                        {"option": "for", "value": tally["votes_for"]},
                        {"option": "against", "value": tally["against"]},
                        {"option": "abstain", "value": tally["abstain"]},
                    ],
                    "votes": [
                        _clean(
                            {
                                "id": f"vote-{vote}",
                                "voter_id": f"person-{voter}",
                                "option": value,
                                "role": "casting vote" if casting else None,
                            }
                        )
                        for vote, _, _, value, casting, voter in votes_on[pk]
                    ],
                }
            )
        )
    return {
        "persons": persons,
        "organizations": organizations,
        "posts": posts,
        "memberships": popolo_memberships,
        "motions": motions,
        "vote_events": vote_events,
    }
