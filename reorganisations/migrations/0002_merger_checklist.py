"""The "ICB merger" checklist (R31), after NHS England's procedure for ICB mergers and
boundary changes.

Source [NHSE-2025]: NHS England, "Integrated care system boundary changes and mergers
procedure": guidance supporting the NHS England-led ICB mergers and boundary changes taking
effect on 1 April 2026 and 1 April 2027, published 23 September 2025,
https://www.england.nhs.uk/publication/integrated-care-system-boundary-changes-and-mergers-procedure
(with the ICB-led procedure of 11 October 2023 on the same page).

The steps are the procedure's: footprint confirmed by NHS England, leadership designated,
constitution consulted on and agreed, due diligence and the transfer of staff, property,
rights and liabilities, the successor's governance (scheme of reservation and delegation,
functions and decisions map) and delegation agreements, a readiness statement, NHS England's
order abolishing the predecessors and establishing the successor, then the first board and
the closing of the predecessors' accounts. The offsets (days from the effective date) are
this registry's suggested timetable, not dates the procedure sets: each system moves its
milestones to the dates agreed with its NHS England region.
"""

from django.db import migrations

TEMPLATE = "ICB merger"
DESCRIPTION = (
    "Preparing a merger or boundary change of integrated care boards, after NHS England's "
    "'Integrated care system boundary changes and mergers procedure' (23 September 2025) "
    "[NHSE-2025]. Due dates count from the plan's effective date (e.g. 1 April 2026); the "
    "offsets are a suggested timetable, to be moved to the dates agreed with the region."
)
SOURCE = " [NHSE-2025]"
# (title, category, days from the effective date, what counts as done)
ITEMS = [
    (
        "Footprint, predecessors and effective date confirmed with NHS England",
        "other",
        -180,
        "The region's confirmation of the new footprint and the ICBs it replaces.",
    ),
    (
        "Successor ICB chair designate appointed",
        "appointment",
        -150,
        "Recorded as a designate appointment on the successor board's chair seat.",
    ),
    (
        "Successor ICB chief executive designate appointed",
        "appointment",
        -120,
        "Recorded as a designate appointment on the chief executive seat.",
    ),
    (
        "Successor constitution consulted on and submitted to NHS England",
        "constitution",
        -90,
        "The consultation held and the proposed constitution sent for approval (R14).",
    ),
    (
        "Executive, non-executive and partner members designate appointed",
        "appointment",
        -75,
        "Every seat of the successor board has a designate (the plan's dry run shows the "
        "board complying on the effective date).",
    ),
    (
        "Due diligence on the predecessors completed",
        "due_diligence",
        -75,
        "Finances, contracts, risks, legal claims and information governance of each "
        "predecessor reviewed and reported to the boards.",
    ),
    (
        "Transfer of staff, property, rights and liabilities agreed",
        "due_diligence",
        -60,
        "The transfer scheme (staff consultation included) agreed by the predecessors' boards.",
    ),
    (
        "Scheme of reservation and delegation and functions and decisions map agreed",
        "constitution",
        -30,
        "The successor's scheme and map ready for its first board (R15, R29).",
    ),
    (
        "Delegation agreements and partnership agreements renewed for the successor",
        "constitution",
        -30,
        "NHS England delegations, section 75 agreements and joint committees re-made with "
        "the successor as party (the plan transfers the registry's delegations).",
    ),
    (
        "Readiness to operate statement signed off",
        "readiness_to_operate",
        -14,
        "Signed by the chief executive designate and the regional director.",
    ),
    (
        "Order abolishing the predecessors and establishing the successor made",
        "go_live",
        -7,
        "NHS England's order published; apply the reorganisation plan in the registry.",
    ),
    (
        "Successor board's first meeting: constitution, standing orders and scheme adopted",
        "go_live",
        0,
        "Minutes of the first meeting; designate members now substantive.",
    ),
    (
        "Registers of interests, websites and ODS records updated for the successor",
        "go_live",
        30,
        "Every board member's declaration on the successor's register; ODS shows the new code.",
    ),
    (
        "Predecessors' final annual reports and accounts completed",
        "other",
        90,
        "The last year's reports and accounts of each abolished ICB, laid by the successor.",
    ),
]


def forwards(apps, schema_editor):
    ChecklistTemplate = apps.get_model("reminders", "ChecklistTemplate")
    ChecklistTemplateItem = apps.get_model("reminders", "ChecklistTemplateItem")
    template, _ = ChecklistTemplate.objects.get_or_create(
        name=TEMPLATE, defaults={"description": DESCRIPTION}
    )
    for order, (title, category, offset, description) in enumerate(ITEMS):
        ChecklistTemplateItem.objects.get_or_create(
            template=template,
            title=title,
            defaults={
                "category": category,
                "offset_days": offset,
                "description": description + SOURCE,
                "order": order,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("reminders", "ChecklistTemplate").objects.filter(name=TEMPLATE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reorganisations", "0001_reorganisation_plans"),
        ("reminders", "0002_establishment_checklist_and_schedule"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
