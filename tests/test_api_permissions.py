"""Who may read and write what through the API: the permission matrix (fail closed).

Every endpoint is tried by each kind of caller (anonymous, a partner organisation's token,
an officer of the record's own system, an officer of another system, a revoked token),
once reading and once writing, and the status must be the one in the expected table.
The records tried belong to system A; "officer_same" administers A, "officer_other" B.
"""

import pytest

from tests.api_support import API, PRINCIPALS, api_rates, world  # noqa: F401
from tests.conftest import shared_data
from tests.factories import PersonFactory

READ_PUBLIC = {
    "anonymous": 200,
    "partner": 200,
    "officer_same": 200,
    "officer_other": 200,
    "revoked": 401,
}
# A Part B item of system A: only A's officers see it; the partner's organisation is not
# one the item concerns. A milestone of system A (R31) is private to A's officers too.
READ_PRIVATE = {
    "anonymous": 404,
    "partner": 404,
    "officer_same": 200,
    "officer_other": 404,
    "revoked": 401,
}
WRITE_OWN_SYSTEM = {
    "anonymous": 401,
    "partner": 403,
    "officer_same": 200,
    "officer_other": 403,
    "revoked": 401,
}
WRITE_PRIVATE = {**WRITE_OWN_SYSTEM, "officer_other": 404}
NOT_WRITABLE = {
    "anonymous": 405,
    "partner": 405,
    "officer_same": 405,
    "officer_other": 405,
    "revoked": 401,
}


