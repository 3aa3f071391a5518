"""A person's page, /people/<id>/ (issue 10): their roles across the systems over time
and their register of interests, by the API's rules on who is public, who sees the work
e-mail and who reads the private notes."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Capacity
from memberships.models import EndReason, MembershipStatus
from tests.api_support import make_officer
from tests.builders import compliant_icb, seat_held
from tests.decisions_factories import (
    GiftOrHospitalityFactory,
    InterestDeclarationFactory,
    MeetingFactory,
)
from tests.factories import MembershipFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db
AS_OF = "2025-05-01"


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(person) -> str:
    return reverse("web:person", args=[person.pk])


@pytest.fixture
def member():
    """The chair of one ICB, formerly a member of its audit committee (resigned), and
    appointed to a second system's board later; with a register of interests."""
    icb, later = compliant_icb(), compliant_icb()
    _, chair = icb.chair
    person = chair.person
    audit_seat = SeatFactory(committee=icb.audit, title="Lay member")
    MembershipFactory(
        seat=audit_seat,
        person=person,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 12, 31),
        end_reason=EndReason.RESIGNED,
    )
    seat_held(
        later.board,
        person=person,
        start=datetime.date(2026, 1, 1),
        title="Associate non-executive",
        voting=False,
    )
    InterestDeclarationFactory(
        person=person, description="Director of Acme Care Ltd", notes="Checked by the DPO"
    )
    GiftOrHospitalityFactory(person=person, description="Dinner", date=datetime.date(2025, 3, 1))
    GiftOrHospitalityFactory(person=person, description="Old gift", date=datetime.date(2023, 3, 1))
    return person, icb, later


def test_roles_over_time_current_first_then_to_come_then_past(client, member):
    person, icb, later = member
    page = text(client.get(url(person), {"as_of": AS_OF}))
    roles = page.index("Roles")
    chair = page.index(f"{icb.ics.name} ", roles)
    to_come = page.index(f"{later.ics.name} ", roles)
    past = page.index("Lay member")
    assert chair < to_come < past
    assert "1 July 2022" in page and "Term ends 30 June 2025" in page
    assert "1 January 2020" in page and "31 December 2021 Resigned" in page
    assert "Current" in page and "To come" in page


def test_roles_link_to_their_committee_and_system(client, member):
    person, icb, _ = member
    page = client.get(url(person)).content.decode()
    assert f'href="/committees/{icb.audit.pk}/"' in page
    assert f'href="/systems/{icb.ics.code}/"' in page


def test_the_register_shows_declarations_and_the_last_twelve_months_gifts(client, member):
    person, _, _ = member
    page = text(client.get(url(person), {"as_of": AS_OF}))
    assert "Director of Acme Care Ltd" in page and "Financial interest" in page
    assert "Dinner" in page and "Old gift" not in page


def test_signed_out_no_e_mail_address_no_private_note_no_edit_control(client, member):
    person, _, _ = member
    response = client.get(url(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert person.work_email not in page and "@" not in page.replace("@font", "")
    assert "Checked by the DPO" not in page
    assert "/admin/" not in page


def test_an_officer_of_another_system_sees_neither_e_mail_nor_notes(client, member):
    person, _, _ = member
    client.force_login(make_officer(compliant_icb().ics, username="stranger"))
    page = client.get(url(person)).content.decode()
    assert person.work_email not in page and "Checked by the DPO" not in page
    assert "/admin/" not in page


@pytest.mark.parametrize("system", ["icb", "later"])
def test_an_officer_of_a_system_the_person_sits_in_sees_e_mail_and_notes(client, member, system):
    person, icb, later = member
    client.force_login(make_officer({"icb": icb, "later": later}[system].ics, username="own"))
    page = client.get(url(person)).content.decode()
    assert person.work_email in page and "Checked by the DPO" in page
    assert reverse("admin:memberships_person_change", args=[person.pk]) in page


def test_a_person_who_never_sat_nor_attended_is_not_public(client):
    nobody = PersonFactory()
    assert client.get(url(nobody)).status_code == 404
    client.force_login(make_officer(compliant_icb().ics, username="officer"))
    response = client.get(url(nobody))
    assert response.status_code == 200
    # Belonging to no system, their e-mail stays private to superusers (the API's rule).
    assert nobody.work_email not in response.content.decode()


def test_a_person_who_attended_a_meeting_is_public_without_a_register(client):
    icb = compliant_icb()
    guest = PersonFactory()
    MeetingFactory(committee=icb.board).attendances.create(person=guest, capacity=Capacity.ATTENDEE)
    InterestDeclarationFactory(person=guest, description="Private to officers")
    page = text(client.get(url(guest)))
    assert guest.name in page and "has held no seat" in page
    assert "Private to officers" not in page


def test_an_unknown_person_is_404(client):
    assert client.get(reverse("web:person", args=[999999])).status_code == 404


def test_a_status_other_than_substantive_is_shown(client):
    icb = compliant_icb()
    _, membership = seat_held(icb.board, start=datetime.date(2024, 1, 1))
    membership.status = MembershipStatus.INTERIM
    membership.save()
    assert "Interim" in text(client.get(url(membership.person), {"as_of": AS_OF}))


def test_the_person_page_queries_do_not_grow_with_roles_or_declarations(client):
    icb = compliant_icb()
    few, many = PersonFactory(), PersonFactory()
    seat_held(icb.board, person=few)
    InterestDeclarationFactory(person=few)
    GiftOrHospitalityFactory(person=few, date=datetime.date(2025, 1, 1))
    for n in range(6):
        seat = SeatFactory(committee=icb.audit if n % 2 else icb.board)
        MembershipFactory(
            seat=seat,
            person=many,
            start=datetime.date(2010 + n, 1, 1),
            end=datetime.date(2010 + n, 12, 31),
            end_reason=EndReason.TERM_EXPIRED,
        )
        InterestDeclarationFactory(person=many)
        GiftOrHospitalityFactory(person=many, date=datetime.date(2025, 1, n + 1))
    client.force_login(make_officer(icb.ics, username="own"))
    counts = []
    for person in (few, many):
        client.get(url(person), {"as_of": AS_OF})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(person), {"as_of": AS_OF})
        counts.append(len(queries))
    assert len(response.context["roles"]) == 6
    assert counts[0] == counts[1]
