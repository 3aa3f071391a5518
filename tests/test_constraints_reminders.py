"""The named constraints of ``reminders``, proved in the database and explained to an
officer (R31).

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime
import uuid

import pytest
from django.utils import timezone

from bodies.models import BodyKind
from core.services import database_errors_as_validation_errors, save_validated
from reminders.models import (
    Category,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeliveryPreference,
    Frequency,
    Milestone,
    OutboxEmail,
    OutboxStatus,
    ReminderPolicy,
    Status,
    Topic,
)
from reminders.services import calendar_feed_create, milestone_create
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import BodyFactory, IntegratedCareSystemFactory, PersonFactory
from tests.reminders_factories import (
    CalendarFeedFactory,
    DeliveryPreferenceFactory,
    MilestoneFactory,
    default_policy,
)

pytestmark = pytest.mark.django_db

DONE_ON = datetime.date(2022, 6, 30)


# Checklists ----------------------------------------------------------------------------


def _item(template, title="ICB constitution approved") -> ChecklistTemplateItem:
    return ChecklistTemplateItem(
        template=template, title=title, category=Category.CONSTITUTION, offset_days=-30
    )


@proves("reminders_checklisttemplateitem_unique_title")
def test_database_refuses_two_items_of_a_checklist_with_one_title():
    template = ChecklistTemplate.objects.create(name="Place partnership readiness")
    _item(template).save()
    _item(ChecklistTemplate.objects.create(name="ICB establishment (test)")).save()
    with refused_by("reminders_checklisttemplateitem_unique_title"):
        _item(template).save()


@explains("reminders_checklisttemplateitem_unique_title")
def test_a_repeated_checklist_item_title_is_refused_with_a_clear_message():
    template = ChecklistTemplate.objects.create(name="Place partnership readiness")
    save_validated(_item(template))
    with refused_with_message_of("reminders_checklisttemplateitem_unique_title"):
        save_validated(_item(template))


# Milestones ----------------------------------------------------------------------------
#
# Milestone.clean() reports a missing completed date or evidence on the field an officer
# must fill in, before the constraints run; a write that skips it (a bulk update, an
# import) still gets the constraints' shared message from the shared write path.


@proves("reminders_milestone_completed_date_iff_done")
@pytest.mark.parametrize(
    ("status", "completed_on"),
    [(Status.DONE, None), (Status.IN_PROGRESS, DONE_ON)],
    ids=["done-without-a-date", "date-without-being-done"],
)
def test_database_refuses_a_completed_date_without_done_or_done_without_one_r31(
    status, completed_on
):
    milestone = MilestoneFactory(evidence_note="Signed constitution on the ICB website")
    with refused_by("reminders_milestone_completed_date_iff_done"):
        Milestone.objects.filter(pk=milestone.pk).update(status=status, completed_on=completed_on)


@explains("reminders_milestone_completed_date_iff_done")
def test_a_done_milestone_without_a_completed_date_gets_a_clear_message_r31():
    milestone = MilestoneFactory(evidence_note="Signed constitution on the ICB website")
    with (
        refused_with_message_of("reminders_milestone_completed_date_iff_done"),
        database_errors_as_validation_errors(),
    ):
        Milestone.objects.filter(pk=milestone.pk).update(status=Status.DONE)


@proves("reminders_milestone_done_has_evidence")
def test_database_refuses_a_done_milestone_without_evidence_r31():
    milestone = MilestoneFactory()
    with refused_by("reminders_milestone_done_has_evidence"):
        Milestone.objects.filter(pk=milestone.pk).update(status=Status.DONE, completed_on=DONE_ON)


def test_a_done_milestone_may_record_its_evidence_as_a_link_or_a_note_r31():
    by_link = MilestoneFactory(evidence_url="https://example.nhs.uk/constitution.pdf")
    by_note = MilestoneFactory(evidence_note="Minutes of the board, item 7")
    Milestone.objects.filter(pk__in=[by_link.pk, by_note.pk]).update(
        status=Status.DONE, completed_on=DONE_ON
    )
    assert Milestone.objects.filter(status=Status.DONE).count() == 2


@explains("reminders_milestone_done_has_evidence")
def test_a_done_milestone_without_evidence_gets_a_clear_message_r31():
    milestone = MilestoneFactory()
    with (
        refused_with_message_of("reminders_milestone_done_has_evidence"),
        database_errors_as_validation_errors(),
    ):
        Milestone.objects.filter(pk=milestone.pk).update(status=Status.DONE, completed_on=DONE_ON)


def _template_item() -> ChecklistTemplateItem:
    template = ChecklistTemplate.objects.create(name="Place partnership readiness")
    item = _item(template)
    item.save()
    return item


def _milestone_from(item, ics) -> Milestone:
    return Milestone(
        ics=ics,
        title=item.title,
        category=item.category,
        due_date=ics.go_live + datetime.timedelta(days=item.offset_days),
        template_item=item,
    )


@proves("reminders_milestone_one_per_template_item")
def test_database_refuses_a_checklist_item_applied_twice_to_one_system_r31():
    item = _template_item()
    ics = IntegratedCareSystemFactory()
    _milestone_from(item, ics).save()
    _milestone_from(item, IntegratedCareSystemFactory()).save()
    with refused_by("reminders_milestone_one_per_template_item"):
        _milestone_from(item, ics).save()


@explains("reminders_milestone_one_per_template_item")
def test_a_checklist_item_applied_twice_is_refused_with_a_clear_message_r31():
    # checklist_apply() leaves items already applied alone; another writer still gets
    # the constraint's message.
    item = _template_item()
    ics = IntegratedCareSystemFactory()
    save_validated(_milestone_from(item, ics))
    with refused_with_message_of("reminders_milestone_one_per_template_item"):
        save_validated(_milestone_from(item, ics))


@proves("reminders_milestone_body_same_ics")
def test_database_refuses_a_milestone_about_another_systems_body_r31():
    milestone = MilestoneFactory()
    elsewhere = BodyFactory(kind=BodyKind.PLACE_PARTNERSHIP)
    with refused_by("reminders_milestone_body_same_ics"):
        Milestone.objects.filter(pk=milestone.pk).update(body=elsewhere)


@explains("reminders_milestone_body_same_ics")
def test_a_milestone_about_another_systems_body_is_refused_with_a_clear_message_r31():
    elsewhere = BodyFactory(kind=BodyKind.PLACE_PARTNERSHIP)
    with refused_with_message_of("reminders_milestone_body_same_ics"):
        milestone_create(
            ics=IntegratedCareSystemFactory(),
            title="Place agreement signed",
            category=Category.PLACE_GOVERNANCE_MODEL,
            due_date=datetime.date(2027, 4, 1),
            body=elsewhere,
        )


@explains("reminders_milestone_body_same_ics")
def test_a_bulk_move_of_a_milestone_to_another_systems_body_gets_the_same_message_r31():
    milestone = MilestoneFactory()
    elsewhere = BodyFactory(kind=BodyKind.PLACE_PARTNERSHIP)
    with (
        refused_with_message_of("reminders_milestone_body_same_ics"),
        database_errors_as_validation_errors(),
    ):
        Milestone.objects.filter(pk=milestone.pk).update(body=elsewhere)


# Reminder policies and preferences -----------------------------------------------------


@proves("reminders_reminderpolicy_one_per_ics")
@pytest.mark.parametrize("for_a_system", [False, True], ids=["default", "one-system"])
def test_database_refuses_a_second_default_policy_or_a_second_policy_for_a_system(
    for_a_system,
):
    default_policy()
    ics = IntegratedCareSystemFactory() if for_a_system else None
    if ics:
        ReminderPolicy.objects.create(ics=ics)
    with refused_by("reminders_reminderpolicy_one_per_ics"):
        ReminderPolicy.objects.create(ics=ics)


@explains("reminders_reminderpolicy_one_per_ics")
def test_a_second_default_policy_is_refused_with_a_clear_message():
    default_policy()
    with refused_with_message_of("reminders_reminderpolicy_one_per_ics"):
        save_validated(ReminderPolicy(ics=None))


@proves("reminders_reminderpolicy_repeat_at_least_daily")
@pytest.mark.parametrize("field", ["overdue_every_days", "interest_overdue_every_days"])
def test_database_refuses_overdue_reminders_repeating_every_zero_days(field):
    with refused_by("reminders_reminderpolicy_repeat_at_least_daily"):
        ReminderPolicy.objects.create(ics=IntegratedCareSystemFactory(), **{field: 0})


@explains("reminders_reminderpolicy_repeat_at_least_daily")
def test_overdue_reminders_repeating_every_zero_days_are_refused_with_a_clear_message():
    policy = ReminderPolicy(ics=IntegratedCareSystemFactory(), overdue_every_days=0)
    with refused_with_message_of("reminders_reminderpolicy_repeat_at_least_daily"):
        save_validated(policy)


@proves("reminders_deliverypreference_one_per_topic")
def test_database_refuses_two_preferences_of_one_person_for_one_topic():
    person = PersonFactory()
    DeliveryPreferenceFactory(person=person, topic=Topic.VACANCY, frequency=Frequency.DAILY)
    DeliveryPreferenceFactory(person=person, topic=Topic.TERM_ENDING, frequency=Frequency.DAILY)
    with refused_by("reminders_deliverypreference_one_per_topic"):
        DeliveryPreferenceFactory(person=person, topic=Topic.VACANCY, frequency=Frequency.WEEKLY)


@explains("reminders_deliverypreference_one_per_topic")
def test_a_second_preference_for_one_topic_is_refused_with_a_clear_message():
    person = PersonFactory()
    DeliveryPreferenceFactory(person=person, topic=Topic.VACANCY, frequency=Frequency.DAILY)
    again = DeliveryPreference(person=person, topic=Topic.VACANCY, frequency=Frequency.WEEKLY)
    with refused_with_message_of("reminders_deliverypreference_one_per_topic"):
        save_validated(again)


# The outbox ----------------------------------------------------------------------------
#
# Only the dispatcher and the delivery workers write e-mails, never an officer; these
# constraints keep a worker's bug from losing or repeating an e-mail, and the model's
# validation names the broken rule for whoever reads the error.


def _email(**fields) -> OutboxEmail:
    return OutboxEmail(
        key=fields.pop("key", "milestone:1:due:14:person:1"),
        recipient=PersonFactory(),
        to_address="alex.smith@example.nhs.uk",
        subject="Milestone due in 14 days",
        body_text="ICB constitution approved",
        body_html="<p>ICB constitution approved</p>",
        next_attempt_at=timezone.now(),
        **fields,
    )


@proves("reminders_outboxemail_sent_at_iff_sent")
@pytest.mark.parametrize(
    ("status", "sent"),
    [(OutboxStatus.SENT, False), (OutboxStatus.PENDING, True)],
    ids=["sent-without-a-time", "time-without-being-sent"],
)
def test_database_refuses_a_sent_time_without_sending_or_sending_without_one(status, sent):
    with refused_by("reminders_outboxemail_sent_at_iff_sent"):
        _email(status=status, sent_at=timezone.now() if sent else None).save()


@explains("reminders_outboxemail_sent_at_iff_sent")
def test_a_sent_email_without_a_sent_time_is_refused_with_a_clear_message():
    with refused_with_message_of("reminders_outboxemail_sent_at_iff_sent"):
        _email(status=OutboxStatus.SENT).full_clean()


@proves("reminders_outboxemail_claim_iff_sending")
@pytest.mark.parametrize(
    ("status", "claimed"),
    [(OutboxStatus.SENDING, False), (OutboxStatus.FAILED, True)],
    ids=["sending-without-a-claim", "claim-without-sending"],
)
def test_database_refuses_a_claim_without_sending_or_sending_without_one(status, claimed):
    claim = {"claim_token": uuid.uuid4(), "lease_expires_at": timezone.now()} if claimed else {}
    with refused_by("reminders_outboxemail_claim_iff_sending"):
        _email(status=status, **claim).save()


@explains("reminders_outboxemail_claim_iff_sending")
def test_an_email_being_sent_without_a_claim_is_refused_with_a_clear_message():
    with refused_with_message_of("reminders_outboxemail_claim_iff_sending"):
        _email(status=OutboxStatus.SENDING).full_clean()


# Calendar feeds ------------------------------------------------------------------------


@proves("reminders_calendarfeed_system_or_owner")
@pytest.mark.parametrize("scope", ["neither", "both"])
def test_database_refuses_a_calendar_feed_of_neither_or_both_a_system_and_an_owner(scope):
    owner = PersonFactory() if scope == "both" else None
    ics = IntegratedCareSystemFactory() if scope == "both" else None
    with refused_by("reminders_calendarfeed_system_or_owner"):
        CalendarFeedFactory(ics=ics, owner=owner)


@explains("reminders_calendarfeed_system_or_owner")
def test_a_calendar_feed_of_both_a_system_and_an_owner_is_refused_with_a_clear_message():
    with refused_with_message_of("reminders_calendarfeed_system_or_owner"):
        calendar_feed_create(ics=IntegratedCareSystemFactory(), owner=PersonFactory())
