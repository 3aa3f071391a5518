"""Meetings and decisions, the register of interests and the functions and decisions map
as web pages (issue 10; journeys 5, 6 and 8): what each page shows, who may see Part B
items and private notes, the edit flows through the services, and query counts."""

import csv
import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions import services
from decisions.models import (
    Attendance,
    AttendanceStatus,
    DecisionType,
    Function,
    InterestDeclaration,
    InterestType,
    Part,
    Vote,
    VoteValue,
)
from tests.api_support import make_officer
from tests.builders import compliant_icb
from tests.decisions_factories import (
    MEETING_DAY,
    DecisionFactory,
    FunctionHoldingFactory,
    InterestDeclarationFactory,
    board_meeting,
    nhs_england,
    vote_all,
    votes,
)
from web.concurrency import version_of

pytestmark = pytest.mark.django_db
E_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def held():
    """A held board meeting with the local authority partner member's apologies."""
    return board_meeting(absent=("la_partner",))


def officer_of(ics, name="clerk"):
    return make_officer(ics, username=name)


def tied_with_casting_vote(meeting):
    decision = DecisionFactory(meeting=meeting.meeting, item_number="7", title="Estates plan")
    votes(
        decision,
        meeting.attendance,
        chair="for",
        ned_deputy="for",
        ned_sim="for",
        chief_executive="for",
        director_of_finance="against",
        medical_director="against",
        director_of_nursing="against",
        trust_partner="against",
        primary_care_partner="abstain",
    )
    services.vote_cast(
        decision=decision,
        attendance=meeting.attendance["chair"],
        value=VoteValue.FOR,
        is_casting_vote=True,
    )
    return decision


# -- the meeting page ---------------------------------------------------------------------


def test_the_meeting_page_shows_attendance_votes_quorum_result_and_casting_vote(client, held):
    carried = DecisionFactory(meeting=held.meeting, item_number="6", title="Annual plan")
    vote_all(carried, held.attendance)
    tied_with_casting_vote(held)
    response = client.get(reverse("web:meeting", args=[held.meeting.pk]))
    assert response.status_code == 200
    page = text(response)
    groups = response.context["groups"]
    assert [a.person for a in groups["apologies"]] == [held.icb.la_partner[1].person]
    assert len(groups["present"]) == 9 and "Apologies" in page
    assert "Quorate: 9 voting members counted; the quorum is 6." in page
    assert "Carried by a simple majority (9 for, 0 against)." in page
    assert (
        "Equality of votes (4 for, 4 against, 1 abstention): carried on the chair's casting "
        "vote." in page
    )
    assert "For (chair's casting vote)" in page
    assert 'href="/rules/R25/"' in page
    assert f'href="/committees/{held.meeting.committee_id}/"' in page
    assert "Validly made" in page and "Not validly made" not in page


def test_an_items_cover_sheet_is_shown_with_its_risk_rating(client, held):
    DecisionFactory(
        meeting=held.meeting,
        item_number="6",
        title="Board assurance framework",
        paper_version="1.0",
        executive_lead="Lucy Brimble",
        author="Lucy Brimble/Owen Tremlett",
        sustainability_impact="not_done",
        sustainability_impact_note="To follow with the green plan",
        risk_consequence=3,
        risk_likelihood=4,
        baf_reference="BAF 1",
    )
    DecisionFactory(meeting=held.meeting, item_number="7", title="Without a cover sheet")
    page = text(client.get(reverse("web:meeting", args=[held.meeting.pk])))
    assert page.count('id="cover-') == 1
    page = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Executive lead Lucy Brimble" in page
    assert "Sustainability impact assessment Not done: To follow with the green plan" in page
    assert "Score 12 (consequence 3 × likelihood 4): High (amber)" in page
    assert "Board assurance framework BAF 1" in page


def test_an_item_without_a_quorum_says_why_it_was_not_validly_made(client):
    meeting = board_meeting(
        absent=("chair", "ned_deputy", "director_of_finance", "medical_director", "trust_partner")
    )
    decision = DecisionFactory(meeting=meeting.meeting, item_number="6")
    vote_all(decision, meeting.attendance)
    page = text(client.get(reverse("web:meeting", args=[meeting.meeting.pk])))
    assert "Not validly made" in page
    assert "Not quorate: 5 voting members counted; the quorum is 6" in page
    assert "the quorum needs 2 independent non-executive members present; 1 counted" in page


