"""Issue 12 in a real browser: the demo officer fills a vacant seat through the
appointment pages, from the system's appointments to the appointment, and each page is
accessible at desktop and phone width.

The demo data is shared by the package's browser tests: the walk fills the vacant chair
of Dorset's Remuneration Committee, which no other browser test looks at. Somerset's
round for its Healthwatch seat is only looked at.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import AppointmentRound, Stage
from tests.browser.helpers import assert_accessible, assert_no_sideways_scrolling, fill_date
from tests.demo_data import SOMERSET

DORSET = "QVV"
COMMITTEE = "Remuneration Committee"
SEAT = "Non-executive chair"


def test_the_officer_fills_a_vacant_seat_from_vacancy_to_appointment(signed_in_page):
    page = signed_in_page
    today = timezone.localdate()
    page.goto(f"/systems/{DORSET}/")
    page.get_by_role("link", name=re.compile("Appointments: rounds under way")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Appointments")
    row = page.locator("#vacancy-report tbody tr").filter(has_text=COMMITTEE)
    expect(row).to_contain_text(SEAT)
    assert_accessible(page)

    # Open a round for the vacant seat; a deadline before the opening is refused.
    row.get_by_role("link", name=re.compile("Start a round")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start an appointment round")
    expect(page.get_by_label("The seat is vacant")).to_be_checked()
    fill_date(page.get_by_role("group", name="Nominations close (optional)"), 1, 1, 2020)
    page.get_by_role("button", name="Start the round").click()
    expect(page.locator("#id_nominations_close-error")).to_contain_text(
        "The deadlines follow the round"
    )
    assert_accessible(page, screenshot="appointment-open-errors-desktop")
    nominations = page.get_by_role("group", name="Nominations close (optional)")
    for box in ("Day", "Month", "Year"):
        nominations.get_by_label(box).fill("")
    page.get_by_role("button", name="Start the round").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "An appointment round for"
    )
    expect(page.locator("#round-summary")).to_contain_text("Nominating")

    # A candidate, added as a new person, is selected.
    candidate = page.locator("#candidate")
    candidate.get_by_label("Or a new person: given name").fill("Ngozi")
    candidate.get_by_label("Family name").fill("Okafor-Reid")
    fill_date(candidate, today.day, today.month, today.year)
    candidate.get_by_role("button", name="Add candidate").click()
    expect(page.locator("#candidates")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ngozi Okafor-Reid")
    select = page.locator("#select")
    select.get_by_label("Ngozi Okafor-Reid").check()
    select.get_by_role("button", name="Select candidate").click()
    # A committee's chair is the board's choice: no approval beyond the selection (the
    # approval form's refusals and records are tested in tests/test_web_appointments.py).
    expect(page.locator("#round-summary")).to_contain_text("Agreed, to be appointed")
    expect(page.locator("#approve")).to_have_count(0)

    # The appointment makes the membership.
    appoint = page.locator("#appoint")
    first_day = appoint.get_by_role("group", name="First day in the seat")
    fill_date(first_day, today.day, today.month, today.year)
    appoint.get_by_role("button", name="Appoint").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Ngozi Okafor-Reid is appointed"
    )
    expect(page.locator("#appointment-made")).to_contain_text("Ngozi Okafor-Reid was appointed")
    assert_accessible(page, screenshot="appointment-round-appointed-desktop")
    round = AppointmentRound.objects.get(seat__committee__name=COMMITTEE, seat__ics__code=DORSET)
    assert round.stage == Stage.APPOINTED
    assert round.membership.person_name == "Ngozi Okafor-Reid"

    page.locator("#appointment-made").get_by_role("link").click()
    row = page.locator("#seats tbody tr").filter(has_text=SEAT)
    expect(row).to_contain_text("Ngozi Okafor-Reid")


def test_the_appointment_pages_are_accessible_on_a_phone_and_signed_out(page, signed_in_phone_page):
    phone = signed_in_phone_page
    phone.goto(f"/systems/{SOMERSET}/appointments/")
    assert_no_sideways_scrolling(phone)
    assert_accessible(phone, screenshot="appointments-phone")
    phone.locator("#open-rounds").get_by_role("link", name=re.compile("Healthwatch")).click()
    expect(phone.locator("#candidates")).to_be_visible()
    assert_no_sideways_scrolling(phone)
    assert_accessible(phone, screenshot="appointment-round-phone")

    page.goto(f"/systems/{SOMERSET}/appointments/")
    assert_accessible(page, screenshot="appointments-desktop")
    page.locator("#open-rounds").get_by_role("link", name=re.compile("Healthwatch")).click()
    # Signed out, the round shows who nominated but not whom, and no forms.
    expect(page.locator("main")).to_contain_text("Healthwatch Somerset")
    expect(page.locator("#candidates")).to_have_count(0)
    expect(page.locator("#next-steps")).to_have_count(0)
    assert_accessible(page, screenshot="appointment-round-desktop")
