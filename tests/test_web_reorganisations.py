"""Reorganisation plans on the officers' pages (journey 7, "Prepare a merger"): the plans
are public; recording, checking, the merger checklist and applying are for an officer of
every system a plan involves, through ``reorganisations.services`` only. A refusal names
its place in the file and writes nothing; a dry run writes nothing at all.

The plan is the documented example (``tests/fixtures/reorganisation_plan.yaml``):
Northshire (Q9A) and Southshire (Q9B) merge into Northshire and Southshire (Q9M).
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bodies.models import IntegratedCareSystem, SystemStatus
from officers.services import system_officers_group
from reminders.models import Milestone
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.services import reorganisation_plan_create, reorganisation_plan_update
from tests.api_support import make_officer
from tests.factories import IntegratedCareSystemFactory
from tests.reorganisation_builders import FIXTURE, PLAN_TEXT, merger_ready
from tests.test_reorganisation_boundary_transfer import TRANSFER
from tests.test_reorganisation_carry_over import with_a_place
from tests.test_reorganisation_plans import changed, edited, row_counts
from web.concurrency import version_of

pytestmark = pytest.mark.django_db


def with_plan_permissions(user):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="reorganisations"))
    return user


def officer_of(user, ics):
    user.groups.add(system_officers_group(ics))


@pytest.fixture
def s():
    return merger_ready()


@pytest.fixture
def officer(s):
    return with_plan_permissions(make_officer(s.north.ics, s.south.ics, username="lead"))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def other_client(client, s):
    other = IntegratedCareSystemFactory(code="QOX", name="Elsewhere")
    client.force_login(with_plan_permissions(make_officer(other, username="other")))
    return client


@pytest.fixture
def plan(s, officer):
    return reorganisation_plan_create(document=PLAN_TEXT, by=officer)


def url(name, plan=None):
    return reverse(f"web:{name}", args=[plan.pk] if plan else [])


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# -- The list and a plan: public ----------------------------------------------------------


def test_the_list_shows_each_plan_to_everyone(client, plan):
    response = client.get(url("reorganisations"))
    assert response.status_code == 200
    page = text(response)
    assert "Northshire and Southshire merger" in page
    assert "Merger" in page and "1 April 2026" in page and "Draft" in page
    assert "Northshire" in page and "Southshire" in page
    assert url("reorganisation", plan) in response.content.decode()
    # Signed out, nothing offers to record a plan.
    assert "Record a new plan" not in page


def test_the_list_offers_a_new_plan_to_an_officer(officer_client, plan):
    assert "Record a new plan" in text(officer_client.get(url("reorganisations")))


def test_the_list_runs_the_same_queries_for_one_plan_as_for_three(client, s, officer):
    reorganisation_plan_create(document=PLAN_TEXT, by=officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("reorganisations")).status_code == 200
        return len(captured)

    one = queries()
    for n in (2, 3):
        reorganisation_plan_create(
            document=edited(
                **{"name: Northshire and Southshire merger": f"name: Merger number {n}"}
            ),
            by=officer,
        )
    assert queries() == one
    assert one <= 4


def test_a_plan_shows_its_summary_and_document_to_everyone(client, plan):
    response = client.get(url("reorganisation", plan))
    assert response.status_code == 200
    page, html = text(response), response.content.decode()
    assert "Predecessors" in page and "Successor" in page
    assert "NHS Northshire and Southshire ICB" in page
    assert "31 March 2026" in page  # the predecessors' last day
    assert reverse("web:system", args=["Q9A"]) in html
    assert reverse("web:system", args=["Q9B"]) in html
    assert '<details class="nhsuk-details" id="document">' in html
    assert "format: ics-registry/reorganisation-plan@1" in html
    # The public sees no officer's action.
    for action in ("Check the plan (dry run)", "Edit plan", "Apply plan", "merger checklist"):
        assert action not in page


def test_an_officer_of_every_system_involved_sees_the_actions(officer_client, plan):
    page = text(officer_client.get(url("reorganisation", plan)))
    for action in (
        "Check the plan (dry run)",
        "Edit plan",
        "Generate the merger checklist",
        "Apply plan",
    ):
        assert action in page
    assert "The merger checklist has not been generated yet" in page


def test_an_officer_of_one_system_only_sees_no_action(client, s, plan):
    client.force_login(with_plan_permissions(make_officer(s.north.ics, username="half")))
    page = text(client.get(url("reorganisation", plan)))
    assert "Apply plan" not in page and "Check the plan" not in page
    assert client.get(url("reorganisation_dry_run", plan)).status_code == 404


# -- Who may open the officers' pages -----------------------------------------------------


@pytest.mark.parametrize(
    "name", ["reorganisation_dry_run", "reorganisation_edit", "reorganisation_checklist"]
)
def test_the_officers_pages_send_the_signed_out_to_sign_in(client, plan, name):
    response = client.get(url(name, plan))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    response = client.get(url("reorganisation_new"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "reorganisation_dry_run",
        "reorganisation_edit",
        "reorganisation_checklist",
        "reorganisation_apply",
    ],
)
def test_an_officer_of_other_systems_does_not_find_the_officers_pages(other_client, plan, name):
    assert other_client.get(url(name, plan)).status_code == 404
    if name != "reorganisation_dry_run":  # a dry run is a GET: it writes nothing
        assert other_client.post(url(name, plan)).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_an_officer_without_the_permission_to_change_plans_is_refused(client, s, plan):
    officer = make_officer(s.north.ics, s.south.ics, username="no_plans")
    officer.user_permissions.remove(
        *Permission.objects.filter(content_type__app_label="reorganisations")
    )
    client.force_login(officer)
    assert client.get(url("reorganisation_dry_run", plan)).status_code == 403
    assert client.get(url("reorganisation_new")).status_code == 403


# -- The dry run --------------------------------------------------------------------------


def test_the_dry_run_shows_every_change_and_the_successors_compliance_writing_nothing(
    officer_client, plan
):
    before = row_counts()
    response = officer_client.get(url("reorganisation_dry_run", plan))
    assert response.status_code == 200
    assert changed(before) == {}
    page = text(response)
    assert "Nothing has been changed" in page
    for section in (
        "Successor established",
        "Seats of the successor board",
        "Appointments",
        "Memberships ended",
        "Abolished",
        "Successions",
    ):
        assert section in page
    assert "System Northshire and Southshire (Q9M), going live 1 April 2026" in page
    assert "The successor board on 1 April 2026" in page
    report = response.context["compliance"]
    assert all(not f.met for f, _ in response.context["unmet"])
    assert all(f.met for f in response.context["met"])
    assert len(response.context["met"]) + len(response.context["unmet"]) == len(report.findings)
    assert not IntegratedCareSystem.objects.filter(code="Q9M").exists()


def test_the_dry_run_of_an_inconsistent_plan_names_each_problem_and_its_place(
    officer_client, officer, s
):
    plan = reorganisation_plan_create(
        document=edited(**{"seat: Primary care partner member": "seat: Nobody's seat"}),
        by=officer,
    )
    response = officer_client.get(url("reorganisation_dry_run", plan))
    assert response.status_code == 200
    page = text(response)
    assert "The plan cannot be carried out as it stands" in page
    assert "memberships[8].from.seat: no seat 'Nobody's seat'" in page.replace("&#x27;", "'")
    assert "Nothing has been changed" in page
    assert "Apply plan" not in page


# -- Recording a plan ---------------------------------------------------------------------


def test_an_officer_records_a_plan_by_pasting_it(officer_client, officer, s):
    response = officer_client.post(url("reorganisation_new"), {"document": PLAN_TEXT})
    plan = ReorganisationPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == url("reorganisation", plan)
    assert plan.name == "Northshire and Southshire merger"
    assert set(plan.systems.values_list("code", flat=True)) == {"Q9A", "Q9B"}
    assert plan.events.last().pgh_context.metadata["user"] == officer.pk
    page = text(officer_client.get(response["Location"]))
    assert "is recorded as a draft" in page


def test_an_officer_records_a_plan_from_its_file(officer_client, s):
    upload = SimpleUploadedFile("plan.yaml", FIXTURE.read_bytes(), "application/x-yaml")
    response = officer_client.post(url("reorganisation_new"), {"document": "", "file": upload})
    assert response.status_code == 302
    assert ReorganisationPlan.objects.get().document == PLAN_TEXT


@pytest.mark.parametrize(
    "document, message",
    [
        ("", "Paste the plan or choose its file"),
        ("name: [unclosed", "line 1, column"),
        (edited(**{"effective: 2026-04-01": "effective: 1st April"}), "effective: '1st April'"),
        (edited(**{"kind: merger": "kind: takeover"}), "kind: 'takeover' is not one of"),
    ],
)
def test_a_plan_that_does_not_read_is_refused_beside_the_document(
    officer_client, s, document, message
):
    response = officer_client.post(url("reorganisation_new"), {"document": document})
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors["document"])
    page = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in page
    assert 'href="#id_document"' in page  # the error summary links to the field
    assert "nhsuk-textarea--error" in page
    assert not ReorganisationPlan.objects.exists()


def test_a_file_that_does_not_read_is_shown_in_the_box_to_correct(officer_client, s):
    broken = PLAN_TEXT.replace("kind: merger", "kind: takeover")
    upload = SimpleUploadedFile("plan.yaml", broken.encode(), "application/x-yaml")
    response = officer_client.post(url("reorganisation_new"), {"file": upload})
    assert response.status_code == 400
    assert "kind: takeover" in response.content.decode()
    assert not ReorganisationPlan.objects.exists()


def test_a_second_plan_of_the_same_name_is_refused_naming_the_key(officer_client, plan):
    response = officer_client.post(url("reorganisation_new"), {"document": PLAN_TEXT})
    assert response.status_code == 400
    errors = response.context["form"].errors["document"]
    assert any(e.startswith("name: ") and "already exists" in e for e in errors)
    assert ReorganisationPlan.objects.count() == 1


def test_an_officer_of_one_predecessor_may_not_record_a_plan_of_both(client, s):
    client.force_login(with_plan_permissions(make_officer(s.north.ics, username="half")))
    response = client.post(url("reorganisation_new"), {"document": PLAN_TEXT})
    assert response.status_code == 400
    assert "You are not an officer of Q9B" in response.context["form"].errors["document"][0]
    assert not ReorganisationPlan.objects.exists()


def test_a_plan_naming_a_system_not_in_the_registry_is_refused(officer_client, s):
    response = officer_client.post(
        url("reorganisation_new"), {"document": edited(**{"- system: Q9B": "- system: Q9Z"})}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["document"]
    assert "predecessors[1].system: no system with code 'Q9Z'" in errors
    assert not ReorganisationPlan.objects.exists()


# -- Changing a plan ----------------------------------------------------------------------


def test_an_officer_changes_a_draft(officer_client, plan):
    response = officer_client.get(url("reorganisation_edit", plan))
    assert response.status_code == 200
    assert "format: ics-registry/reorganisation-plan@1" in response.content.decode()
    renamed = edited(**{"name: Northshire and Southshire merger": "name: The Shires merger"})
    response = officer_client.post(
        url("reorganisation_edit", plan),
        {"document": renamed, "version": version_of(plan)},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "The Shires merger" and plan.document == renamed


def test_a_stale_edit_is_refused_and_shows_the_plan_as_it_is(officer_client, officer, plan):
    opened = version_of(plan)
    elsewhere = edited(**{"effective: 2026-04-01": "effective: 2026-07-01"})
    reorganisation_plan_update(reorganisation_plan=plan, document=elsewhere, by=officer)
    renamed = edited(**{"name: Northshire and Southshire merger": "name: The Shires merger"})
    response = officer_client.post(
        url("reorganisation_edit", plan), {"document": renamed, "version": opened}
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in text(response)
    plan.refresh_from_db()
    assert plan.document == elsewhere and plan.name == "Northshire and Southshire merger"
    assert "effective: 2026-07-01" in response.content.decode()


def test_an_edit_that_does_not_read_changes_nothing(officer_client, plan):
    response = officer_client.post(
        url("reorganisation_edit", plan),
        {"document": "format: nonsense", "version": version_of(plan)},
    )
    assert response.status_code == 400
    assert any("format: expected" in e for e in response.context["form"].errors["document"])
    plan.refresh_from_db()
    assert plan.document == PLAN_TEXT


# -- The merger checklist -----------------------------------------------------------------


def test_generating_the_checklist_makes_the_lead_predecessors_milestones(officer_client, plan, s):
    response = officer_client.get(url("reorganisation_checklist", plan))
    assert response.status_code == 200
    assert "Generate the checklist" in text(response)
    response = officer_client.post(url("reorganisation_checklist", plan))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:milestones", args=["Q9A"])
    milestones = Milestone.objects.filter(ics=s.north.ics)
    assert milestones.count() > 5
    chair = s.north.chair[1].person
    assert milestones.filter(owner=chair).exists()
    page = text(officer_client.get(response["Location"]))
    assert "milestones of the ‘ICB merger’ checklist are added to Northshire" in page
    # Again: nothing more, and the plan's page says the checklist is there.
    officer_client.post(url("reorganisation_checklist", plan))
    assert Milestone.objects.filter(ics=s.north.ics).count() == milestones.count()
    assert "of the merger checklist" in text(officer_client.get(url("reorganisation", plan)))


def test_a_checklist_whose_owner_is_not_found_is_refused_writing_nothing(
    officer_client, officer, s
):
    plan = reorganisation_plan_create(
        document=edited(
            **{"appointment: {system: Q9A, seat: Chair}": "appointment: {system: Q9A, seat: Vicar}"}
        ),
        by=officer,
    )
    response = officer_client.post(url("reorganisation_checklist", plan))
    assert response.status_code == 400
    assert "checklist.owners.appointment.seat: no seat" in text(response).replace("&#x27;", "'")
    assert not Milestone.objects.exists()


# -- Applying a plan ----------------------------------------------------------------------


def test_the_apply_page_repeats_the_what_if_with_a_warning(officer_client, plan):
    before = row_counts()
    response = officer_client.get(url("reorganisation_apply", plan))
    assert response.status_code == 200
    assert changed(before) == {}
    page = text(response)
    assert "Applying the plan cannot be undone" in page
    assert "What the plan would do" in page and "The successor board on 1 April 2026" in page


def test_applying_writes_the_plan_and_says_so_with_links_to_the_successor(
    officer_client, officer, plan
):
    response = officer_client.post(url("reorganisation_apply", plan), {"version": version_of(plan)})
    assert response.status_code == 302 and response["Location"] == url("reorganisation", plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED and plan.applied_by == officer
    successor = IntegratedCareSystem.objects.get(code="Q9M")
    assert IntegratedCareSystem.objects.get(code="Q9A").status == SystemStatus.ABOLISHED
    page = officer_client.get(response["Location"])
    html, words = page.content.decode(), text(page)
    assert "nhsuk-notification-banner--success" in html
    assert "is applied: Northshire and Southshire (Q9M) is established from 1 April 2026" in words
    assert reverse("web:system", args=[successor.code]) in html
    assert "Applied" in words and "by lead" in words
    # Applied, it is no longer changed or applied again.
    assert "Edit plan" not in words and "Apply plan" not in words
    # The predecessors' officers are the successor's now, and it is one of the plan's
    # systems: they reach the successor's milestones from the plan.
    assert "You are not yet an officer of" not in words
    page = officer_client.get(url("reorganisation", plan))
    assert reverse("web:milestones", args=[successor.code]) in page.content.decode()
    for name in ("reorganisation_edit", "reorganisation_apply", "reorganisation_dry_run"):
        assert officer_client.get(url(name, plan)).status_code == 302


def test_the_public_sees_when_a_plan_was_applied_but_not_by_whom(client, officer, plan):
    from reorganisations.services import plan_apply

    plan_apply(plan=plan, by=officer)
    words = text(client.get(url("reorganisation", plan)))
    assert "Applied" in words and "by lead" not in words


def test_a_stale_apply_is_refused_and_writes_nothing(officer_client, officer, plan):
    opened = version_of(plan)
    reorganisation_plan_update(
        reorganisation_plan=plan,
        document=edited(**{"effective: 2026-04-01": "effective: 2026-07-01"}),
        by=officer,
    )
    response = officer_client.post(url("reorganisation_apply", plan), {"version": opened})
    assert response.status_code == 409
    assert "it was not applied" in text(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not IntegratedCareSystem.objects.filter(code="Q9M").exists()
    # The page now shows the plan as it is, ready to apply.
    assert "The successor board on 1 July 2026" in text(response)


def test_a_refused_apply_shows_why_and_writes_nothing(officer_client, officer, s):
    plan = reorganisation_plan_create(
        document=edited(**{"seat: Primary care partner member": "seat: Nobody's seat"}),
        by=officer,
    )
    before = row_counts()
    response = officer_client.post(url("reorganisation_apply", plan), {"version": version_of(plan)})
    assert response.status_code == 400
    assert "The plan was not applied" in text(response)
    assert "memberships[8].from.seat" in text(response)
    assert changed(before) == {}


def test_a_boundary_transfer_shows_its_existing_successor_and_says_what_applying_did(
    officer_client, officer, s
):
    with_a_place(s.north)
    s.north.council.ods_code = "NTC01"
    s.north.council.save()
    plan = reorganisation_plan_create(document=TRANSFER, by=officer)

    page = officer_client.get(url("reorganisation", plan))
    words = text(page)
    assert "Southshire (Q9B) Already established: it takes on what the plan moves" in words
    assert reverse("web:system", args=["Q9B"]) in page.content.decode()

    response = officer_client.post(url("reorganisation_apply", plan), {"version": version_of(plan)})
    assert response.status_code == 302
    words = text(officer_client.get(response["Location"]))
    assert "is applied: its changes to Q9B take effect from 1 April 2026" in words
