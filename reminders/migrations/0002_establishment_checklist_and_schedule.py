"""A milestone's body is of its system; the default reminder policy; the "ICB establishment"
checklist from the seeds' timetables (R31); the dispatcher's beat schedule.

The checklist's offsets count from the go-live date. The seeds' national timetable ran to
the original go-live of 1 April 2022 [000-003], so each offset is the distance of its date
from 1 April 2022; applied to Somerset (go-live 1 July 2022 [000, 004]) every date moves
three months later, as Somerset's own plan did. Items the seeds give no date for are set
where their prerequisites put them, and say so.
"""

import datetime

from django.db import migrations

from core.db import AddCompositeForeignKey

ORIGINAL_GO_LIVE = datetime.date(2022, 4, 1)
TEMPLATE = "ICB establishment"
TEMPLATE_DESCRIPTION = (
    "Readiness checklist for establishing an integrated care board, from the national "
    "timetable the transition ran to (Dorset, BSW and Hampshire and Isle of Wight papers, "
    "2021; Somerset, 2022). Due dates count from the system's go-live date."
)


def _offset(day: datetime.date) -> int:
    return (day - ORIGINAL_GO_LIVE).days


D = datetime.date
# (title, category, offset in days from go-live, what counts as done and the source)
ITEMS = [
    (
        "Update plans; confirm boundaries, partners and place arrangements",
        "other",
        _offset(D(2021, 6, 30)),
        "End of Q1 2021/22 in the Dorset timetable [002].",
    ),
    (
        "Designate the ICB chair and chief executive; confirm the governance",
        "appointment",
        _offset(D(2021, 9, 30)),
        "End of Q2, after the Bill's second reading [002]; BSW interviewed for its chief "
        "executive on 12-13 October 2021 [001].",
    ),
    (
        "First readiness to operate statement (ROS) assessment",
        "readiness_to_operate",
        _offset(D(2021, 10, 29)),
        "29 October 2021 [001]. The ROS confirms that all legally required and operationally "
        "critical elements are in place and that the ICP is being set up.",
    ),
    (
        "Draft ICB constitution",
        "constitution",
        _offset(D(2021, 12, 17)),
        "17 December 2021 [001]: appointments, governance measures and engagement (R14).",
    ),
    (
        "Designate the other executives, non-executive members and place leaders",
        "appointment",
        _offset(D(2021, 12, 31)),
        "End of Q3 [002]; board and senior appointments confirmed by the end of 2021 [003].",
    ),
    (
        "Final ICB constitution submitted to NHS England",
        "constitution",
        _offset(D(2021, 12, 31)),
        "31 December 2021 [001] (R14).",
    ),
    (
        "Functions and decisions map and scheme of reservation and delegation agreed",
        "constitution",
        _offset(D(2022, 3, 1)),
        "The seeds give no date [003 App 1] (R15, R29): set a month before go-live so the "
        "board can adopt them at its first meeting.",
    ),
    (
        "Readiness to operate statement co-signed by the chief executive designate and the "
        "regional director",
        "readiness_to_operate",
        _offset(D(2022, 3, 15)),
        "March 2022 [001].",
    ),
    (
        "Due diligence on asset and liability transfers complete",
        "due_diligence",
        _offset(D(2022, 3, 31)),
        "End of March 2022 [003], following the ICS Establishment Guidance (Due Diligence).",
    ),
    (
        "Staff and property transfer schedules agreed",
        "due_diligence",
        _offset(D(2022, 3, 31)),
        "End of Q4 [002].",
    ),
    (
        "Remaining board and committee roles appointed",
        "appointment",
        _offset(D(2022, 3, 31)),
        "End of Q4 [002] (R20, R21).",
    ),
    (
        "Memorandum of understanding with NHS England signed",
        "other",
        _offset(D(2022, 3, 31)),
        "End of Q4 [002].",
    ),
    (
        "Formal agreement with the VCSE sector in place",
        "vcse_agreement",
        0,
        "Due at go-live [001, 003] (R16).",
    ),
    (
        "Acute and mental health trusts in a provider collaborative",
        "other",
        0,
        "Due at go-live [000] (R13).",
    ),
    (
        "Engagement strategy published",
        "other",
        0,
        "Due at go-live [000-003].",
    ),
    (
        "ICB established: staff and property transferred, board in place",
        "go_live",
        0,
        "Go-live [000-004]: 1 April 2022 originally, 1 July 2022 for Somerset.",
    ),
    (
        "Integrated care partnership established jointly with the local authorities",
        "other",
        90,
        "After the ICB, convened jointly by the ICB and the local authorities (R7); "
        "Somerset's ICP first met on 27 September 2022.",
    ),
    (
        "Place governance model and single accountable person agreed for each place",
        "place_governance_model",
        _offset(D(2023, 4, 1)),
        "The white paper's shared outcomes start in April 2023 [004b] (R11, R12).",
    ),
]

SCHEDULE_NAME = "Reminders: dispatch what is due"
DISPATCH_TASK = "reminders.dispatch"


def forwards(apps, schema_editor):
    ReminderPolicy = apps.get_model("reminders", "ReminderPolicy")
    ChecklistTemplate = apps.get_model("reminders", "ChecklistTemplate")
    ChecklistTemplateItem = apps.get_model("reminders", "ChecklistTemplateItem")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    if not ReminderPolicy.objects.filter(ics__isnull=True).exists():
        ReminderPolicy.objects.create()

    template, _ = ChecklistTemplate.objects.get_or_create(
        name=TEMPLATE, defaults={"description": TEMPLATE_DESCRIPTION}
    )
    for order, (title, category, offset, description) in enumerate(ITEMS):
        ChecklistTemplateItem.objects.get_or_create(
            template=template,
            title=title,
            defaults={
                "category": category,
                "offset_days": offset,
                "description": description,
                "order": order,
            },
        )

    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "task": DISPATCH_TASK,
            "interval": every_five_minutes,
            "description": "Finds the milestones, terms of office, vacancies and registers "
            "of interests due for a reminder, writes the outbox and enqueues the e-mails. "
            "Safe to run at any moment, any number of times.",
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SCHEDULE_NAME
    ).delete()
    apps.get_model("reminders", "ChecklistTemplate").objects.filter(name=TEMPLATE).delete()
    apps.get_model("reminders", "ReminderPolicy").objects.filter(ics__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        AddCompositeForeignKey(
            model_name="milestone",
            name="reminders_milestone_body_same_ics",
            columns=["body_id", "ics_id"],
            to_model="bodies.Body",
            to_columns=["id", "ics_id"],
        ),
        migrations.RunPython(forwards, backwards),
    ]
