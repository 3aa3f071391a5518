"""Journey 7, "Prepare a merger", in a real browser: the demo officer records the example
plan from its file (refused first when it does not read), checks it in a dry run that
changes nothing, generates the merger checklist, and applies the plan.

The demo has no plan and no system the example names, so the module records two
fictional ICBs ready to merge (Northshire, Q9A, and Southshire, Q9B, as
``tests.reorganisation_builders`` does), makes the demo officer an officer of both, and
afterwards removes every row it and the pages added: the other browser tests find the
demo as it was.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection, models, transaction
from playwright.sync_api import expect

from bodies.models import IntegratedCareSystem, SystemStatus
from demo.loader import OFFICER_USERNAME
from officers.services import system_officers_group
from reminders.models import Milestone
from reorganisations.models import PlanStatus, ReorganisationPlan
from tests.browser.helpers import assert_accessible, assert_no_sideways_scrolling
from tests.reorganisation_builders import FIXTURE, merger_ready

PLAN = "Northshire and Southshire merger"
# A dry run is the whole apply, rolled back: seconds, on a busy test machine tens of them.
SLOW = 120_000


def _tables():
    """Every table with a whole-number id, its name and its id column."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            pk = model._meta.pk
            if isinstance(pk, models.AutoField | models.BigAutoField):
                yield model._meta.db_table, pk.column


def _high_water_marks() -> dict:
    marks = {}
    with connection.cursor() as cursor:
        for table, column in _tables():
            cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')
            marks[(table, column)] = cursor.fetchone()[0]
    return marks


def _remove_rows_after(marks: dict) -> None:
    """Delete every row added since ``marks``, audit events included, without recording
    the deletions (triggers off for this transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for (table, column), mark in marks.items():
            cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" > %s', [mark])


@pytest.fixture(scope="module")
def merger(demo_server, django_db_blocker):
    with django_db_blocker.unblock():
        marks = _high_water_marks()
        ready = merger_ready()
        officer = get_user_model().objects.get(username=OFFICER_USERNAME)
        officer.groups.add(*(system_officers_group(i) for i in (ready.north.ics, ready.south.ics)))
        officer.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="reorganisations")
        )
    yield ready
    with django_db_blocker.unblock():
        _remove_rows_after(marks)


def banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def test_the_officer_prepares_and_applies_a_merger(merger, signed_in_page, signed_in_phone_page):
    page, phone = signed_in_page, signed_in_phone_page
    for tab in (page, phone):
        tab.set_default_timeout(SLOW)

    # The plans, from the header.
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Reorganisation plans"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reorganisation plans")
    expect(page.locator("#plans")).to_contain_text("BSW, Dorset and Somerset merger (illustrative)")
    assert_accessible(page, screenshot="reorganisations-list")

    # A plan that does not read is refused beside the document, naming its place.
    page.get_by_role("link", name="Record a new plan").click()
    page.get_by_label("Plan document").fill(
        FIXTURE.read_text(encoding="utf-8").replace("kind: merger", "kind: takeover")
    )
    page.get_by_role("button", name="Record the plan").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("kind: 'takeover' is not one of")
    expect(page.locator(".nhsuk-form-group--error")).to_contain_text("Plan document")
    assert_accessible(page, screenshot="reorganisation-form-error")
    assert not ReorganisationPlan.objects.filter(name__startswith="Northshire").exists()

    # The plan's file, chosen: it is used instead of the text in the box.
    page.get_by_label("Or choose the plan's file").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Record the plan").click()
    expect(banner(page)).to_contain_text("is recorded as a draft")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN)
    expect(page.locator("#plan-summary")).to_contain_text("Draft")
    expect(page.locator("#plan-summary")).to_contain_text("Northshire")
    page.get_by_text("Show the plan document (YAML)").click()
    expect(page.locator("#document pre")).to_contain_text("format: ics-registry/")
    assert_accessible(page, screenshot="reorganisation-plan-draft")
    plan_url = page.url

    # The dry run: every change and the successor board's compliance; nothing written.
    page.get_by_role("link", name="Check the plan (dry run)").click()
    expect(page.locator("#nothing-changed")).to_contain_text("Nothing has been changed")
    expect(page.locator("#compliance")).to_contain_text("The successor board on 1 April 2026")
    expect(page.locator("main")).to_contain_text("Memberships ended")
    assert_accessible(page, screenshot="reorganisation-dry-run")
    assert not IntegratedCareSystem.objects.filter(code="Q9M").exists()

    # On a phone, the plan, its dry run and its form read without sideways scrolling.
    for path, name in (
        (plan_url, "plan"),
        (f"{plan_url}dry-run/", "dry-run"),
        (f"{plan_url}edit/", "form"),
    ):
        phone.goto(path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert_no_sideways_scrolling(phone)
        assert_accessible(phone, screenshot=f"reorganisation-{name}-phone")

    # The merger checklist, as the lead predecessor's milestones.
    page.goto(plan_url)
    page.get_by_role("link", name="Generate the merger checklist").click()
    assert_accessible(page, screenshot="reorganisation-checklist")
    page.get_by_role("button", name="Generate the checklist").click()
    expect(page).to_have_url(re.compile(r"/systems/Q9A/milestones/$"))
    expect(banner(page)).to_contain_text("checklist are added to Northshire")
    assert_accessible(page)
    assert Milestone.objects.filter(ics=merger.north.ics).exists()

    # Applying: the what-if again under a warning, then the plan applied.
    page.goto(plan_url)
    page.get_by_role("link", name="Apply plan").click()
    expect(page.locator(".nhsuk-card--warning")).to_contain_text("cannot be undone")
    assert_accessible(page, screenshot="reorganisation-apply")
    page.get_by_role("button", name="Apply plan").click()
    expect(page).to_have_url(plan_url)
    expect(banner(page)).to_contain_text(
        "Northshire and Southshire (Q9M) is established from 1 April 2026"
    )
    expect(page.locator("#plan-summary")).to_contain_text("Applied")
    assert_accessible(page, screenshot="reorganisation-plan-applied")
    assert ReorganisationPlan.objects.get(name__startswith="Northshire").status == (
        PlanStatus.APPLIED
    )
    assert IntegratedCareSystem.objects.get(code="Q9A").status == SystemStatus.ABOLISHED

    # The officer, an officer of the predecessors, is one of the successor's now too.
    links = page.locator("#successor-links")
    expect(links.get_by_role("link", name=re.compile("^Milestones and readiness"))).to_be_visible()
    links.get_by_role("link", name=re.compile("^Northshire and Southshire:")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northshire and Southshire")
    assert_accessible(page)
