"""Meetings and decisions in a real browser (journeys 5, 6 and 8): a member of the public
reads a demo board meeting with its votes and the computed outcome, the register of
interests and the functions map; the officer records attendance and sees the quorum
change. Every page is checked with axe-core."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import E_MAIL, assert_accessible
from tests.demo_data import SOMERSET


def open_meeting(page, day: str, committee: str):
    page.goto(f"/systems/{SOMERSET}/meetings/")
    row = page.get_by_role("row").filter(has_text=committee).filter(has_text=day)
    row.first.get_by_role("link", name=day).click()


def test_the_public_reads_a_board_meeting_with_its_votes_and_outcome(page, phone_page):
    page.goto(f"/systems/{SOMERSET}/meetings/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meetings")
    assert_accessible(page, screenshot="decisions-meetings")

    open_meeting(page, "8 September 2022", "NHS Somerset Integrated Care Board")
    main = page.locator("main")
    expect(main).to_contain_text("Board assurance framework 2022/23")
    expect(main).to_contain_text("Quorate:")
    expect(main).to_contain_text("Carried by a simple majority")
    expect(page.get_by_role("table").first).to_contain_text("For")
    # The Part B item (12, urgent decision on winter funding) is not shown signed out.
    expect(main).not_to_contain_text("winter discharge funding")
    expect(main).not_to_contain_text("Record attendance")
    assert not E_MAIL.search(main.inner_text())
    assert_accessible(page, screenshot="decisions-meeting")

    phone_page.goto(page.url)
    expect(phone_page.locator("main")).to_contain_text("Board assurance framework")
    assert_accessible(phone_page, screenshot="decisions-meeting-phone")


def test_the_register_of_interests_and_the_functions_map_are_public(page):
    page.goto(f"/systems/{SOMERSET}/functions/?as_of=2023-03-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Functions and decisions map")
    expect(page.locator("main")).to_contain_text("Primary medical services")
    assert_accessible(page, screenshot="decisions-functions")

    page.goto(f"/systems/{SOMERSET}/meetings/")
    open_meeting(page, "10 November 2022", "NHS Somerset Integrated Care Board")
    expect(page.locator("main")).to_contain_text("Conflicts of interest")
    page.get_by_role("link", name=re.compile("Register of interests of")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register of interests")
    expect(page.locator("main")).not_to_contain_text("Private notes")
    assert not E_MAIL.search(page.locator("main").inner_text())
    assert_accessible(page, screenshot="decisions-register")


def record_attendance(page, status: str):
    page.get_by_role("link", name="Record attendance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record attendance")
    for select in page.locator("form[method=post] select").all():
        select.select_option(status)
    page.get_by_role("button", name="Save attendance").click()


def test_the_officer_records_apologies_and_sees_the_quorum_change(signed_in_page):
    page = signed_in_page
    # The Audit Committee of 15 February 2023: no other test looks at it, and it is put
    # back as it was at the end.
    open_meeting(page, "15 February 2023", "Audit Committee")
    main = page.locator("main")
    expect(main).to_contain_text("Quorate:")

    record_attendance(page, "apologies")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    expect(main).to_contain_text("Attendance at")
    expect(main).to_contain_text("Not quorate: 0 voting members counted")
    expect(main).to_contain_text("Not validly made")
    assert_accessible(page, screenshot="decisions-meeting-not-quorate")

    page.get_by_role("link", name="Record attendance").click()
    assert_accessible(page, screenshot="decisions-attendance-form")
    page.go_back()
    record_attendance(page, "present")
    expect(main).not_to_contain_text("Not quorate")
    expect(main).to_contain_text("Quorate:")


def test_the_officers_votes_and_declaration_forms_are_accessible(
    signed_in_page, signed_in_phone_page
):
    """The forms an officer fills after a meeting and when a member declares an interest,
    on a desktop and a phone (opened, not saved: other tests read the same demo)."""
    from decisions.models import Decision
    from memberships.models import Membership

    decision = Decision.objects.filter(meeting__committee__ics__code=SOMERSET).first()
    member = Membership.objects.filter(ics__code=SOMERSET, end__isnull=True).first()
    pages = (f"/decisions/{decision.pk}/votes/", f"/people/{member.person_id}/declarations/add/")
    for tab in (signed_in_page, signed_in_phone_page):
        for url in pages:
            tab.goto(url)
            expect(tab.locator("main form")).to_be_visible()
            assert_accessible(tab)
