"""A person's right to erasure (issue 14): ``privacy.services.person_erase`` removes their
personal data, keeps the name only where the public record needs it, is audited with who
and why, and leaves no erased value readable in the audit trail; officers of the person's
systems erase from the person's page or the API, and no one else can.
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pghistory.models import Event, MiddlewareEvents

from appointments.models import Approval, Party
from core.audit import AuditTrail, word_events
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    GiftOrHospitality,
    InterestDeclaration,
)
from documents.models import GovernanceDocument
from memberships.models import Employment, EndReason
from memberships.services import person_update
from privacy.services import ERASED_TEXT, person_erase
from reminders.models import CalendarFeed, DeliveryPreference, OutboxEmail, Reminder
from tests.api_support import API, api_rates, make_officer, session_client  # noqa: F401
from tests.appointments_builders import icb_with_seats, la_round
from tests.decisions_factories import (
    ConflictDeclarationFactory,
    DecisionFactory,
    GiftOrHospitalityFactory,
    InterestDeclarationFactory,
    MeetingFactory,
)
from tests.documents_factories import constitution
from tests.factories import (
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.reminders_factories import (
    CalendarFeedFactory,
    DeliveryPreferenceFactory,
    MilestoneFactory,
    SystemContactsFactory,
)
from tests.test_audit import by_whom, events_of

pytestmark = pytest.mark.django_db

D = datetime.date
EMAIL = "jo.bloggs@example.nhs.uk"
NOTE = "Told the chair in confidence about a family matter"
PRIVATE_TEXT = "Brother-in-law runs a care home"


def private_person(**fields):
    """Jo Bloggs, recorded with personal data but never in a public record: an e-mail
    address, an employer, a register entry with a private note, a gift, reminder
    preferences, a personal calendar feed and an e-mail sent to them."""
    employer = OrganisationFactory(name="Northshire Hospitals")
    person = PersonFactory(
        honorific_prefix="Dr",
        given_name="Jo",
        family_name="Bloggs",
        post_nominals="OBE",
        work_email=EMAIL,
        employing_organisation=employer,
        **fields,
    )
    InterestDeclarationFactory(person=person, description=PRIVATE_TEXT, notes=NOTE)
    GiftOrHospitalityFactory(person=person, description="Theatre tickets")
    DeliveryPreferenceFactory(person=person, topic="term_ending", frequency="daily")
    CalendarFeedFactory(ics=None, owner=person, label="Dr Jo Bloggs OBE's phone")
    outbox_email(person, subject="Your milestones", body="Dear Dr Jo Bloggs OBE, ...")
    return person


def outbox_email(recipient, *, subject, body, to=None, cc=()):
    return OutboxEmail.objects.create(
        key=f"test:{OutboxEmail.objects.count()}",
        recipient=recipient,
        to_address=to if to is not None else recipient.work_email,
        cc_addresses=list(cc),
        subject=subject,
        body_text=body,
        body_html=f"<p>{body}</p>",
        next_attempt_at=timezone.now(),
    )


def every_event_row() -> str:
    """Every audit event of every tracked model, as text."""
    rows = []
    for model in apps.get_models():
        if issubclass(model, Event) and not model._meta.proxy and model._meta.managed:
            rows += [str(values) for values in model.objects.values()]
    return "\n".join(rows)


def audit_text(obj) -> str:
    return "\n".join(
        f"{change.label}: {change.before} -> {change.after}"
        for entry in AuditTrail(obj).entries()
        for change in entry.changes
    )


@pytest.fixture
def officer(db):
    return make_officer(username="privacy_officer")


# -- the service ---------------------------------------------------------------------------


def test_a_person_in_no_public_record_loses_their_name_and_all_personal_data(officer):
    person = private_person()

    erasure = person_erase(person=person, by=officer, reason="Their request of 3 May 2026")

    person.refresh_from_db()
    assert person.name == f"Erased person #{person.pk}"
    assert (person.honorific_prefix, person.post_nominals) == ("", "")
    assert person.work_email == ""
    assert person.employing_organisation is None
    assert person.erased_at is not None
    assert not erasure.name_kept
    assert not InterestDeclaration.objects.filter(person=person).exists()
    assert not GiftOrHospitality.objects.filter(person=person).exists()
    assert not Employment.objects.filter(person=person).exists()
    assert not DeliveryPreference.objects.filter(person=person).exists()
    assert not CalendarFeed.objects.filter(owner=person).exists()
    assert not OutboxEmail.objects.filter(recipient=person).exists()
    assert (erasure.declarations_deleted, erasure.gifts_deleted) == (1, 1)
    assert (erasure.employments_deleted, erasure.emails_deleted) == (1, 1)


def test_a_former_board_member_keeps_the_name_and_published_register_without_notes(officer):
    person = private_person()
    MembershipFactory(
        person=person, start=D(2022, 7, 1), end=D(2024, 3, 31), end_reason=EndReason.RESIGNED
    )

    erasure = person_erase(person=person, by=officer, reason="Their request")

    person.refresh_from_db()
    assert person.name == "Dr Jo Bloggs OBE"
    assert erasure.name_kept_because == ("held a seat",)
    assert person.work_email == ""
    assert person.employing_organisation is None
    declaration = InterestDeclaration.objects.get(person=person)
    assert (declaration.description, declaration.notes) == (PRIVATE_TEXT, "")
    assert GiftOrHospitality.objects.filter(person=person).count() == 1
    # Compliance on past dates still reads the employer (R2, R3), up to the last seat.
    employment = Employment.objects.get(person=person)
    assert employment.organisation.name == "Northshire Hospitals"
    assert employment.end == D(2024, 3, 31)
    assert not DeliveryPreference.objects.filter(person=person).exists()
    assert not OutboxEmail.objects.filter(recipient=person).exists()


@pytest.mark.parametrize("record", ["attendance", "apologies", "conflict", "approval"])
def test_the_minutes_and_appointments_keep_the_name_of_who_took_part(officer, record):
    person = private_person()
    meeting = MeetingFactory()
    if record in ("attendance", "apologies"):
        status = AttendanceStatus.PRESENT if record == "attendance" else AttendanceStatus.APOLOGIES
        Attendance.objects.create(
            meeting=meeting, person=person, status=status, capacity=Capacity.ATTENDEE
        )
    elif record == "conflict":
        conflict = ConflictDeclarationFactory(
            person=person, interest=InterestDeclaration.objects.get(person=person)
        )
    else:
        w = icb_with_seats()
        Approval.objects.create(
            round=la_round(w), party=Party.CHAIR, agreed_by=person, given_on=D(2025, 1, 1)
        )

    erasure = person_erase(person=person, by=officer, reason="Their request")

    person.refresh_from_db()
    assert person.name == "Dr Jo Bloggs OBE"
    assert erasure.name_kept
    assert person.work_email == ""
    if record == "conflict":
        # The register entry was read out at the meeting: it stays, without its note.
        kept = InterestDeclaration.objects.get(conflicts=conflict)
        assert (kept.description, kept.notes) == (PRIVATE_TEXT, "")
    else:
        # Never published: no seat, no meeting read it out.
        assert not InterestDeclaration.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    "role, says",
    [
        ("seat", "holds the seat"),
        ("governance lead", "is the governance lead of"),
        ("milestone", "owns 1 open milestone(s)"),
        ("document", "keeps the governance document"),
    ],
)
def test_a_person_in_office_or_in_a_role_is_not_erased_and_nothing_changes(officer, role, says):
    person = private_person()
    if role == "seat":
        MembershipFactory(person=person, start=D(2022, 7, 1))
    elif role == "governance lead":
        SystemContactsFactory(governance_lead=person)
    elif role == "milestone":
        MilestoneFactory(owner=person)
    else:
        document = constitution()
        GovernanceDocument.objects.filter(pk=document.pk).update(owner=person)

    with pytest.raises(ValidationError) as refused:
        person_erase(person=person, by=officer, reason="Their request")

    assert says in " ".join(refused.value.messages)
    person.refresh_from_db()
    assert (person.name, person.work_email, person.erased_at) == ("Dr Jo Bloggs OBE", EMAIL, None)
    assert InterestDeclaration.objects.get(person=person).notes == NOTE
    assert OutboxEmail.objects.filter(recipient=person).exists()


def test_an_erasure_needs_a_reason(officer):
    person = private_person()
    with pytest.raises(ValidationError) as refused:
        person_erase(person=person, by=officer, reason="  ")
    assert "reason" in refused.value.message_dict
    person.refresh_from_db()
    assert person.work_email == EMAIL


def test_a_person_is_erased_once(officer):
    person = private_person()
    person_erase(person=person, by=officer, reason="Their request")
    with pytest.raises(ValidationError, match="was erased on"):
        person_erase(person=person, by=officer, reason="Again")


def test_e_mails_to_others_lose_the_erased_address_and_name(officer):
    person = private_person()
    chair = PersonFactory(work_email="chair@example.nhs.uk")
    copied = outbox_email(
        chair,
        subject="Terms ending: Dr Jo Bloggs OBE",
        body="Dr Jo Bloggs OBE's nomination is due.",
        cc=[EMAIL, "lead@example.nhs.uk"],
    )
    reminder = Reminder.objects.create(
        key="r1",
        kind="term_ending",
        topic="term_ending",
        frequency="immediate",
        recipient=chair,
        cc=person,
        title="Nomination of Dr Jo Bloggs OBE",
        email=copied,
    )

    person_erase(person=person, by=officer, reason="Their request")

    copied.refresh_from_db()
    reminder.refresh_from_db()
    assert copied.cc_addresses == ["lead@example.nhs.uk"]
    new = f"Erased person #{person.pk}"
    assert copied.subject == f"Terms ending: {new}"
    assert copied.body_text == f"{new}'s nomination is due."
    assert "Jo Bloggs" not in copied.body_html
    assert reminder.cc is None
    assert reminder.title == f"Nomination of {new}"


# -- the audit trail -----------------------------------------------------------------------


def test_the_erasure_is_audited_with_who_and_why(officer):
    person = private_person()

    person_erase(person=person, by=officer, reason="Their request of 3 May 2026")

    erasure = events_of(person, "update").last()
    assert by_whom(erasure) == officer.pk
    assert erasure.pgh_context.metadata["reason"] == "Their request of 3 May 2026"
    assert erasure.erased_at is not None
    # The rows deleted with it carry the same context.
    events = apps.get_model("decisions", "InterestDeclarationEvent").objects
    deleted = events.filter(pgh_label="delete").get()
    assert deleted.pgh_context_id == erasure.pgh_context_id


def test_the_audit_trail_keeps_no_erased_value_readable(officer):
    person = private_person()
    # An earlier correction, so there is a before and after to redact.
    person_update(person=person, by=officer, work_email="j.bloggs@example.nhs.uk")
    assert "j.bloggs@example.nhs.uk" in every_event_row()

    person_erase(person=person, by=officer, reason="Their request")

    trail = every_event_row()
    for erased in (EMAIL, "j.bloggs@example.nhs.uk", "Bloggs", NOTE, PRIVATE_TEXT, "Theatre"):
        assert erased not in trail
    assert ERASED_TEXT in trail
    worded = audit_text(person)
    assert "Bloggs" not in worded and "example.nhs.uk" not in worded
    # Who changed the person and when is still there: created, corrected, erased.
    assert [e.pgh_label for e in events_of(person)] == ["insert", "update", "update"]


def test_the_events_of_a_deleted_employment_no_longer_say_who_employed_the_person(officer):
    person = private_person()
    employer = person.employing_organisation
    events = apps.get_model("memberships", "EmploymentEvent").objects.filter(person_id=person.pk)
    assert events.filter(organisation=employer, pgh_label="insert").exists()

    person_erase(person=person, by=officer, reason="Their request")

    # Still there: an employment was recorded, then deleted by the erasure.
    assert list(events.order_by("pgh_id").values_list("pgh_label", flat=True)) == [
        "insert",
        "delete",
    ]
    assert set(events.values_list("organisation", "start", "end")) == {(None, None, None)}
    # Worded, as a system's latest changes word them, the events name no employer.
    across = MiddlewareEvents.objects.across(events.model)
    worded = word_events(across.filter(pgh_data__person_id=person.pk).order_by("pgh_id"))
    assert [entry.action for entry in worded] == ["Created", "Deleted"]
    assert "Northshire" not in repr(worded)


def test_a_kept_employment_keeps_its_employer_in_the_audit_trail(officer):
    person = private_person()
    MembershipFactory(
        person=person, start=D(2022, 7, 1), end=D(2024, 3, 31), end_reason=EndReason.RESIGNED
    )
    employer = person.employing_organisation

    person_erase(person=person, by=officer, reason="Their request")

    events = apps.get_model("memberships", "EmploymentEvent").objects.filter(person_id=person.pk)
    assert set(events.values_list("organisation", flat=True)) == {employer.pk}


def test_a_kept_name_stays_in_the_audit_trail_but_the_contact_details_do_not(officer):
    person = private_person()
    MembershipFactory(
        person=person, start=D(2022, 7, 1), end=D(2024, 3, 31), end_reason=EndReason.RESIGNED
    )

    person_erase(person=person, by=officer, reason="Their request")

    trail = every_event_row()
    assert "Bloggs" in trail
    for erased in (EMAIL, NOTE):
        assert erased not in trail


# -- who may erase: the page and the API ------------------------------------------------------


@pytest.fixture
def former_member():
    """A person who held a seat in one system and has left it."""
    person = private_person()
    membership = MembershipFactory(
        person=person, start=D(2022, 7, 1), end=D(2024, 3, 31), end_reason=EndReason.RESIGNED
    )
    return person, membership.ics


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_of_the_persons_system_erases_from_their_page(former_member):
    person, ics = former_member
    officer = make_officer(ics, username="same_system")
    client = client_of(officer)

    page = client.get(f"/people/{person.pk}/")
    assert f"/people/{person.pk}/erase/" in page.content.decode()
    confirm = client.get(f"/people/{person.pk}/erase/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Erasing cannot be undone" in text
    assert "held a seat" in text

    done = client.post(f"/people/{person.pk}/erase/", {"reason": "Their request"}, follow=True)

    assert done.redirect_chain == [(f"/people/{person.pk}/", 302)]
    assert "personal data are erased; the name is kept" in done.content.decode()
    person.refresh_from_db()
    assert person.erased_at is not None and person.work_email == ""
    assert by_whom(events_of(person, "update").last()) == officer.pk


def test_the_page_lists_free_text_naming_the_person_which_the_erasure_leaves(former_member):
    person, ics = former_member
    paper = DecisionFactory(
        meeting__committee__body__ics=ics, author="Dr Bloggs, Director of Estates"
    )
    farewell = MeetingFactory(committee=paper.meeting.committee, title="Thanks to JO BLOGGS")
    DecisionFactory(meeting=farewell, title="Estates plan", author="Sam Other")
    client = client_of(make_officer(ics, username="same_system"))

    text = client.get(f"/people/{person.pk}/erase/").content.decode()

    assert "Free text that names Dr Jo Bloggs OBE" in text
    listed = text.split('id="mentions"')[1].split("</ul>")[0]
    assert f"Decision {paper.pk}, author: “Dr Bloggs, Director of Estates”" in listed
    assert f'href="/admin/decisions/decision/{paper.pk}/change/"' in listed
    assert f"Meeting {farewell.pk}, title: “Thanks to JO BLOGGS”" in listed
    assert "Estates plan" not in listed and "Sam Other" not in listed
    # The person's own register entry is the erasure's to deal with, not listed.
    assert PRIVATE_TEXT not in listed and "Interest" not in listed

    client.post(f"/people/{person.pk}/erase/", {"reason": "Their request"})
    paper.refresh_from_db()
    assert paper.author == "Dr Bloggs, Director of Estates"


def test_the_erase_page_reads_the_mentions_in_one_query_however_many(former_member):
    person, ics = former_member
    client = client_of(make_officer(ics, username="same_system"))
    meeting = MeetingFactory(committee__body__ics=ics, title="Jo Bloggs leaves")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/people/{person.pk}/erase/").status_code == 200
        return len(context.captured_queries)

    one = queries()
    for n in range(5):
        DecisionFactory(meeting=meeting, item_number=str(n), author=f"Jo Bloggs ({n})")
    assert queries() == one


def test_the_page_shows_a_missing_reason_beside_its_field_and_erases_nothing(former_member):
    person, ics = former_member
    client = client_of(make_officer(ics, username="same_system"))

    answer = client.post(f"/people/{person.pk}/erase/", {"reason": ""})

    assert answer.status_code == 400
    assert "Enter the reason for the erasure" in answer.content.decode()
    person.refresh_from_db()
    assert person.work_email == EMAIL


def test_the_page_says_what_stops_an_erasure_and_offers_no_button(officer):
    person = private_person()
    MembershipFactory(person=person, start=D(2022, 7, 1))
    client = client_of(make_officer(person.memberships.get().ics, username="same_system"))

    page = client.get(f"/people/{person.pk}/erase/").content.decode()

    assert "cannot be erased yet" in page
    assert "end the membership first" in page
    assert "Erase personal data</button>" not in page


def test_only_officers_of_the_persons_system_may_erase(former_member, client):
    person, _ = former_member
    other = client_of(make_officer(IntegratedCareSystemFactory(), username="other_system"))

    signed_out = client.post(f"/people/{person.pk}/erase/", {"reason": "x"})
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/sign-in/")
    assert other.get(f"/people/{person.pk}/erase/").status_code == 403
    assert other.post(f"/people/{person.pk}/erase/", {"reason": "x"}).status_code == 403
    assert f"/people/{person.pk}/erase/" not in other.get(f"/people/{person.pk}/").content.decode()
    person.refresh_from_db()
    assert person.work_email == EMAIL


def test_an_officer_without_the_permission_to_erase_people_may_not_erase(former_member):
    person, ics = former_member
    officer = make_officer(ics, username="same_system")
    erase_person = officer.user_permissions.filter(
        codename="erase_person", content_type__app_label="memberships"
    )
    assert erase_person.exists()
    officer.user_permissions.remove(*erase_person)
    client = client_of(officer)

    assert client.get(f"/people/{person.pk}/erase/").status_code == 403
    api = session_client(officer)
    etag = api.get(f"{API}/people/{person.pk}/")["ETag"]
    refused = api.post(
        f"{API}/people/{person.pk}/erase/", {"reason": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert refused.status_code == 403


def test_the_api_erases_with_if_match_and_the_reason(former_member, api_rates):  # noqa: F811
    person, ics = former_member
    api = session_client(make_officer(ics, username="same_system"))
    url = f"{API}/people/{person.pk}/erase/"
    etag = api.get(f"{API}/people/{person.pk}/")["ETag"]

    assert api.post(url, {"reason": "Their request"}, format="json").status_code == 428
    missing = api.post(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert missing.status_code == 400
    assert "reason" in missing.json()["errors"]

    done = api.post(url, {"reason": "Their request"}, format="json", HTTP_IF_MATCH=etag)

    assert done.status_code == 200, done.json()
    assert done.json()["name"] == "Dr Jo Bloggs OBE"
    assert done.json()["name_kept_because"] == ["held a seat"]
    assert done.json()["emails_deleted"] == 1
    assert done.json()["mentions"] == []
    person.refresh_from_db()
    assert person.work_email == ""


def test_the_api_answers_the_free_text_that_named_the_person(former_member, api_rates):  # noqa: F811
    person, ics = former_member
    paper = DecisionFactory(meeting__committee__body__ics=ics, recommendation="Jo Bloggs to lead.")
    api = session_client(make_officer(ics, username="same_system"))
    etag = api.get(f"{API}/people/{person.pk}/")["ETag"]

    done = api.post(
        f"{API}/people/{person.pk}/erase/",
        {"reason": "Their request"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert done.status_code == 200, done.json()
    (mention,) = done.json()["mentions"]
    assert (mention["model"], mention["id"], mention["field"]) == (
        "decisions.Decision",
        str(paper.pk),
        "recommendation",
    )


def test_the_api_refuses_an_erasure_to_others_and_explains_a_refusal(
    former_member,
    api_rates,  # noqa: F811
):
    person, ics = former_member
    other = session_client(make_officer(IntegratedCareSystemFactory(), username="other_system"))
    url = f"{API}/people/{person.pk}/erase/"
    etag = other.get(f"{API}/people/{person.pk}/")["ETag"]

    refused = other.post(url, {"reason": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 403

    # In office again: the service refuses, and says why.
    MembershipFactory(person=person, start=D(2025, 1, 1), seat__committee__body__ics=ics)
    same = session_client(make_officer(ics, username="same_system"))
    etag = same.get(f"{API}/people/{person.pk}/")["ETag"]
    in_office = same.post(url, {"reason": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert in_office.status_code == 400
    assert "end the membership first" in str(in_office.json())
    person.refresh_from_db()
    assert person.work_email == EMAIL
