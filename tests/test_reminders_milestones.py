"""Milestones, readiness checklists, their admin, and the Somerset transition demo (R31)."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from bodies.models import IntegratedCareSystem
from memberships.models import Person
from reminders import services
from reminders.models import (
    Category,
    ChecklistTemplate,
    Milestone,
    Status,
    SystemContacts,
)
from tests import demo_data as data
from tests.factories import BodyFactory, IntegratedCareSystemFactory, PersonFactory
from tests.reminders_factories import (
    CalendarFeedFactory,
    DeliveryPreferenceFactory,
    MilestoneFactory,
    SystemContactsFactory,
)

ORIGINAL_GO_LIVE = datetime.date(2022, 4, 1)
SOMERSET_GO_LIVE = datetime.date(2022, 7, 1)


def establishment() -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(name="ICB establishment")


# -- a milestone's own rules (R31) --------------------------------------------------------


@pytest.mark.django_db
def test_a_done_milestone_needs_its_completed_date_and_its_evidence_R31():
    milestone = MilestoneFactory()

    with pytest.raises(ValidationError, match="evidence"):
        services.milestone_complete(milestone=milestone, completed_on=datetime.date(2026, 1, 5))
    done = services.milestone_complete(
        milestone=milestone,
        completed_on=datetime.date(2026, 1, 5),
        evidence_url="https://example.nhs.uk/board-papers/2026-01.pdf",
    )

    assert (done.status, done.completed_on) == (Status.DONE, datetime.date(2026, 1, 5))


@pytest.mark.django_db
def test_progress_marks_done_and_reopens_through_the_milestones_own_actions_R31():
    """An import brings a milestone to its recorded progress: done goes through
    milestone_complete (date and evidence), not done again through milestone_reopen."""
    milestone = MilestoneFactory(status=Status.IN_PROGRESS)

    services.milestone_progress(
        milestone=milestone,
        status=Status.DONE,
        completed_on=datetime.date(2026, 1, 5),
        evidence_note="Minuted at the January board",
        title="Constitution approved",
    )
    done = (milestone.status, milestone.completed_on, milestone.title)
    services.milestone_progress(
        milestone=milestone, status=Status.AT_RISK, completed_on=None, evidence_note="Withdrawn"
    )

    assert done == (Status.DONE, datetime.date(2026, 1, 5), "Constitution approved")
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.evidence_note) == (
        Status.AT_RISK,
        None,
        "Withdrawn",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": Status.DONE, "evidence_note": "Signed"}, "completed_date_iff_done"),
        ({"completed_on": datetime.date(2026, 1, 1)}, "completed_date_iff_done"),
        (
            {"status": Status.DONE, "completed_on": datetime.date(2026, 1, 1)},
            "done_has_evidence",
        ),
    ],
)
def test_the_database_refuses_a_completed_date_without_done_or_done_without_evidence_R31(
    fields, constraint
):
    milestone = MilestoneFactory()
    for name, value in fields.items():
        setattr(milestone, name, value)

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        milestone.save()


@pytest.mark.django_db
def test_a_milestones_body_belongs_to_its_system():
    other_body = BodyFactory()

    with pytest.raises(ValidationError, match="must belong to the milestone's system"):
        services.milestone_create(
            ics=IntegratedCareSystemFactory(),
            title="Place agreement",
            category=Category.PLACE_GOVERNANCE_MODEL,
            due_date=datetime.date(2027, 4, 1),
            body=other_body,
        )
    refused = pytest.raises(IntegrityError, match="reminders_milestone_body_same_ics")
    with refused, transaction.atomic():
        Milestone.objects.create(
            ics=IntegratedCareSystemFactory(),
            body=other_body,
            title="Place agreement",
            category=Category.OTHER,
            due_date=datetime.date(2027, 4, 1),
        )


# -- the "ICB establishment" checklist (domain.md section 5) ------------------------------


@pytest.mark.django_db
def test_the_shipped_establishment_checklist_covers_the_seeds_transition_milestones():
    items = {item.title: item for item in establishment().items.all()}

    assert {item.category for item in items.values()} == set(Category.values)
    assert len(items) == 18


@pytest.mark.django_db
def test_applied_to_an_april_2022_go_live_the_checklist_gives_the_seeds_own_dates():
    ics = IntegratedCareSystemFactory(go_live=ORIGINAL_GO_LIVE)

    due = {m.title: m.due_date for m in services.checklist_apply(template=establishment(), ics=ics)}

    assert due["First readiness to operate statement (ROS) assessment"] == datetime.date(
        2021, 10, 29
    )
    assert due["Draft ICB constitution"] == datetime.date(2021, 12, 17)
    assert due["Final ICB constitution submitted to NHS England"] == datetime.date(2021, 12, 31)
    assert due["Due diligence on asset and liability transfers complete"] == datetime.date(
        2022, 3, 31
    )
    assert due["Formal agreement with the VCSE sector in place"] == ORIGINAL_GO_LIVE


@pytest.mark.django_db
def test_applying_the_checklist_counts_from_the_systems_own_go_live_date():
    ics = IntegratedCareSystemFactory(go_live=SOMERSET_GO_LIVE)

    created = services.checklist_apply(template=establishment(), ics=ics)

    go_live = next(m for m in created if m.category == Category.GO_LIVE)
    assert go_live.due_date == SOMERSET_GO_LIVE
    assert all(m.status == Status.NOT_STARTED and m.owner is None for m in created)


@pytest.mark.django_db
def test_applying_a_checklist_again_adds_only_new_items_and_keeps_progress():
    ics = IntegratedCareSystemFactory(go_live=SOMERSET_GO_LIVE)
    template = establishment()
    first = services.checklist_apply(template=template, ics=ics)
    owner = PersonFactory()
    Milestone.objects.filter(pk=first[0].pk).update(owner=owner, status=Status.IN_PROGRESS)
    template.items.create(title="Annual report", category=Category.OTHER, offset_days=365)

    again = services.checklist_apply(template=template, ics=ics)

    assert [m.title for m in again] == ["Annual report"]
    assert Milestone.objects.get(pk=first[0].pk).owner == owner
    assert Milestone.objects.filter(ics=ics).count() == len(first) + 1


@pytest.mark.django_db
def test_a_checklist_cannot_be_applied_to_a_system_without_a_go_live_date():
    ics = IntegratedCareSystemFactory(go_live=None, status="designate")

    with pytest.raises(ValidationError, match="no go-live date"):
        services.checklist_apply(template=establishment(), ics=ics)


# -- the admin ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_reminders_page_of_the_admin_opens(client, officer):
    milestone = MilestoneFactory()
    SystemContactsFactory()
    DeliveryPreferenceFactory(topic="vacancy", frequency="weekly")
    CalendarFeedFactory()
    services.reminders_dispatch()
    client.force_login(officer)

    for model in (
        "milestone",
        "checklisttemplate",
        "systemcontacts",
        "reminderpolicy",
        "deliverypreference",
        "outboxemail",
        "reminder",
        "calendarfeed",
    ):
        response = client.get(reverse(f"admin:reminders_{model}_changelist"))
        assert response.status_code == 200, model
    assert client.get(milestone.get_absolute_url()).status_code == 200
    template = establishment()
    page = client.get(reverse("admin:reminders_checklisttemplate_change", args=[template.pk]))
    assert "Final ICB constitution submitted to NHS England" in page.content.decode()


@pytest.mark.django_db
def test_an_officer_applies_a_checklist_to_a_system_from_the_admin(client, officer):
    ics = IntegratedCareSystemFactory(go_live=SOMERSET_GO_LIVE)
    template = establishment()
    client.force_login(officer)
    url = reverse("admin:reminders_checklisttemplate_changelist")
    form = {"action": "apply_to_system", "_selected_action": [template.pk]}

    chooser = client.post(url, form)
    assert chooser.status_code == 200
    assert "Apply a checklist to a system" in chooser.content.decode()
    client.post(url, {**form, "apply": "Apply", "ics": ics.pk})

    assert Milestone.objects.filter(ics=ics).count() == template.items.count()


@pytest.mark.django_db
def test_a_calendar_feeds_admin_page_shows_its_private_address(client, officer, settings):
    settings.SITE_URL = "https://registry.example.nhs.uk"
    feed = CalendarFeedFactory()
    client.force_login(officer)

    page = client.get(reverse("admin:reminders_calendarfeed_change", args=[feed.pk]))

    assert f"https://registry.example.nhs.uk/calendar/{feed.token}.ics" in page.content.decode()


# -- the demo -----------------------------------------------------------------------------

AS_OF = datetime.date(2026, 11, 1)


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestSomersetTransitionDemo:
    def somerset(self) -> IntegratedCareSystem:
        return IntegratedCareSystem.objects.get(code=data.SOMERSET)

    def test_somerset_has_a_governance_lead(self):
        contacts = SystemContacts.objects.get(ics=self.somerset())
        assert contacts.governance_lead.name == "Lucy Brimble"

    def transition(self):
        """Somerset's transition milestones: not the merger checklist of 2027's plan."""
        return Milestone.objects.filter(ics=self.somerset()).exclude(
            template_item__template__name="ICB merger"
        )

    def test_somerset_ran_its_transition_on_the_establishment_checklist_from_its_go_live(self):
        milestones = self.transition().filter(template_item__isnull=False)
        items = establishment().items.all()
        assert milestones.count() == items.count()
        for milestone in milestones.select_related("template_item"):
            offset = datetime.timedelta(days=milestone.template_item.offset_days)
            assert milestone.due_date == SOMERSET_GO_LIVE + offset
            assert milestone.owner is not None and milestone.owner.is_demo

    def test_most_of_the_checklist_was_done_with_evidence_and_three_items_are_overdue(self):
        milestones = self.transition()
        done = milestones.filter(status=Status.DONE)
        assert done.count() == 15
        assert all(m.completed_on and (m.evidence_note or m.evidence_url) for m in done)
        overdue = milestones.exclude(status=Status.DONE).filter(due_date__lt=AS_OF)
        assert sorted(m.category for m in overdue) == [
            Category.OTHER,
            Category.PLACE_GOVERNANCE_MODEL,
            Category.VCSE_AGREEMENT,
        ]

    def test_obligations_after_go_live_are_still_to_come(self):
        upcoming = Milestone.objects.filter(ics=self.somerset(), due_date__gt=AS_OF)
        assert "Annual refresh of the register of interests (fifth year)" in {
            m.title for m in upcoming
        }

    def test_the_preview_escalates_somersets_overdue_milestones_to_owner_and_lead(self):
        out = StringIO()
        call_command("reminders", "--preview", "--date", AS_OF.isoformat(), stdout=out)
        output = out.getvalue()
        lead = Person.objects.get(given_name="Lucy", family_name="Brimble").work_email
        assert (
            f"(cc {lead}): Overdue: Formal agreement with the VCSE sector in place "
            "(was due 1 July 2022)" in output
        )
