"""An integrated care system's governance as Popolo JSON (https://www.popoloproject.com).

Popolo's words for ours: an Organization is an
``Organisation`` (classification: its kind, e.g. ``nhs_foundation_trust``), a ``Body``
(classification ``body:<kind>``) or a ``Committee`` (``committee:<kind>``); a Post is a
``Seat``; a Membership is a ``Membership``, on behalf of the nominating organisation;
a Motion is a public (Part A) ``Decision`` and its VoteEvent the votes on it (R26). Ids
are stable strings made from the record's kind and id (``committee-12``). Only public
records and fields are exported: no private items, no e-mail addresses, ever.

Popolo has no succession: organisations and bodies carry this registry's extension,
``predecessors`` and ``successors`` (``popolo_schemas/succession.json``), each link with
the other organization's id and name, how one followed the other (``classification``:
merger, split, boundary transfer, rename, transfer of functions) and the successor's
first day (``start_date``), R30. Founding and dissolution dates are Popolo's own.

The export is checked against the Popolo JSON schemas kept in ``popolo_schemas/``.
"""

import json
from collections import defaultdict
from functools import cache
from pathlib import Path

from django.db.models import F
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from rest_framework import serializers

from bodies.models import Body, Organisation
from bodies.selectors import predecessors, successors, with_lineage
from committees.models import Committee, Role, Seat
from decisions.models import Decision, Part, Vote
from decisions.selectors import stored_decision_outcomes
from memberships.models import Membership, Person, person_name

SCHEMAS = Path(__file__).parent / "popolo_schemas"
# Which Popolo schema each collection of the export follows.
COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "posts": "post",
    "memberships": "membership",
    "motions": "motion",
    "vote_events": "vote_event",
}


def _date(value):
    return value.isoformat() if value else None


def _clean(item: dict) -> dict:
    """Popolo leaves unknown values out rather than sending nulls or empty strings."""
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def organisation_id(pk) -> str:
    return f"organisation-{pk}"


def body_id(pk) -> str:
    return f"body-{pk}"


def succession_links(links, id_of) -> list[dict]:
    """Predecessors or successors in the registry's extension (``succession.json``)."""
    return [
        {
            "id": id_of(link.other.pk),
            "name": link.other.name,
            "classification": link.kind,
            "start_date": _date(link.effective),
        }
        for link in links
    ]


def lineage(record, id_of) -> dict:
    """``predecessors`` and ``successors`` of an organisation or body (R30), read from
    :func:`bodies.selectors.with_lineage`."""
    return {
        "predecessors": succession_links(predecessors(record), id_of),
        "successors": succession_links(successors(record), id_of),
    }


def popolo_organisation(organisation: Organisation) -> dict:
    identifiers = (
        [{"scheme": "ODS", "identifier": organisation.ods_code}] if organisation.ods_code else []
    )
    return _clean(
        {
            "id": organisation_id(organisation.pk),
            "name": organisation.name,
            "classification": organisation.kind,
            "identifiers": identifiers,
            "founding_date": _date(organisation.opened),
            "dissolution_date": _date(organisation.closed),
            **lineage(organisation, organisation_id),
        }
    )


