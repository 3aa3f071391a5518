"""What the dispatcher reminds, to whom and when (R24, R28, R31), and the preview command."""

import datetime
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees.models import Role
from core.dates import add_months
from documents.services import document_version_approve
from memberships.models import EndReason
from reminders import delivery, selectors, services
from reminders.models import (
    Category,
    Frequency,
    Kind,
    OutboxEmail,
    OutboxStatus,
    Reminder,
    ReminderPolicy,
    Status,
    Topic,
)
from tests.builders import compliant_icb
from tests.decisions_factories import InterestDeclarationFactory
from tests.documents_factories import approved, constitution, draft
from tests.factories import MembershipFactory, PersonFactory, SeatFactory
from tests.reminders_factories import (
    DeliveryPreferenceFactory,
    MilestoneFactory,
    SystemContactsFactory,
    at,
    default_policy,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2026, 11, 25)
NEXT_MONDAY = datetime.date(2026, 11, 30)
ROOT = Path(__file__).resolve().parent.parent


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def dispatch(day: datetime.date, hour: int = 9) -> services.Dispatch:
    return services.reminders_dispatch(now=at(day, hour))


def send_all(day: datetime.date) -> list:
    """Deliver everything the outbox holds for ``day``, as the workers would."""
    now = at(day, 23)
    return [delivery.deliver(pk, now=now) for pk in selectors.sendable_emails(now=now)]


def subjects() -> list[str]:
    return sorted(message.subject for message in mail.outbox)


def of_kind(result: services.Dispatch, kind: str) -> list[Reminder]:
    return [r for r in result.reminders if r.kind == kind]


def sent_to(person) -> list:
    return [m for m in mail.outbox if m.to == [person.work_email]]


@pytest.fixture(autouse=True)
def policy():
    return default_policy()


# -- milestones coming up (R31) -----------------------------------------------------------


def test_owner_is_reminded_once_as_a_milestone_enters_each_window_before_it_is_due_R31():
    milestone = MilestoneFactory(title="Draft constitution", due_date=WEDNESDAY + days(30))

    for day in (WEDNESDAY, WEDNESDAY + days(1), WEDNESDAY + days(15)):
        dispatch(day)
        send_all(day)
    assert subjects() == ["Reminder: Draft constitution (due 25 December 2026)"]
    assert mail.outbox[0].to == [milestone.owner.work_email]

    dispatch(WEDNESDAY + days(16))  # 14 days left: the next window
    send_all(WEDNESDAY + days(16))
    assert len(mail.outbox) == 2
    assert sorted(Reminder.objects.values_list("key", flat=True)) == [
        f"milestone:{milestone.pk}:2026-12-25:due-14:person:{milestone.owner.pk}",
        f"milestone:{milestone.pk}:2026-12-25:due-30:person:{milestone.owner.pk}",
    ]


def test_a_milestone_created_late_gets_the_current_window_only_not_a_backlog_R31():
    MilestoneFactory(due_date=WEDNESDAY + days(10))

    result = dispatch(WEDNESDAY)

    assert [r.key.split(":")[3] for r in result.reminders] == ["due-14"]


def test_done_and_not_applicable_milestones_and_those_not_yet_in_a_window_are_not_reminded():
    MilestoneFactory(due_date=WEDNESDAY + days(31))
    MilestoneFactory(
        due_date=WEDNESDAY + days(7),
        status=Status.DONE,
        completed_on=WEDNESDAY,
        evidence_note="Signed",
    )
    MilestoneFactory(due_date=WEDNESDAY - days(7), status=Status.NOT_APPLICABLE)

    assert dispatch(WEDNESDAY).reminders == []


def test_moving_a_due_date_arms_the_reminders_again_R31():
    milestone = MilestoneFactory(due_date=WEDNESDAY + days(7))
    dispatch(WEDNESDAY)
    milestone.due_date = WEDNESDAY + days(14)
    milestone.save()

    assert len(dispatch(WEDNESDAY).reminders) == 1


def scan(day: datetime.date) -> list[selectors.DueReminder]:
    return selectors.milestone_reminders(
        today=day,
        at=selectors.END_OF_DAY,
        policies=selectors.Policies(),
        leads=selectors.governance_leads(),
        frequencies=selectors._Frequencies(),
    )