def endpoints(w):
    """name: (read URL, write method, write URL (None: the read URL), body, read table,
    write table, the status of a permitted write)."""
    a = w.a
    ics = w.ics_a.code
    public, own, closed = READ_PUBLIC, WRITE_OWN_SYSTEM, NOT_WRITABLE
    return {
        "regions": (f"/regions/{w.ics_a.region.code}/", "patch", None, {}, public, closed, 0),
        "organisations": (
            f"/organisations/{a.nominator.pk}/",
            "patch",
            None,
            {},
            public,
            closed,
            0,
        ),
        "organisations by ODS": (
            f"/organisations/ods/{a.nominator.ods_code}/",
            "post",
            None,
            {},
            public,
            closed,
            0,
        ),
        "systems": (f"/systems/{ics}/", "patch", None, {}, public, closed, 0),
        "composition": (f"/systems/{ics}/composition/", "post", None, {}, public, closed, 0),
        "functions map": (f"/systems/{ics}/functions-map/", "post", None, {}, public, closed, 0),
        "popolo": (f"/systems/{ics}/popolo/", "post", None, {}, public, closed, 0),
        "system compliance": (
            f"/systems/{ics}/compliance/",
            "post",
            None,
            {},
            public,
            closed,
            0,
        ),
        "bodies": (
            f"/bodies/{a.body.pk}/",
            "patch",
            None,
            {"description": "New"},
            public,
            own,
            200,
        ),
        "body compliance": (
            f"/bodies/{a.body.pk}/compliance/",
            "post",
            None,
            {},
            public,
            closed,
            0,
        ),
        "register of interests": (
            f"/bodies/{a.body.pk}/register-of-interests/",
            "post",
            None,
            {},
            public,
            closed,
            0,
        ),
        "committees": (
            f"/committees/{a.committee.pk}/",
            "patch",
            None,
            {"purpose": "New"},
            public,
            own,
            200,
        ),
        "committee compliance": (
            f"/committees/{a.board.pk}/compliance/",
            "post",
            None,
            {},
            public,
            closed,
            0,
        ),
        "seats": (f"/seats/{a.seat.pk}/", "patch", None, {"title": "Chair"}, public, own, 200),
        "seat abolition": (
            f"/seats/{a.vacant_seat.pk}/",
            "post",
            f"/seats/{a.vacant_seat.pk}/abolish/",
            {"on": "2024-03-31"},
            public,
            own,
            200,
        ),
        "people": (
            f"/people/{a.person.pk}/",
            "patch",
            None,
            {"post_nominals": "MBE"},
            public,
            own,
            200,
        ),
        "memberships": (
            f"/memberships/{a.membership.pk}/",
            "patch",
            None,
            {"start": "2022-08-01"},
            public,
            own,
            200,
        ),
        "membership end": (
            f"/memberships/{a.membership.pk}/",
            "post",
            f"/memberships/{a.membership.pk}/end/",
            {"end": "2024-03-31", "end_reason": "resigned"},
            public,
            own,
            200,
        ),
        "constitutions": (
            f"/constitutions/{a.constitution.pk}/",
            "patch",
            None,
            {"citation": "New"},
            public,
            own,
            200,
        ),
        "requirements": (
            f"/requirements/{a.requirement.pk}/",
            "patch",
            None,
            {"rule": "R19"},
            public,
            own,
            200,
        ),
        "standing orders": (
            f"/standing-orders/{a.standing_orders.pk}/",
            "patch",
            None,
            {"quorum_voting_members": 3},
            public,
            own,
            200,
        ),
        "meetings": (
            f"/meetings/{a.meeting.pk}/",
            "patch",
            None,
            {"location": "Taunton"},
            public,
            own,
            200,
        ),
        "attendances": (
            f"/attendances/{a.attendance.pk}/",
            "post",
            "/attendances/",
            {"meeting": a.meeting.pk, "person": w.observer.pk, "capacity": "observer"},
            public,
            own,
            201,
        ),
        "decisions": (
            f"/decisions/{a.decision.pk}/",
            "patch",
            None,
            {"title": "New"},
            public,
            own,
            200,
        ),
        "private decisions": (
            f"/decisions/{a.private_decision.pk}/",
            "patch",
            None,
            {"title": "New"},
            READ_PRIVATE,
            WRITE_PRIVATE,
            200,
        ),
        "votes": (f"/votes/{a.vote.pk}/", "delete", None, None, public, own, 204),
        "delegations": (
            f"/delegations/{a.delegation.pk}/",
            "post",
            f"/delegations/{a.delegation.pk}/end/",
            {"end": "2024-03-31"},
            public,
            own,
            200,
        ),
        "interest declarations": (
            f"/interest-declarations/{a.interest.pk}/",
            "patch",
            None,
            {"description": "Trustee"},
            public,
            own,
            200,
        ),
        "documents": (
            f"/documents/{a.document.pk}/",
            "patch",
            None,
            {"title": "Constitution (amended)"},
            public,
            own,
            200,
        ),
        "document versions": (
            f"/document-versions/{a.document_version.pk}/",
            "patch",
            None,
            {"notes": "Published on the ICB's website"},
            public,
            own,
            200,
        ),
        "draft document versions": (
            f"/document-versions/{a.draft_version.pk}/",
            "post",
            f"/document-versions/{a.draft_version.pk}/approve/",
            {"effective_from": "2024-04-01"},
            READ_PRIVATE,
            WRITE_PRIVATE,
            200,
        ),
        "milestones": (
            f"/milestones/{a.milestone.pk}/",
            "patch",
            None,
            {"status": "in_progress"},
            READ_PRIVATE,
            WRITE_PRIVATE,
            200,
        ),
        "appointments": (
            f"/appointments/{a.round.pk}/",
            "patch",
            None,
            {"appointment_by": "2024-03-31"},
            public,
            own,
            200,
        ),
        "appointment nomination": (
            f"/appointments/{a.round.pk}/",
            "post",
            f"/appointments/{a.round.pk}/nominations/",
            {
                "organisation": a.nominator.pk,
                "person": w.observer.pk,
                "nominated_on": "2023-07-03",
            },
            public,
            own,
            201,
        ),
    }


ENDPOINT_NAMES = [
    "regions",
    "organisations",
    "organisations by ODS",
    "systems",
    "composition",
    "functions map",
    "popolo",
    "system compliance",
    "bodies",
    "body compliance",
    "register of interests",
    "committees",
    "committee compliance",
    "seats",
    "seat abolition",
    "people",
    "memberships",
    "membership end",
    "constitutions",
    "requirements",
    "standing orders",
    "meetings",
    "attendances",
    "decisions",
    "private decisions",
    "votes",
    "delegations",
    "interest declarations",
    "documents",
    "document versions",
    "draft document versions",
    "milestones",
    "appointments",
    "appointment nomination",
]


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, world) as result:
        yield result