def test_a_conflicted_member_is_left_out_of_the_quorum_on_that_item(client, held):
    decision = DecisionFactory(meeting=held.meeting, item_number="6")
    services.conflict_declare(
        decision=decision,
        person=held.icb.trust_partner[1].person,
        description="Director of the trust",
    )
    page = text(client.get(reverse("web:meeting", args=[held.meeting.pk])))
    assert "Quorate: 8 voting members counted (1 member excluded by a conflict of interest" in page
    assert "Director of the trust (excluded from the item)" in page


def test_part_b_items_are_hidden_signed_out_and_from_officers_of_other_systems(client, held):
    DecisionFactory(meeting=held.meeting, title="Public paper", part=Part.PUBLIC)
    DecisionFactory(meeting=held.meeting, title="Confidential lease", part=Part.PRIVATE)
    url = reverse("web:meeting", args=[held.meeting.pk])
    signed_out = text(client.get(url))
    assert "Public paper" in signed_out and "Confidential lease" not in signed_out

    client.force_login(officer_of(compliant_icb().ics, "elsewhere"))
    other = text(client.get(url))
    assert "Confidential lease" not in other
    assert "Record attendance" not in other and "Record votes" not in other

    client.force_login(officer_of(held.icb.ics))
    mine = text(client.get(url))
    assert "Confidential lease" in mine and "Part B (private)" in mine
    assert reverse("web:meeting_attendance", args=[held.meeting.pk]) in mine


def test_signed_out_the_meeting_page_has_no_e_mail_and_no_edit_controls(client, held):
    DecisionFactory(meeting=held.meeting)
    page = text(client.get(reverse("web:meeting", args=[held.meeting.pk])))
    assert not E_MAIL.search(page)
    assert "Record attendance" not in page and "Record votes" not in page
    assert "/admin/" not in page


def test_the_meeting_page_makes_as_many_queries_however_many_items_and_votes(client):
    def count(items):
        meeting = board_meeting()
        for n in range(items):
            decision = DecisionFactory(meeting=meeting.meeting, item_number=str(n + 1))
            vote_all(decision, meeting.attendance)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:meeting", args=[meeting.meeting.pk])).status_code == 200
        return len(queries)

    assert count(1) == count(4)


# -- the meetings list --------------------------------------------------------------------