def test_the_milestone_scan_leaves_out_what_an_earlier_run_recorded_R31():
    due = MilestoneFactory(due_date=WEDNESDAY + days(7))
    overdue = MilestoneFactory(due_date=WEDNESDAY - days(3))
    assert {r.milestone for r in dispatch(WEDNESDAY).reminders} == {due, overdue}

    later = MilestoneFactory(due_date=WEDNESDAY + days(10))
    owed = scan(WEDNESDAY)

    assert [(r.milestone_id, r.recipient_id, r.ics_id) for r in owed] == [
        (later.pk, later.owner_id, later.ics_id)
    ]
    assert owed[0].link == later.get_absolute_url()
    # A week on, the overdue one owes its next escalation, under a key not recorded yet.
    assert overdue.pk in {r.milestone_id for r in scan(WEDNESDAY + days(7))}


def test_nothing_goes_out_before_the_policys_time_of_day(policy):
    MilestoneFactory(due_date=WEDNESDAY + days(1))

    assert dispatch(WEDNESDAY, hour=6).reminders == []
    assert len(dispatch(WEDNESDAY, hour=7).reminders) == 1


def test_a_systems_own_policy_replaces_the_default_there():
    milestone = MilestoneFactory(due_date=WEDNESDAY + days(45))
    MilestoneFactory(due_date=WEDNESDAY + days(45))
    ReminderPolicy.objects.create(ics=milestone.ics, days_before_due=[60, 10])

    assert [r.milestone for r in dispatch(WEDNESDAY).reminders] == [milestone]


# -- overdue milestones: escalation (R31) -------------------------------------------------


def test_an_overdue_milestone_escalates_weekly_to_its_owner_copied_to_the_governance_lead():
    milestone = MilestoneFactory(title="VCSE agreement", due_date=WEDNESDAY - days(1))
    lead = SystemContactsFactory(ics=milestone.ics).governance_lead

    for day in [WEDNESDAY + days(n) for n in range(10)]:
        dispatch(day)
        send_all(day)

    assert subjects() == ["Overdue: VCSE agreement (was due 24 November 2026)"] * 2
    first = mail.outbox[0]
    assert first.to == [milestone.owner.work_email]
    assert first.cc == [lead.work_email]
    assert "overdue by 1 day" in first.body
    assert "overdue by 8 days" in mail.outbox[1].body


def test_an_escalation_comes_at_once_even_to_someone_on_a_weekly_digest():
    milestone = MilestoneFactory(category=Category.GO_LIVE, due_date=WEDNESDAY - days(3))
    DeliveryPreferenceFactory(
        person=milestone.owner, topic=Topic.MILESTONE_GO_LIVE, frequency=Frequency.WEEKLY
    )

    (reminder,) = dispatch(WEDNESDAY).reminders

    assert reminder.kind == Kind.MILESTONE_OVERDUE
    assert reminder.email is not None


def test_a_milestone_without_an_owner_is_reminded_to_the_governance_lead():
    milestone = MilestoneFactory(owner=None, due_date=WEDNESDAY + days(7))
    lead = SystemContactsFactory(ics=milestone.ics).governance_lead

    (reminder,) = dispatch(WEDNESDAY).reminders

    assert reminder.recipient == lead
    assert "no owner" in reminder.detail


# -- digests ------------------------------------------------------------------------------


