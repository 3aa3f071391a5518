"""The admin for meetings, decisions, delegations and the register: every page opens, the
computed outcome shows read-only, lists stay fast, and the forms refuse what the services
refuse, with the same message."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from pghistory.models import Event

from decisions.models import (
    Attendance,
    ConflictDeclaration,
    Decision,
    Delegation,
    Function,
    Instrument,
    InterestDeclaration,
    Vote,
    VoteValue,
)
from tests.builders import GO_LIVE
from tests.decisions_factories import decide, decisions_rows, quorate_meeting
from tests.factories import CommitteeFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Stored outcomes and their stamps are derived data (decisions.models.outcomes), computed
# and invalidated by the database, never edited: they have no admin.
DERIVED = {"StoredOutcome", "MeetingOutcomeStamp", "OutcomeEpoch"}

DECISIONS_MODELS = [
    model
    for model in apps.get_app_config("decisions").get_models()
    if not issubclass(model, Event)
    and not model._meta.auto_created
    and model.__name__ not in DERIVED
]


def url(model_or_obj, view, *args):
    opts = model_or_obj._meta
    if view in ("change", "history") and not args:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def rows():
    return decisions_rows()


def admin_form(model, officer, data, instance=None):
    request = RequestFactory().get("/")
    request.user = officer
    form_class = admin.site._registry[model].get_form(request, instance)
    return form_class(data=data, instance=instance)


def test_every_decisions_model_has_an_admin():
    assert {m.__name__ for m in DECISIONS_MODELS} == {
        "Meeting",
        "Attendance",
        "FunctionHolding",
        "Delegation",
        "Decision",
        "Vote",
        "InterestDeclaration",
        "GiftOrHospitality",
        "ConflictDeclaration",
    }
    assert all(model in admin.site._registry for model in DECISIONS_MODELS)


@pytest.mark.parametrize("model", DECISIONS_MODELS, ids=lambda model: model.__name__)
def test_every_decisions_page_opens(officer_client, rows, model):
    changelist = officer_client.get(url(model, "changelist"))
    assert changelist.status_code == 200 and changelist.context["cl"].result_count > 0
    assert officer_client.get(url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert officer_client.get(url(obj, "change")).status_code == 200
    history = officer_client.get(url(obj, "history"))
    assert history.status_code == 200
    assert history.context["audit_entries"][-1].action == "Created"


def test_decision_page_shows_the_computed_outcome_read_only(officer_client, rows):
    page = officer_client.get(url(rows.decision, "change")).content.decode()
    assert "Carried by a simple majority (9 for, 0 against)." in page
    assert "Quorate: 10 voting members counted; the quorum is 6." in page
    assert "awaits the chair" in page
    assert 'name="result_explanation"' not in page  # computed, never typed in


def test_meeting_page_lists_each_items_outcome(officer_client, rows):
    page = officer_client.get(url(rows.held.meeting, "change")).content.decode()
    assert "Carried (quorate; valid)" in page


def test_decision_list_query_count_does_not_grow_with_rows(
    officer_client, django_assert_max_num_queries
):
    list_url = url(Decision, "changelist")
    officer_client.get(list_url)
    meeting = quorate_meeting(CommitteeFactory())
    for _ in range(3):
        decide(meeting)
    with django_assert_max_num_queries(20) as few:
        small = officer_client.get(list_url)
    for _ in range(3):
        other = quorate_meeting(CommitteeFactory())
        for _ in range(8):
            decide(other)
    with django_assert_max_num_queries(20) as many:
        large = officer_client.get(list_url)
    assert small.context["cl"].result_count == 3 and large.context["cl"].result_count == 27
    assert "Carried (quorate; valid)" in large.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_vote_form_refuses_a_member_who_sent_apologies_with_the_services_message(officer, rows):
    absent = Attendance.objects.get(
        meeting=rows.held.meeting, person=rows.held.attendance["ned_sim"].person
    )
    absent.status = "apologies"
    absent.save()
    form = admin_form(
        Vote,
        officer,
        {"decision": rows.decision.pk, "attendance": absent.pk, "value": VoteValue.AGAINST},
    )
    assert not form.is_valid()
    assert "was not present (apologies), so cannot vote on this item." in str(form.errors)


def test_vote_form_refuses_an_observers_vote(officer, rows):
    observer = Attendance.objects.get(meeting=rows.held.meeting, capacity="observer")
    form = admin_form(
        Vote, officer, {"decision": rows.decision.pk, "attendance": observer.pk, "value": "for"}
    )
    assert not form.is_valid()
    assert "attended as an observer" in str(form.errors)


def test_attendance_form_refuses_a_non_member_as_member(officer, rows):
    form = admin_form(
        Attendance,
        officer,
        {
            "meeting": rows.held.meeting.pk,
            "person": PersonFactory().pk,
            "status": "present",
            "capacity": "member",
        },
    )
    assert not form.is_valid()
    assert "does not hold a seat on Board on 1 September 2022" in str(form.errors)


def test_delegation_form_refuses_a_function_the_delegator_does_not_hold_R29(officer, rows):
    form = admin_form(
        Delegation,
        officer,
        {
            "from_organisation": rows.icb.council.pk,
            "to_body": rows.icb.body.pk,
            "functions": [Function.DENTAL_SERVICES],
            "instrument": Instrument.SECTION_75_AGREEMENT,
            "start": GO_LIVE.isoformat(),
        },
    )
    assert not form.is_valid()
    assert "does not hold dental services" in str(form.errors)


def test_delegation_form_records_the_delegation_it_relies_on_R29(officer, rows):
    form = admin_form(
        Delegation,
        officer,
        {
            "from_body": rows.icb.body.pk,
            "to_committee": rows.icb.audit.pk,
            "functions": [Function.PRIMARY_MEDICAL_SERVICES],
            "instrument": Instrument.SCHEME_OF_DELEGATION,
            "start": GO_LIVE.isoformat(),
            "financial_limit": "1000000",
        },
    )
    assert form.is_valid(), form.errors
    assert form.save().parent == rows.delegation


def test_suggest_conflicts_action_raises_suggestions_for_the_chair_R27(officer_client, rows):
    rows.decision.conflicts.all().delete()
    response = officer_client.post(
        url(Decision, "changelist"),
        {"action": "suggest_conflicts", "_selected_action": [rows.decision.pk]},
        follow=True,
    )
    assert "1 possible conflict suggested for the chair to confirm or dismiss." in (
        response.content.decode()
    )
    (conflict,) = rows.decision.conflicts.all()
    assert conflict.suggested and conflict.interest == rows.interest


def test_conflict_form_refuses_another_persons_register_entry(officer, rows):
    form = admin_form(
        ConflictDeclaration,
        officer,
        {
            "decision": rows.decision.pk,
            "person": rows.held.attendance["chair"].person.pk,
            "interest": rows.interest.pk,
            "description": "Declared at the meeting",
        },
    )
    assert not form.is_valid()
    assert "That register entry is another person&#x27;s." in str(form.errors)


@pytest.mark.parametrize(
    "entry",
    [
        {"interest_type": "financial", "description": "Shareholder, Acme Ltd"},
        {"nil_return": "on", "interest_type": "", "description": ""},
    ],
    ids=["interest", "nil return"],
)
def test_an_interest_or_a_nil_return_is_added_in_the_admin_through_its_service_R28(
    officer_client, entry
):
    person = PersonFactory()
    data = {"person": person.pk, "declared_on": "2024-04-01", "start": "2024-04-01"}
    response = officer_client.post(url(InterestDeclaration, "add"), data | entry)
    assert response.status_code == 302
    declaration = InterestDeclaration.objects.get(person=person)
    assert declaration.nil_return == ("nil_return" in entry)