def popolo_export(*, ics) -> dict:
    """The Popolo document of ``ics``: every body, committee, seat and membership, past and
    present, the people who held the seats and the organisations they represent.

    A national system holds thousands of memberships and votes: those, the seats and the
    people are read as plain rows rather than model instances, and each decision's result
    and tally are its stored outcome's (:func:`decisions.selectors.stored_decision_outcomes`:
    computed again only when its facts changed), not computed again from its attendance
    (issue 13: the export cost 29 times its hand-written SQL floor)."""
    bodies = list(with_lineage(Body.objects.filter(ics=ics)).order_by("pk"))
    committees = list(Committee.objects.filter(ics=ics).order_by("pk"))
    seats = list(
        Seat.objects.filter(ics=ics).values_list(
            "pk", "title", "role", "committee_id", "established", "abolished"
        )
    )
    nominators = set(
        Seat.nominating_organisations.through.objects.filter(seat__ics=ics).values_list(
            "organisation_id", flat=True
        )
    )
    memberships = list(
        Membership.objects.filter(ics=ics)
        .order_by("seat_id", "start")
        .values_list(
            "pk",
            "person_name",
            "person_id",
            "committee_id",
            "seat_id",
            "on_behalf_of_id",
            "start",
            "end",
        )
    )
    decisions = list(
        Decision.objects.filter(meeting__committee__ics=ics, part=Part.PUBLIC)
        .order_by("meeting__date", "meeting_id", "item_number")
        .values(
            "pk",
            "item_number",
            "title",
            "decision_type",
            committee_id=F("meeting__committee_id"),
            date=F("meeting__date"),
        )
    )
    ids = [d["pk"] for d in decisions]
    votes = list(
        Vote.objects.filter(decision_id__in=ids).values(
            "pk", "decision_id", "value", "is_casting_vote", voter=F("attendance__person_id")
        )
    )
    outcomes = stored_decision_outcomes(ids)
    votes_on = defaultdict(list)
    for vote in votes:
        votes_on[vote["decision_id"]].append(vote)
    voters = {v["voter"] for v in votes}
    people = (
        Person.objects.filter(pk__in={m[2] for m in memberships} | voters)
        .order_by("pk")
        .values_list("pk", "honorific_prefix", "given_name", "family_name", "post_nominals")
    )

    organisation_ids = {ics.icb_id} - {None}
    organisation_ids |= {b.lead_provider_id for b in bodies if b.lead_provider_id}
    organisation_ids |= {m[5] for m in memberships if m[5]}
    organisation_ids |= nominators
    organisations = with_lineage(Organisation.objects.filter(pk__in=organisation_ids)).order_by(
        "pk"
    )

    organizations = [popolo_organisation(o) for o in organisations]
    organizations += [
        _clean(
            {
                "id": body_id(body.pk),
                "name": body.name,
                "classification": f"body:{body.kind}",
                "founding_date": _date(body.established),
                "dissolution_date": _date(body.abolished),
                **lineage(body, body_id),
            }
        )
        for body in bodies
    ]
    organizations += [
        _clean(
            {
                "id": f"committee-{committee.pk}",
                "name": committee.name,
                "classification": f"committee:{committee.kind}",
                "parent_id": f"committee-{committee.parent_id}"
                if committee.parent_id
                else body_id(committee.body_id),
                "founding_date": _date(committee.established),
                "dissolution_date": _date(committee.abolished),
            }
        )
        for committee in committees
    ]
    roles = {value: str(label) for value, label in Role.choices}
    posts = [
        _clean(
            {
                "id": f"seat-{pk}",
                # Seat.label: the title, or else the role.
                "label": title or roles.get(role, role),
                "role": roles.get(role, role),
                "organization_id": f"committee-{committee_id}",
                "start_date": _date(established),
                "end_date": _date(abolished),
            }
        )
        for pk, title, role, committee_id, established, abolished in seats
    ]
    seat_roles = {pk: roles.get(role, role) for pk, _, role, _, _, _ in seats}
    persons = [
        _clean(
            {
                "id": f"person-{pk}",
                "name": person_name(prefix, given, family, post_nominals),
                "given_name": given,
                "family_name": family,
                "honorific_prefix": prefix,
                "honorific_suffix": post_nominals,
                "sort_name": f"{family}, {given}",
            }
        )
        for pk, prefix, given, family, post_nominals in people
    ]
    popolo_memberships = [
        _clean(
            {
                "id": f"membership-{pk}",
                "label": name,
                "role": seat_roles.get(seat_id),
                "person_id": f"person-{person_id}",
                "organization_id": f"committee-{committee_id}",
                "post_id": f"seat-{seat_id}",
                "on_behalf_of_id": organisation_id(on_behalf_of) if on_behalf_of else None,
                "start_date": _date(start),
                "end_date": _date(end),
            }
        )
        for pk, name, person_id, committee_id, seat_id, on_behalf_of, start, end in memberships
    ]
    motions = [
        _clean(
            {
                "id": f"motion-{d['pk']}",
                "organization_id": f"committee-{d['committee_id']}",
                "identifier": d["item_number"],
                "text": d["title"],
                "classification": d["decision_type"],
                "date": _date(d["date"]),
                "result": outcomes[d["pk"]]["result"]["result"],
            }
        )
        for d in decisions
    ]
    vote_events = [
        vote_event(d, outcomes[d["pk"]], votes_on[d["pk"]]) for d in decisions if votes_on[d["pk"]]
    ]
    return {
        "persons": persons,
        "organizations": organizations,
        "posts": posts,
        "memberships": popolo_memberships,
        "motions": motions,
        "vote_events": vote_events,
    }