def test_a_weekly_digest_gathers_one_persons_reminders_into_one_email_on_monday():
    owner = PersonFactory()
    for topic in (Topic.MILESTONE_CONSTITUTION, Topic.MILESTONE_APPOINTMENT):
        DeliveryPreferenceFactory(person=owner, topic=topic, frequency=Frequency.WEEKLY)
    titles = ["Final constitution", "Draft constitution", "Designate the chair"]
    for title, due, category in zip(
        titles,
        (30, 14, 7),
        (Category.CONSTITUTION, Category.CONSTITUTION, Category.APPOINTMENT),
        strict=True,
    ):
        MilestoneFactory(
            owner=owner, title=title, due_date=WEDNESDAY + days(due), category=category
        )
    MilestoneFactory(
        owner=owner, title="Go-live", due_date=WEDNESDAY + days(20), category=Category.GO_LIVE
    )

    dispatch(WEDNESDAY)
    send_all(WEDNESDAY)
    assert subjects() == ["Reminder: Go-live (due 15 December 2026)"]

    for day in (NEXT_MONDAY, NEXT_MONDAY):
        dispatch(day)
        send_all(day)
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.subject == "Your weekly digest: 3 reminders, week of 30 November 2026"
    assert digest.to == [owner.work_email]
    for title in titles:
        assert title in digest.body
        assert title in digest.alternatives[0].content
    assert not Reminder.objects.filter(email__isnull=True).exists()


def test_vacancies_default_to_a_daily_digest_and_a_person_may_choose_one_email_each():
    lead = PersonFactory()
    DeliveryPreferenceFactory(person=lead, topic=Topic.VACANCY, frequency=Frequency.IMMEDIATE)

    assert selectors._Frequencies()(lead.pk, Topic.VACANCY) == Frequency.IMMEDIATE
    assert selectors._Frequencies()(PersonFactory().pk, Topic.VACANCY) == Frequency.DAILY
    assert selectors._Frequencies()(lead.pk, Topic.TERM_ENDING) == Frequency.IMMEDIATE


# -- terms of office ending (R24) ---------------------------------------------------------


@pytest.fixture
def term_ending_2026():
    """A non-executive in a 36-month term that ends on 31 December 2026, in a system
    with a governance lead."""
    membership = MembershipFactory(start=datetime.date(2024, 1, 1))
    lead = SystemContactsFactory(ics=membership.ics).governance_lead
    return membership, lead


def test_the_governance_lead_hears_90_and_30_days_before_a_term_ends_R24(term_ending_2026):
    membership, lead = term_ending_2026

    for day in (datetime.date(2026, 10, 1), WEDNESDAY, datetime.date(2026, 12, 1)):
        dispatch(day)
        send_all(day)

    to_lead = sent_to(lead)
    assert len(to_lead) == 2
    assert all("ends on 31 December 2026" in m.subject for m in to_lead)
    assert membership.person_name in to_lead[0].subject
    terms = Reminder.objects.filter(kind=Kind.TERM_ENDING)
    assert sorted(r.key.split(":")[3] for r in terms) == ["30", "90"]


def test_a_successor_already_recorded_silences_the_term_end_reminder_R24(term_ending_2026):
    membership, _ = term_ending_2026
    membership.end, membership.end_reason = datetime.date(2026, 12, 31), EndReason.TERM_EXPIRED
    membership.save()
    MembershipFactory(seat=membership.seat, start=datetime.date(2027, 1, 1))

    assert of_kind(dispatch(WEDNESDAY), Kind.TERM_ENDING) == []


def test_a_system_without_a_governance_lead_gets_no_term_end_reminders_R24():
    MembershipFactory(start=datetime.date(2024, 1, 1))

    assert dispatch(WEDNESDAY).reminders == []


# -- vacancies breaking compliance --------------------------------------------------------


def test_a_vacancy_that_breaks_compliance_is_in_the_governance_leads_daily_digest_R20():
    icb = compliant_icb()
    lead = SystemContactsFactory(ics=icb.ics).governance_lead
    assert of_kind(dispatch(WEDNESDAY - days(30)), Kind.VACANCY) == []  # compliant

    _, partner = icb.la_partner
    partner.end, partner.end_reason = WEDNESDAY - days(10), EndReason.RESIGNED
    partner.save()
    for day in (WEDNESDAY, WEDNESDAY, WEDNESDAY + days(1)):
        dispatch(day)
        send_all(day)

    digests = sent_to(lead)
    assert [m.subject for m in digests] == [
        "Your daily digest: 1 reminder, 25 November 2026",
        "Your daily digest: 1 reminder, 26 November 2026",
    ]
    assert "No local authority partner member since 16 November 2026" in digests[0].body
    assert "R20" in digests[0].body


