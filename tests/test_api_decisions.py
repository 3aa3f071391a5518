"""Meetings, decisions, votes, delegations and the register of interests through the API,
and the Popolo export checked against the Popolo schemas."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from core.services import api_token_create
from decisions import services
from decisions.models import Function, Vote
from publishing.popolo import popolo_errors, popolo_export
from tests.api_support import (  # noqa: F401
    API,
    api_rates,
    governance_unit,
    make_officer,
    session_client,
    token_client,
)
from tests.decisions_factories import decide, quorate_meeting
from tests.factories import IntegratedCareSystemFactory, OrganisationFactory, PersonFactory


@pytest.fixture
def unit(db):
    return governance_unit(IntegratedCareSystemFactory(code="QSL", name="Somerset"))


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def officer(unit):
    return session_client(make_officer(unit.ics, username="officer_a"))


def test_a_decision_carries_its_computed_outcome(unit, anonymous):
    """R25, R26: three members present of a quorum of two, all for: quorate and carried."""
    held = quorate_meeting(unit.committee, members=3, quorum=2)
    decision = decide(held)
    outcome = anonymous.get(f"{API}/decisions/{decision.pk}/").json()["outcome"]
    assert outcome["quorate"] is True
    assert outcome["result"] == "carried"
    assert outcome["tally"] == {"votes_for": 3, "against": 0, "abstain": 0, "casting": None}
    assert outcome["valid"] is True


def test_a_decision_of_an_inquorate_meeting_is_not_validly_made_r25(unit, anonymous):
    """The unit's board meeting has one member present against a quorum of two."""
    outcome = anonymous.get(f"{API}/decisions/{unit.decision.pk}/").json()["outcome"]
    assert outcome["quorate"] is False
    assert outcome["valid"] is False
    listed = anonymous.get(f"{API}/decisions/?meeting={unit.meeting.pk}").json()["results"]
    assert [d["outcome"] for d in listed] == [outcome]


def test_private_items_are_shared_with_the_organisations_they_concern(unit, anonymous):
    url = f"{API}/decisions/{unit.private_decision.pk}/"
    _, concerned_key = api_token_create(organisation=unit.nominator, name="Concerned trust")
    _, other_key = api_token_create(organisation=OrganisationFactory(), name="Other trust")
    assert anonymous.get(url).status_code == 404
    assert token_client(other_key).get(url).status_code == 404
    assert token_client(concerned_key).get(url).status_code == 200
    public_list = anonymous.get(f"{API}/decisions/").json()["results"]
    assert [d["id"] for d in public_list] == [unit.decision.pk]