def test_the_meetings_list_filters_pages_and_downloads_csv(client, held):
    other = services.meeting_schedule(
        committee=held.icb.audit, date=datetime.date(2023, 1, 5), title="Extraordinary"
    )
    url = reverse("web:meetings", args=[held.icb.ics.code])
    page = text(client.get(url))
    assert "1 September 2022" in page and "5 January 2023 (Extraordinary)" in page
    filtered = text(client.get(url, {"committee": held.icb.audit.pk}))
    assert "5 January 2023" in filtered and "1 September 2022" not in filtered
    assert reverse("web:meeting", args=[other.pk]) in filtered

    csv = client.get(url, {"format": "csv", "status": "held"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "Date,Board or committee,Body,Title,Status,Location,Items"
    assert len(lines) == 2 and lines[1].startswith("1 September 2022,Board,")


def test_a_wrong_filter_is_an_error_beside_the_field_and_lists_nothing(client, held):
    response = client.get(
        reverse("web:meetings", args=[held.icb.ics.code]), {"date_from": "1 Sept"}
    )
    page = text(response)
    assert "nhsuk-error-summary" in page and "nhsuk-form-group--error" in page
    assert "No meeting matches these filters." in page


def test_the_item_count_leaves_out_part_b_signed_out(client, held):
    DecisionFactory(meeting=held.meeting, part=Part.PUBLIC)
    DecisionFactory(meeting=held.meeting, part=Part.PRIVATE)
    response = client.get(reverse("web:meetings", args=[held.icb.ics.code]))
    assert [m.item_count for m in response.context["object_list"]] == [1]


def test_the_meetings_list_makes_as_many_queries_however_many_meetings(client):
    icb = compliant_icb()
    url = reverse("web:meetings", args=[icb.ics.code])

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    services.meeting_schedule(committee=icb.board, date=datetime.date(2023, 1, 1))
    one = count()
    for day in range(2, 6):
        services.meeting_schedule(committee=icb.board, date=datetime.date(2023, 1, day))
    assert count() == one


# -- recording attendance -----------------------------------------------------------------


def attendance_form(client, meeting):
    response = client.get(reverse("web:meeting_attendance", args=[meeting.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_the_officer_records_apologies_and_the_quorum_is_recomputed(client):
    icb = compliant_icb()
    meeting = services.meeting_schedule(committee=icb.board, date=MEETING_DAY, status="held")
    DecisionFactory(meeting=meeting, item_number="6")
    clerk = officer_of(icb.ics)
    client.force_login(clerk)
    data = attendance_form(client, meeting)
    members = [f for f in data if f.startswith("person_")]
    assert len(members) == 10
    for n, name in enumerate(members):
        data[name] = "apologies" if n < 5 else "present"
    response = client.post(reverse("web:meeting_attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:meeting", args=[meeting.pk])
    assert Attendance.objects.filter(meeting=meeting).count() == 10
    assert Attendance.objects.filter(meeting=meeting, status="apologies").count() == 5
    page = text(client.get(response["Location"]))
    assert "Attendance at" in page  # the success message
    assert "Not quorate: 5 voting members counted; the quorum is 6" in page

    # Changing recorded attendance updates those rows, through the service.
    data = attendance_form(client, meeting)
    data[members[0]] = data[members[1]] = "present"  # the chair and deputy chair
    client.post(reverse("web:meeting_attendance", args=[meeting.pk]), data)
    page = text(client.get(reverse("web:meeting", args=[meeting.pk])))
    assert "Quorate: 7 voting members counted; the quorum is 6." in page


def test_recorded_attendance_is_audited_with_the_officer(client, held):
    clerk = officer_of(held.icb.ics)
    client.force_login(clerk)
    data = attendance_form(client, held.meeting)
    la_partner = held.icb.la_partner[1].person
    data[f"person_{la_partner.pk}"] = "present"
    client.post(reverse("web:meeting_attendance", args=[held.meeting.pk]), data)
    row = Attendance.objects.get(meeting=held.meeting, person=la_partner)
    assert row.status == AttendanceStatus.PRESENT
    event = row.events.order_by("-pgh_id").first()
    assert event.pgh_context.metadata["user"] == clerk.pk


def test_a_refused_row_shows_beside_it_and_nothing_is_written(client):
    icb = compliant_icb()
    meeting = services.meeting_schedule(committee=icb.board, date=MEETING_DAY, status="cancelled")
    client.force_login(officer_of(icb.ics))
    data = attendance_form(client, meeting)
    for name in data:
        if name.startswith("person_"):
            data[name] = "present"
    response = client.post(reverse("web:meeting_attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    page = text(response)
    assert "No attendance is recorded for a cancelled meeting." in page
    assert "nhsuk-form-group--error" in page and "nhsuk-error-summary" in page
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_attendance_from_a_stale_page_is_refused(client, held):
    client.force_login(officer_of(held.icb.ics))
    data = attendance_form(client, held.meeting)
    la_partner = held.icb.la_partner[1].person
    services.attendance_update(attendance=held.attendance["la_partner"], status="absent")
    data[f"person_{la_partner.pk}"] = "present"
    response = client.post(reverse("web:meeting_attendance", args=[held.meeting.pk]), data)
    assert "Someone else changed this record" in text(response)
    assert Attendance.objects.get(meeting=held.meeting, person=la_partner).status == "absent"


def test_the_attendance_page_makes_as_many_queries_however_many_members(client):
    def count(absent):
        meeting = board_meeting(absent=absent)
        client.force_login(officer_of(meeting.icb.ics, f"clerk{len(absent)}"))
        url = reverse("web:meeting_attendance", args=[meeting.meeting.pk])
        client.get(url)  # warms the per-process caches (content types), run alone or not
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    assert count(()) == count(("chair", "ned_sim"))


# -- recording votes ----------------------------------------------------------------------


def votes_form(client, decision):
    response = client.get(reverse("web:decision_votes", args=[decision.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_the_officer_records_a_tie_and_the_chairs_casting_vote(client, held):
    decision = DecisionFactory(meeting=held.meeting, item_number="7")
    clerk = officer_of(held.icb.ics)
    client.force_login(clerk)
    data = votes_form(client, decision)
    voters = [name for name in data if name.startswith("attendance_")]
    assert len(voters) == 9  # the local authority partner member sent apologies
    for n, name in enumerate(voters):
        data[name] = "for" if n < 4 else "against" if n < 8 else "abstain"
    data["casting"] = "for"
    response = client.post(reverse("web:decision_votes", args=[decision.pk]), data)
    assert response.status_code == 302, text(response)
    assert Vote.objects.filter(decision=decision).count() == 10
    casting = Vote.objects.get(decision=decision, is_casting_vote=True)
    assert casting.attendance == held.attendance["chair"]
    assert casting.events.first().pgh_context.metadata["user"] == clerk.pk
    page = text(client.get(reverse("web:meeting", args=[held.meeting.pk])))
    assert "carried on the chair's casting vote" in page


def test_a_casting_vote_without_a_tie_is_refused_beside_the_field_writing_nothing(client, held):
    decision = DecisionFactory(meeting=held.meeting)
    client.force_login(officer_of(held.icb.ics))
    data = votes_form(client, decision)
    for name in data:
        if name.startswith("attendance_"):
            data[name] = "for"
    data["casting"] = "against"
    response = client.post(reverse("web:decision_votes", args=[decision.pk]), data)
    page = text(response)
    assert "There is no equality of votes to decide (9 for, 0 against)." in page
    assert "nhsuk-form-group--error" in page
    assert not Vote.objects.filter(decision=decision).exists()


def test_a_conflicted_members_vote_is_refused_beside_their_name(client, held):
    decision = DecisionFactory(meeting=held.meeting)
    trust_partner = held.icb.trust_partner[1].person
    services.conflict_declare(decision=decision, person=trust_partner, description="Director")
    client.force_login(officer_of(held.icb.ics))
    data = votes_form(client, decision)
    data[f"attendance_{held.attendance['trust_partner'].pk}"] = "for"
    response = client.post(reverse("web:decision_votes", args=[decision.pk]), data)
    assert "has a conflict of interest on this item" in text(response)
    assert response.context["form"].errors[f"attendance_{held.attendance['trust_partner'].pk}"]
    assert not Vote.objects.filter(decision=decision).exists()


def test_changing_and_withdrawing_votes_goes_through_the_services(client, held):
    decision = DecisionFactory(meeting=held.meeting)
    vote_all(decision, held.attendance)
    client.force_login(officer_of(held.icb.ics))
    data = votes_form(client, decision)
    data[f"attendance_{held.attendance['chair'].pk}"] = "against"
    data[f"attendance_{held.attendance['ned_sim'].pk}"] = ""
    assert client.post(reverse("web:decision_votes", args=[decision.pk]), data).status_code == 302
    assert Vote.objects.get(decision=decision, attendance=held.attendance["chair"]).value == (
        "against"
    )
    assert not Vote.objects.filter(decision=decision, attendance=held.attendance["ned_sim"])


def test_votes_from_a_stale_page_are_refused(client, held):
    decision = DecisionFactory(meeting=held.meeting)
    client.force_login(officer_of(held.icb.ics))
    data = votes_form(client, decision)
    services.vote_cast(decision=decision, attendance=held.attendance["chair"], value="for")
    data[f"attendance_{held.attendance['ned_sim'].pk}"] = "for"
    response = client.post(reverse("web:decision_votes", args=[decision.pk]), data)
    assert "Someone else changed this record" in text(response)
    assert Vote.objects.filter(decision=decision).count() == 1


def test_the_votes_page_makes_as_many_queries_however_many_voters(client):
    def count(absent):
        meeting = board_meeting(absent=absent)
        decision = DecisionFactory(meeting=meeting.meeting)
        vote_all(decision, meeting.attendance)
        client.force_login(officer_of(meeting.icb.ics, f"clerk{len(absent)}"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("web:decision_votes", args=[decision.pk]))
        return len(queries)

    assert count(()) == count(("chair", "ned_sim", "trust_partner"))


# -- permissions --------------------------------------------------------------------------


def edit_urls(held):
    decision = DecisionFactory(meeting=held.meeting)
    person = held.icb.chair[1].person
    return [
        reverse("web:meeting_attendance", args=[held.meeting.pk]),
        reverse("web:decision_votes", args=[decision.pk]),
        reverse("web:declaration_add", args=[person.pk]),
    ]


def test_signed_out_edit_pages_send_to_sign_in(client, held):
    for url in edit_urls(held):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/sign-in/?next={url}"


def test_officers_of_another_system_are_refused_the_edit_pages(client, held):
    client.force_login(officer_of(compliant_icb().ics, "elsewhere"))
    for url in edit_urls(held):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert not Vote.objects.exists()


def test_officers_without_the_model_permission_are_refused_the_edit_pages(client, held):
    """The API's rule: an officer of the system writes with the model permission only."""
    officer = officer_of(held.icb.ics, "read_only")
    officer.user_permissions.set(officer.user_permissions.filter(codename__startswith="view_"))
    client.force_login(officer)
    for url in edit_urls(held):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert not Vote.objects.exists()


# -- the register of interests ------------------------------------------------------------


def test_the_register_shows_published_declarations_and_hides_private_notes(client, held):
    chair = held.icb.chair[1].person
    InterestDeclarationFactory(
        person=chair,
        description="Shareholder in Mendip Care Ltd",
        notes="Checked with the company secretary",
        start=datetime.date(2020, 1, 1),
    )
    url = reverse("web:register", args=[held.icb.body.pk])
    page = text(client.get(url, {"as_of": "2022-09-01"}))
    assert "Shareholder in Mendip Care Ltd" in page and chair.name in page
    assert "Checked with the company secretary" not in page
    assert "Record a declaration" not in page and not E_MAIL.search(page)

    client.force_login(officer_of(compliant_icb().ics, "elsewhere"))
    assert "Checked with the company secretary" not in text(client.get(url))

    client.force_login(officer_of(held.icb.ics))
    mine = text(client.get(url, {"as_of": "2022-09-01"}))
    assert "Checked with the company secretary" in mine
    assert reverse("web:declaration_add", args=[chair.pk]) in mine


def test_the_register_downloads_as_csv_with_published_fields_only(client, held):
    chair = held.icb.chair[1].person
    InterestDeclarationFactory(
        person=chair,
        description="Shareholder in Mendip Care Ltd",
        notes="Checked with the company secretary",
        start=datetime.date(2020, 1, 1),
    )
    url = reverse("web:register", args=[held.icb.body.pk])
    assert "format=csv" in text(client.get(url))

    response = client.get(url, {"as_of": "2022-09-01", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    assert rows[0][:4] == ["Name", "Roles", "Entry", "Type"]
    mine = [row for row in rows if row[0] == chair.name]
    assert mine and mine[0][2] == "Interest" and mine[0][4] == "Shareholder in Mendip Care Ltd"
    assert mine[0][6] == "1 January 2020"
    flat = " ".join(" ".join(row) for row in rows)
    assert "company secretary" not in flat and not E_MAIL.search(flat)


def test_the_register_on_an_earlier_date_leaves_out_later_interests(client, held):
    chair = held.icb.chair[1].person
    InterestDeclarationFactory(
        person=chair, description="Trustee of a charity", start=datetime.date(2023, 1, 1)
    )
    url = reverse("web:register", args=[held.icb.body.pk])
    assert "Trustee of a charity" not in text(client.get(url, {"as_of": "2022-09-01"}))
    assert "Trustee of a charity" in text(client.get(url, {"as_of": "2023-02-01"}))
    wrong = client.get(url, {"as_of_day": "31", "as_of_month": "2", "as_of_year": "2023"})
    assert wrong.status_code == 400 and "Enter a real date" in text(wrong)


def test_the_register_makes_as_many_queries_however_many_members(client):
    def count(declarations):
        icb = compliant_icb()
        for name in ("chair", "ned_sim", "trust_partner")[:declarations]:
            InterestDeclarationFactory(person=getattr(icb, name)[1].person, notes="Private")
        client.force_login(officer_of(icb.ics, f"clerk{declarations}"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("web:register", args=[icb.body.pk]))
        return len(queries)

    assert count(1) == count(3)


def declaration_data(person, **changes):
    data = {
        "version": version_of(person),
        "interest_type": InterestType.FINANCIAL,
        "description": "Director of Mendip Care Ltd",
        "start_day": "1",
        "start_month": "4",
        "start_year": "2022",
        "declared_on_day": "5",
        "declared_on_month": "4",
        "declared_on_year": "2022",
        "notes": "Declared at interview",
    }
    return data | changes


def test_the_officer_records_a_declaration_through_the_service(client, held):
    clerk = officer_of(held.icb.ics)
    client.force_login(clerk)
    person = held.icb.chair[1].person
    url = reverse("web:declaration_add", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, declaration_data(person, organisation=held.icb.trust.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:register", args=[held.icb.body.pk])
    declaration = InterestDeclaration.objects.get(person=person)
    assert (declaration.start, declaration.organisation) == (
        datetime.date(2022, 4, 1),
        held.icb.trust,
    )
    assert declaration.events.first().pgh_context.metadata["user"] == clerk.pk


def test_a_nil_return_is_recorded_through_its_service(client, held):
    client.force_login(officer_of(held.icb.ics))
    person = held.icb.ned_sim[1].person
    data = declaration_data(person, nil_return="on", interest_type="", description="")
    client.post(reverse("web:declaration_add", args=[person.pk]), data)
    assert InterestDeclaration.objects.get(person=person).nil_return


def test_a_refused_declaration_shows_the_reason_beside_the_field_and_writes_nothing(client, held):
    client.force_login(officer_of(held.icb.ics))
    person = held.icb.chair[1].person
    url = reverse("web:declaration_add", args=[person.pk])
    data = declaration_data(person, end_day="1", end_month="1", end_year="2022")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "An interest cannot end before it starts." in text(response)
    assert "nhsuk-error-summary" in text(response)
    no_date = client.post(url, declaration_data(person, start_year=""))
    assert no_date.context["form"].errors["start"] == ["Date must include a year"]
    assert not InterestDeclaration.objects.filter(person=person).exists()


def test_a_declaration_from_a_stale_page_is_refused(client, held):
    client.force_login(officer_of(held.icb.ics))
    person = held.icb.chair[1].person
    data = declaration_data(person)
    type(person).objects.filter(pk=person.pk).update(given_name="Changed")
    response = client.post(reverse("web:declaration_add", args=[person.pk]), data)
    assert "Someone else changed this record" in text(response)
    assert not InterestDeclaration.objects.filter(person=person).exists()


# -- the functions and decisions map ------------------------------------------------------


def test_the_functions_map_shows_holders_delegations_and_decisions_under_them(client, held):
    england = nhs_england()
    FunctionHoldingFactory(
        organisation=england,
        function=Function.PRIMARY_MEDICAL_SERVICES,
        basis="NHS Act 2006 s.83",
        start=datetime.date(2013, 4, 1),
    )
    delegation = services.delegation_create(
        from_organisation=england,
        to_body=held.icb.body,
        functions=[Function.PRIMARY_MEDICAL_SERVICES],
        instrument="delegation_agreement",
        start=datetime.date(2022, 7, 1),
    )
    DecisionFactory(
        meeting=held.meeting,
        title="GP resilience funding",
        decision_type=DecisionType.APPROVE,
        delegation=delegation,
        function_exercised=Function.PRIMARY_MEDICAL_SERVICES,
    )
    DecisionFactory(
        meeting=held.meeting,
        title="Confidential practice merger",
        part=Part.PRIVATE,
        delegation=delegation,
        function_exercised=Function.PRIMARY_MEDICAL_SERVICES,
    )
    url = reverse("web:functions", args=[held.icb.ics.code])
    page = text(client.get(url, {"as_of": "2022-09-01"}))
    assert "Primary medical services" in page and "NHS Act 2006 s.83" in page
    assert "NHS England" in page and held.icb.body.name in page
    assert "GP resilience funding" in page
    assert "Confidential practice merger" not in page
    assert reverse("web:meeting", args=[held.meeting.pk]) in page
    client.force_login(officer_of(held.icb.ics))
    assert "Confidential practice merger" in text(client.get(url, {"as_of": "2022-09-01"}))


def test_the_functions_map_makes_as_many_queries_however_many_decisions(client, held):
    england = nhs_england()
    FunctionHoldingFactory(organisation=england, function=Function.PRIMARY_MEDICAL_SERVICES)
    delegation = services.delegation_create(
        from_organisation=england,
        to_body=held.icb.body,
        functions=[Function.PRIMARY_MEDICAL_SERVICES],
        instrument="delegation_agreement",
        start=datetime.date(2022, 7, 1),
    )
    url = reverse("web:functions", args=[held.icb.ics.code])

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"as_of": "2022-09-01"})
        return len(queries)

    DecisionFactory(meeting=held.meeting, delegation=delegation)
    one = count()
    for _ in range(3):
        DecisionFactory(meeting=held.meeting, delegation=delegation)
    assert count() == one
