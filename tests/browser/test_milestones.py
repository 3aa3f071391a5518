"""The demo officer works through Somerset's readiness checklist in a real browser: opens
the milestones, marks an open one done with its evidence (refused first without it), sees
it done, and reopens it (so the shared demo data is as it was for the other tests)."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, fill_date
from tests.demo_data import SOMERSET

MILESTONES = f"/systems/{SOMERSET}/milestones/"
# An open milestone of the demo that no other browser test looks at.
TITLE = "Acute and mental health trusts in a provider collaborative"


def row_of(page, title):
    return page.get_by_role("row").filter(has_text=title)


def test_the_officer_completes_an_open_milestone_with_its_evidence(signed_in_page):
    page = signed_in_page
    page.goto(f"/systems/{SOMERSET}/")
    page.get_by_role("link", name="Milestones and readiness checklist").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Milestones and readiness")
    expect(page.locator("main")).to_contain_text("% done")
    expect(row_of(page, TITLE)).to_contain_text(re.compile("in progress", re.IGNORECASE))
    assert_accessible(page, screenshot="milestones-desktop")

    row_of(page, TITLE).get_by_role("link", name=re.compile("Mark done")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(page)
    date = page.get_by_role("group", name="Completed date")
    fill_date(date, "2", "3", "2026")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Record the evidence")
    expect(page.locator(".nhsuk-form-group--error")).to_contain_text("Evidence note")
    assert_accessible(page, screenshot="milestone-complete-error-desktop")

    page.get_by_label("Evidence note").fill("Collaborative agreement signed, board 2 March 2026.")
    page.get_by_role("button", name="Mark done").click()

    expect(page).to_have_url(re.compile(f"{MILESTONES}#milestone-\\d+$"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "completed on 2 March 2026"
    )
    row = row_of(page, TITLE)
    expect(row.locator(".nhsuk-tag--green")).to_have_text("Done")
    expect(row).to_contain_text("Collaborative agreement signed")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("Reopen")).click()
    assert_accessible(page)
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Reopen").click()
    expect(row_of(page, TITLE)).to_contain_text(re.compile("in progress", re.IGNORECASE))


def test_the_milestones_on_a_phone_and_filtered_are_accessible(page, signed_in_phone_page):
    phone_page = signed_in_phone_page
    phone_page.goto(MILESTONES)
    assert_accessible(phone_page, screenshot="milestones-phone")
    phone_page.goto(MILESTONES + "?status=nonsense")
    expect(phone_page.locator(".nhsuk-error-summary")).to_contain_text("Choose a status")
    assert_accessible(phone_page)
    phone_page.goto(MILESTONES + "?open=true")
    assert_accessible(phone_page, screenshot="milestones-filtered-phone")

    # Signed out, the milestones are not found: they are the system's officers' own.
    assert page.goto(MILESTONES).status == 404