def test_a_vacancy_that_breaks_no_rule_is_not_reminded():
    icb = compliant_icb()
    SystemContactsFactory(ics=icb.ics)
    SeatFactory(committee=icb.board, role=Role.DIRECTOR_OF_STRATEGY, term_length_months=None)

    assert of_kind(dispatch(WEDNESDAY), Kind.VACANCY) == []


# -- registers of interests (R28) ---------------------------------------------------------


def test_a_new_member_without_a_declaration_must_declare_within_28_days_R28():
    membership = MembershipFactory(start=WEDNESDAY)
    SystemContactsFactory(ics=membership.ics)

    (reminder,) = of_kind(dispatch(WEDNESDAY), Kind.INTEREST_REFRESH)

    assert reminder.recipient == membership.person
    assert reminder.due_on == WEDNESDAY + days(28)
    assert "within 28 days of taking up post" in reminder.detail


def test_a_member_who_never_declared_is_reminded_every_four_weeks_once_overdue_R28():
    membership = MembershipFactory(start=datetime.date(2024, 1, 1))
    SystemContactsFactory(ics=membership.ics)

    reminded_on = [
        n for n in range(70) if of_kind(dispatch(WEDNESDAY + days(n)), Kind.INTEREST_REFRESH)
    ]

    # The first at once; then every 28 days, counted from the due date.
    assert reminded_on[0] == 0
    assert {b - a for a, b in itertools.pairwise(reminded_on[1:])} == {28}
    assert len(reminded_on) >= 3


def test_a_member_is_reminded_before_their_annual_declaration_is_due_R28():
    membership = MembershipFactory(start=datetime.date(2023, 1, 1))
    SystemContactsFactory(ics=membership.ics)
    last = add_months(WEDNESDAY + days(20), -12)
    InterestDeclarationFactory(person=membership.person, declared_on=last)

    (reminder,) = of_kind(dispatch(WEDNESDAY), Kind.INTEREST_REFRESH)

    assert reminder.recipient == membership.person
    assert reminder.due_on == WEDNESDAY + days(20)
    assert "due in 20 days" in reminder.title


# -- the e-mail ---------------------------------------------------------------------------


def test_a_reminder_is_html_with_a_plain_text_part_en_gb_dates_and_a_link_to_the_item(
    settings,
):
    settings.SITE_URL = "https://registry.example.nhs.uk"
    milestone = MilestoneFactory(title="ROS co-signed", due_date=datetime.date(2026, 12, 2))
    dispatch(WEDNESDAY)
    send_all(WEDNESDAY)

    (message,) = mail.outbox
    link = f"https://registry.example.nhs.uk/admin/reminders/milestone/{milestone.pk}/change/"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "2 December 2026" in body
        assert link in body
        assert milestone.owner.name in body
    assert message.extra_headers["Message-ID"].startswith(f"<milestone.{milestone.pk}.")


def test_a_recipient_without_an_email_address_is_shown_as_failed_not_retried():
    MilestoneFactory(owner=PersonFactory(work_email=""), due_date=WEDNESDAY + days(1))

    (email,) = dispatch(WEDNESDAY).emails

    assert email.status == OutboxStatus.FAILED
    assert "no work e-mail address" in email.last_error
    assert send_all(WEDNESDAY) == []


# -- cost ---------------------------------------------------------------------------------


def test_the_dispatcher_finds_what_is_due_in_queries_that_do_not_grow_with_the_rows():
    def queries_for(count: int) -> int:
        for _ in range(count):
            milestone = MilestoneFactory(due_date=WEDNESDAY + days(7))
            MilestoneFactory(ics=milestone.ics, due_date=WEDNESDAY - days(7))
            SystemContactsFactory(ics=milestone.ics)
            membership = MembershipFactory(
                seat__committee__body__ics=milestone.ics, start=WEDNESDAY
            )
            approved(
                constitution(membership.seat.committee.body, owner=membership.person),
                next_review=WEDNESDAY + days(7),
            )
        with CaptureQueriesContext(connection) as queries:
            dispatch(WEDNESDAY)
        Reminder.objects.all().delete()
        OutboxEmail.objects.all().delete()
        return len(queries)

    assert queries_for(2) == queries_for(8)


# -- the preview --------------------------------------------------------------------------