def test_a_second_vote_by_the_same_member_is_refused_r26(unit, officer):
    response = officer.post(
        f"{API}/votes/",
        {"decision": unit.decision.pk, "attendance": unit.attendance.pk, "value": "against"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == f"{unit.person.name} has already voted on this item."
    assert Vote.objects.filter(decision=unit.decision).count() == 1


def test_votes_are_not_changed_in_place(unit, officer):
    response = officer.patch(
        f"{API}/votes/{unit.vote.pk}/", {"value": "against"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 405


def test_a_meeting_with_decisions_cannot_be_cancelled(unit, officer):
    response = officer.patch(
        f"{API}/meetings/{unit.meeting.pk}/", {"status": "cancelled"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    assert "cannot be cancelled" in response.json()["detail"]


def test_a_body_cannot_delegate_what_it_does_not_hold_r29(unit, officer):
    response = officer.post(
        f"{API}/delegations/",
        {
            "from_body": unit.body.pk,
            "to_committee": unit.committee.pk,
            "functions": ["dental_services"],
            "instrument": "sord",
            "start": "2023-01-01",
        },
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == (
        f"{unit.body.name} does not hold dental services (primary, community and secondary) "
        "on 1 January 2023, so cannot delegate it (R29)."
    )


def test_delegations_in_force_on_a_date(unit, officer, anonymous):
    url = f"{API}/delegations/?system=QSL&as_of="
    assert [d["id"] for d in anonymous.get(url + "2023-01-01").json()["results"]] == [
        unit.delegation.pk
    ]
    officer.post(
        f"{API}/delegations/{unit.delegation.pk}/end/", {"end": "2023-03-31"}, HTTP_IF_MATCH="*"
    )
    assert anonymous.get(url + "2023-03-31").json()["results"] != []
    assert anonymous.get(url + "2023-04-01").json()["results"] == []


def test_the_functions_map_shows_who_may_exercise_a_delegated_function(unit, anonymous):
    """R15, R29: NHS England holds primary medical services and delegates them to the body."""
    response = anonymous.get(f"{API}/systems/QSL/functions-map/?as_of=2023-01-01").json()
    chains = {chain["function"]: chain for chain in response["functions"]}
    assert set(chains) == {f.value for f in Function}
    primary = chains[Function.PRIMARY_MEDICAL_SERVICES]
    assert [h["name"] for h in primary["statutory_holders"]] == ["NHS England"]
    assert [step["delegation"] for step in primary["steps"]] == [unit.delegation.pk]
    assert unit.body.name in [e["name"] for e in primary["may_exercise"]]


def test_private_notes_on_interests_are_for_officers_only(unit, anonymous, officer):
    url = f"{API}/interest-declarations/{unit.interest.pk}/"
    assert anonymous.get(url).json()["notes"] is None
    assert officer.get(url).json()["notes"] == unit.interest.notes
    register = anonymous.get(f"{API}/bodies/{unit.body.pk}/register-of-interests/?as_of=2023-01-01")
    assert unit.interest.notes not in register.content.decode()
    entry = next(e for e in register.json()["entries"] if e["name"] == unit.person.name)
    assert [i["description"] for i in entry["interests"]] == ["Trustee of a local charity"]


def test_a_nil_return_is_recorded_through_the_api_r28(unit, officer):
    response = officer.post(
        f"{API}/interest-declarations/",
        {
            "person": unit.person.pk,
            "nil_return": True,
            "start": "2024-04-01",
            "declared_on": "2024-04-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["interest_type"] == ""


# -- Popolo -------------------------------------------------------------------------------


def test_the_popolo_export_is_valid_against_the_popolo_schemas(unit, anonymous):
    held = quorate_meeting(unit.committee, members=3, quorum=2, day=datetime.date(2023, 2, 1))
    decide(held)
    document = anonymous.get(f"{API}/systems/QSL/popolo/").json()
    assert popolo_errors(document) == []
    assert {len(document[c]) > 0 for c in document} == {True}


def test_the_popolo_check_catches_a_broken_export(unit):
    document = popolo_export(ics=unit.ics)
    document["memberships"][0]["start_date"] = "1 July 2022"
    document["posts"][0]["organization_id"] = "committee-0"
    del document["persons"][0]["name"]
    errors = popolo_errors(document)
    assert len(errors) == 3, errors


def test_the_popolo_export_has_no_private_items_and_no_emails(unit):
    document = json.dumps(popolo_export(ics=unit.ics))
    assert unit.private_decision.title not in document
    assert unit.decision.title in document
    assert unit.person.work_email not in document
    assert "@" not in document


def test_votes_in_the_popolo_export_are_by_people_it_lists(unit):
    document = popolo_export(ics=unit.ics)
    (event,) = document["vote_events"]
    assert event["motion_id"] == f"motion-{unit.decision.pk}"
    assert event["votes"] == [
        {"id": f"vote-{unit.vote.pk}", "voter_id": f"person-{unit.person.pk}", "option": "for"}
    ]
    assert {"option": "for", "value": 1} in event["counts"]


def test_someone_who_attended_a_meeting_is_public_but_their_email_is_not(unit, anonymous):
    observer = PersonFactory()
    services.attendance_record(meeting=unit.meeting, person=observer, capacity="observer")
    response = anonymous.get(f"{API}/people/{observer.pk}/")
    assert response.status_code == 200
    assert response.json()["work_email"] is None