@pytest.mark.django_db
def test_the_table_covers_every_endpoint(w):
    assert list(endpoints(w)) == ENDPOINT_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_permission_matrix_read(w, name, principal):
    url, _, _, _, reads, _, _ = endpoints(w)[name]
    response = w.clients[principal].get(API + url)
    assert response.status_code == reads[principal], response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"status", "code", "detail", "errors"}


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_permission_matrix_write(w, name, principal):
    url, method, write_url, body, _, writes, permitted = endpoints(w)[name]
    client = w.clients[principal]
    response = getattr(client, method)(API + (write_url or url), body, HTTP_IF_MATCH="*")
    status = permitted if writes[principal] == 200 else writes[principal]
    assert response.status_code == status, response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"status", "code", "detail", "errors"}


@pytest.mark.django_db
def test_an_officer_cannot_create_records_in_another_system(w):
    a = w.a
    newcomer = PersonFactory()
    requests = [
        ("/bodies/", {"ics": w.ics_a.code, "name": "New place", "kind": "place_partnership"}),
        ("/committees/", {"body": a.body.pk, "name": "New committee", "kind": "assurance"}),
        ("/seats/", {"committee": a.board.pk, "role": "member"}),
        ("/memberships/", {"seat": a.vacant_seat.pk, "person": newcomer.pk, "start": "2024-01-01"}),
        (
            "/milestones/",
            {
                "ics": w.ics_a.code,
                "title": "VCSE alliance agreement signed",
                "category": "other",
                "due_date": "2024-01-01",
            },
        ),
        (
            "/appointments/",
            {"seat": a.seat.pk, "opened_on": "2024-01-01", "reason": "vacancy"},
        ),
    ]
    for url, body in requests:
        other = w.clients["officer_other"].post(API + url, body)
        assert other.status_code == 403, (url, other.content)
        own = w.clients["officer_same"].post(API + url, body)
        assert own.status_code == 201, (url, own.content)


@pytest.mark.django_db
def test_a_partner_token_never_writes_even_a_new_record(w):
    response = w.clients["partner"].post(
        API + "/people/", {"given_name": "Ada", "family_name": "Lovelace"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Partner tokens read the registry; only officers change it."


@pytest.mark.django_db
def test_a_person_with_no_seat_is_not_public_but_officers_see_them(w):
    created = w.clients["officer_other"].post(
        API + "/people/", {"given_name": "Ada", "family_name": "Lovelace"}
    )
    assert created.status_code == 201
    url = f"{API}/people/{created.json()['id']}/"
    assert w.clients["anonymous"].get(url).status_code == 404
    assert w.clients["partner"].get(url).status_code == 404
    assert w.clients["officer_same"].get(url).status_code == 200


@pytest.mark.django_db
def test_work_emails_are_shown_only_to_officers_of_the_persons_systems(w):
    url = f"{API}/people/{w.a.person.pk}/"
    seen = {p: w.clients[p].get(url).json()["work_email"] for p in PRINCIPALS if p != "revoked"}
    assert seen == {
        "anonymous": None,
        "partner": None,
        "officer_same": w.a.person.work_email,
        "officer_other": None,
    }


@pytest.mark.django_db
def test_sending_back_a_hidden_email_as_null_leaves_it_unchanged(w):
    person = w.a.person
    client = w.clients["officer_same"]
    response = client.patch(
        f"{API}/people/{person.pk}/",
        {"work_email": None, "post_nominals": "OBE"},
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.post_nominals == "OBE"
    assert person.work_email


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS[:-1])
def test_a_rounds_nominees_and_candidates_are_shown_only_to_officers_of_its_system(w, principal):
    response = w.clients[principal].get(f"{API}/appointments/{w.a.round.pk}/")
    data = response.json()
    assert (data["seat"], data["stage"]) == (w.a.vacant_seat.pk, "nominating")
    if principal == "officer_same":
        assert [c["person_name"] for c in data["candidates"]] == [w.a.nominee.name]
        assert [n["organisation"] for n in data["nominations"]] == [w.a.nominator.pk]
    else:
        assert data["candidates"] is None and data["nominations"] is None
        assert w.a.nominee.name not in response.content.decode()
