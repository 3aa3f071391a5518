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

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from rest_framework import serializers

from bodies.models import Body, Organisation
from bodies.selectors import predecessors, successors, with_lineage
from committees.models import Committee, Seat
from decisions.models import Decision, Part, Vote
from decisions.selectors import decision_outcomes
from memberships.models import Membership, Person

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
    present, the people who held the seats and the organisations they represent."""
    bodies = list(with_lineage(Body.objects.filter(ics=ics)).order_by("pk"))
    committees = list(Committee.objects.filter(ics=ics).order_by("pk"))
    seats = list(Seat.objects.filter(ics=ics).prefetch_related("nominating_organisations"))
    memberships = list(Membership.objects.filter(ics=ics).order_by("seat_id", "start"))
    decisions = list(
        Decision.objects.filter(meeting__committee__ics=ics, part=Part.PUBLIC)
        .select_related("meeting")
        .order_by("meeting__date", "meeting_id", "item_number")
    )
    outcomes = decision_outcomes(decisions)
    votes = defaultdict(list)
    for vote in Vote.objects.filter(decision__in=decisions).select_related("attendance"):
        votes[vote.decision_id].append(vote)
    voters = {v.attendance.person_id for vs in votes.values() for v in vs}
    people = Person.objects.filter(pk__in={m.person_id for m in memberships} | voters).order_by(
        "pk"
    )

    organisation_ids = {ics.icb_id} - {None}
    organisation_ids |= {b.lead_provider_id for b in bodies if b.lead_provider_id}
    organisation_ids |= {m.on_behalf_of_id for m in memberships if m.on_behalf_of_id}
    for seat in seats:
        organisation_ids |= {o.pk for o in seat.nominating_organisations.all()}
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
    posts = [
        _clean(
            {
                "id": f"seat-{seat.pk}",
                "label": seat.label,
                "role": seat.get_role_display(),
                "organization_id": f"committee-{seat.committee_id}",
                "start_date": _date(seat.established),
                "end_date": _date(seat.abolished),
            }
        )
        for seat in seats
    ]
    seat_roles = {seat.pk: seat.get_role_display() for seat in seats}
    persons = [
        _clean(
            {
                "id": f"person-{person.pk}",
                "name": person.name,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "honorific_prefix": person.honorific_prefix,
                "honorific_suffix": person.post_nominals,
                "sort_name": f"{person.family_name}, {person.given_name}",
            }
        )
        for person in people
    ]
    popolo_memberships = [
        _clean(
            {
                "id": f"membership-{m.pk}",
                "label": m.person_name,
                "role": seat_roles.get(m.seat_id),
                "person_id": f"person-{m.person_id}",
                "organization_id": f"committee-{m.committee_id}",
                "post_id": f"seat-{m.seat_id}",
                "on_behalf_of_id": organisation_id(m.on_behalf_of_id)
                if m.on_behalf_of_id
                else None,
                "start_date": _date(m.start),
                "end_date": _date(m.end),
            }
        )
        for m in memberships
    ]
    motions = [
        _clean(
            {
                "id": f"motion-{d.pk}",
                "organization_id": f"committee-{d.meeting.committee_id}",
                "identifier": d.item_number,
                "text": d.title,
                "classification": d.decision_type,
                "date": _date(d.meeting.date),
                "result": outcomes[d.pk].result.result,
            }
        )
        for d in decisions
    ]
    vote_events = [vote_event(d, outcomes[d.pk], votes[d.pk]) for d in decisions if votes[d.pk]]
    return {
        "persons": persons,
        "organizations": organizations,
        "posts": posts,
        "memberships": popolo_memberships,
        "motions": motions,
        "vote_events": vote_events,
    }


def vote_event(decision, outcome, votes) -> dict:
    """The vote on a decision: its counts and each member's vote (R26)."""
    tally = outcome.tally
    return _clean(
        {
            "id": f"vote-event-{decision.pk}",
            "motion_id": f"motion-{decision.pk}",
            "organization_id": f"committee-{decision.meeting.committee_id}",
            "start_date": _date(decision.meeting.date),
            "result": outcome.result.result,
            "counts": [
                {"option": "for", "value": tally.votes_for},
                {"option": "against", "value": tally.against},
                {"option": "abstain", "value": tally.abstain},
            ],
            "votes": [
                _clean(
                    {
                        "id": f"vote-{v.pk}",
                        "voter_id": f"person-{v.attendance.person_id}",
                        "option": v.value,
                        "role": "casting vote" if v.is_casting_vote else None,
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