def test_the_preview_shows_what_would_be_sent_on_a_date_and_sends_and_records_nothing(capsys):
    MilestoneFactory(title="Due diligence complete", due_date=datetime.date(2027, 3, 31))

    call_command("reminders", "--preview", "--date", "2027-03-30")
    output = capsys.readouterr().out

    assert "Reminders for 30 March 2027 (preview)" in output
    assert "Reminder: Due diligence complete (due 31 March 2027)" in output
    assert "1 e-mail would be sent. Nothing was sent or recorded." in output
    assert not Reminder.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_the_preview_lists_what_waits_for_a_digest(capsys):
    owner = PersonFactory()
    DeliveryPreferenceFactory(
        person=owner, topic=Topic.MILESTONE_CONSTITUTION, frequency=Frequency.WEEKLY
    )
    MilestoneFactory(owner=owner, title="Draft constitution", due_date=WEDNESDAY + days(5))

    call_command("reminders", "--preview", "--date", "25 November 2026")
    output = capsys.readouterr().out

    assert "1 more reminder would wait for a digest" in output
    assert "Draft constitution (weekly digest)" in output


def test_the_preview_refuses_a_date_that_is_not_one():
    with pytest.raises(CommandError, match="'2026-02-30' is not a date"):
        call_command("reminders", "--preview", "--date", "2026-02-30")


def test_manage_py_reminders_exits_non_zero_with_a_clear_message_on_a_bad_date():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ics_registry.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "reminders", "--preview", "--date", "tomorrow"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "'tomorrow' is not a date" in result.stderr


def test_manage_py_reminders_send_dispatches_and_sends_without_a_worker(policy, capsys):
    policy.send_from = datetime.time(0, 0)
    policy.save()
    milestone = MilestoneFactory(due_date=timezone.localdate() + days(1))

    call_command("reminders", "--send")

    assert [m.to for m in mail.outbox] == [[milestone.owner.work_email]]
    assert "1 sent" in capsys.readouterr().out
    call_command("reminders", "--send")
    assert len(mail.outbox) == 1


# -- governance documents due for review (R33) ---------------------------------------------


def _document_due(review, *, owner=True):
    body = compliant_icb().body
    lead = SystemContactsFactory(ics=body.ics).governance_lead
    document = constitution(body, owner=PersonFactory() if owner else None)
    return approved(document, next_review=review), lead


def test_a_documents_owner_is_reminded_once_per_window_before_its_review_R33():
    version, _ = _document_due(WEDNESDAY + days(30))
    owner = version.document.owner

    for day in (WEDNESDAY - days(30), WEDNESDAY, WEDNESDAY + days(1), WEDNESDAY + days(10)):
        dispatch(day)
        send_all(day)
    to_owner = sent_to(owner)
    assert len(to_owner) == 2  # 60 days before, then 30: each once, however often it runs
    assert all("review due 25 December 2026" in m.subject for m in to_owner)
    keys = Reminder.objects.filter(kind=Kind.DOCUMENT_REVIEW).values_list("key", flat=True)
    assert sorted(k.split(":")[3] for k in keys) == ["review-30", "review-60"]

    dispatch(WEDNESDAY + days(23))  # 7 days left: the last window
    assert Reminder.objects.filter(kind=Kind.DOCUMENT_REVIEW).count() == 3


def test_a_document_without_an_owner_is_reminded_to_the_governance_lead_R33():
    version, lead = _document_due(WEDNESDAY + days(7), owner=False)

    (reminder,) = of_kind(dispatch(WEDNESDAY), Kind.DOCUMENT_REVIEW)

    assert reminder.recipient == lead
    assert "It has no owner, so it comes to you." in reminder.detail
    assert reminder.link == version.get_absolute_url()


def test_a_superseded_version_or_a_review_already_passed_is_not_reminded_R33():
    version, _ = _document_due(WEDNESDAY + days(7))
    document_version_approve(
        document_version=draft(version.document), effective_from=WEDNESDAY - days(1)
    )
    _document_due(WEDNESDAY - days(1))

    assert of_kind(dispatch(WEDNESDAY), Kind.DOCUMENT_REVIEW) == []