def vote_event(decision, outcome, votes) -> dict:
    """The vote on a decision: its counts and each member's vote (R26). ``decision`` is a
    row with ``pk``, ``committee_id`` and ``date``, ``outcome`` its stored outcome
    (``decisions.selectors.outcome_json``), ``votes`` rows with ``pk``, ``value``,
    ``is_casting_vote`` and ``voter``, the voter's person id."""
    tally = outcome["tally"]
    return _clean(
        {
            "id": f"vote-event-{decision['pk']}",
            "motion_id": f"motion-{decision['pk']}",
            "organization_id": f"committee-{decision['committee_id']}",
            "start_date": _date(decision["date"]),
            "result": outcome["result"]["result"],
            "counts": [
                {"option": "for", "value": tally["votes_for"]},
                {"option": "against", "value": tally["against"]},
                {"option": "abstain", "value": tally["abstain"]},
            ],
            "votes": [
                _clean(
                    {
                        "id": f"vote-{v['pk']}",
                        "voter_id": f"person-{v['voter']}",
                        "option": v["value"],
                        "role": "casting vote" if v["is_casting_vote"] else None,
                    }
                )
                for v in votes
            ],
        }
    )


class PopoloSerializer(serializers.Serializer):
    """The shape of the export; each item follows the Popolo schema of its collection."""

    persons = serializers.ListField(child=serializers.DictField(), help_text="Popolo Person.")
    organizations = serializers.ListField(
        child=serializers.DictField(),
        help_text="Popolo Organization; organisations and bodies also carry predecessors "
        "and successors (this registry's extension: id, name, classification, start_date).",
    )
    posts = serializers.ListField(child=serializers.DictField(), help_text="Popolo Post.")
    memberships = serializers.ListField(
        child=serializers.DictField(), help_text="Popolo Membership."
    )
    motions = serializers.ListField(
        child=serializers.DictField(), help_text="Popolo Motion: public decisions."
    )
    vote_events = serializers.ListField(
        child=serializers.DictField(), help_text="Popolo VoteEvent, with counts and votes."
    )


@cache
def popolo_validators() -> dict[str, Draft202012Validator]:
    """A validator per Popolo schema, resolving the schemas' references to each other."""
    schemas = {path.stem: json.loads(path.read_text()) for path in sorted(SCHEMAS.glob("*.json"))}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return {
        name: Draft202012Validator(schema, registry=registry) for name, schema in schemas.items()
    }


def popolo_errors(document: dict) -> list[str]:
    """Every way ``document`` breaks the Popolo schemas, or dangles a reference."""
    errors = []
    for collection, items in document.items():
        validator = popolo_validators()[COLLECTIONS[collection]]
        for item in items:
            errors += [
                f"{collection} {item.get('id')}: {e.message}" for e in validator.iter_errors(item)
            ]
    ids = {item["id"] for items in document.values() for item in items}
    for collection, items in document.items():
        for item in items:
            for key, value in item.items():
                if key.endswith("_id") and key != "id" and value not in ids:
                    errors.append(f"{collection} {item['id']}: {key} {value} is not in the export")
    return errors
