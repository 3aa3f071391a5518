"""Journeys 3 and 4 in a real browser: the demo officer ends a partner member's
membership, appoints a successor (a new person) to the vacant seat, is refused an
overlapping appointment beside the field, and has a stale seat edit refused.

The demo data is shared by the package's browser tests: these use seats of the
Southampton Partnership Board and Southampton City Transformation Delivery Group, which no
other browser test looks at, and put back the seat title they change.
"""

import re

from playwright.sync_api import expect

from committees.models import Seat
from memberships.models import EndReason, Membership
from tests.browser.helpers import assert_accessible, fill_date

SOUTHAMPTON = "Southampton Partnership Board"


def test_the_officer_ends_a_membership_and_appoints_a_new_member(
    signed_in_page, signed_in_phone_page
):
    page = signed_in_page
    held = Membership.objects.select_related("seat").get(
        person_name="Bernard Quayle", seat__committee__name=SOUTHAMPTON, end__isnull=True
    )
    seat, committee_id = held.seat, held.committee_id

    # Journey 3: the VCSE representative resigns.
    page.goto(f"/memberships/{held.pk}/end/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("End Bernard Quayle's membership")
    assert_accessible(page, screenshot="edits-membership-end-desktop")
    page.get_by_role("button", name="End the membership").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the last day in the seat")
    expect(page.locator("#id_end_reason-error")).to_contain_text("Choose why the membership ends")
    assert_accessible(page, screenshot="edits-membership-end-errors-desktop")
    fill_date(page, "30", "9", "2026")
    page.get_by_label("Resigned").check()
    page.get_by_role("button", name="End the membership").click()
    expect(page).to_have_url(re.compile(f"/committees/{committee_id}/$"))
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text(
        "Bernard Quayle's membership ends on 30 September 2026: VCSE representative is "
        "vacant from the next day."
    )
    assert_accessible(page)
    held.refresh_from_db()
    assert (held.end.isoformat(), held.end_reason) == ("2026-09-30", EndReason.RESIGNED)

    # Journey 4: appoint a new person from the vacant seat, on behalf of the VCSE alliance.
    page.goto(f"/seats/{seat.pk}/appoint/")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Quayle")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_label("Bernard Quayle")).to_be_visible()
    page.get_by_label("Add a new person").check()
    expect(page.get_by_label("Given name")).to_be_visible()
    page.get_by_label("Given name").fill("Olusegun")
    page.get_by_label("Family name").fill("Adeyemi-Hart")
    page.get_by_label("Southampton VCSE Alliance").check()
    fill_date(page, "1", "10", "2026")
    page.get_by_label("Designate").check()
    assert_accessible(page, screenshot="edits-appoint-desktop")
    page.get_by_role("button", name="Appoint").click()
    expect(page).to_have_url(re.compile(f"/committees/{committee_id}/$"))
    expect(banner).to_contain_text(
        "Olusegun Adeyemi-Hart is appointed to VCSE representative from 1 October 2026."
    )
    appointed = Membership.objects.get(seat=seat, start__year=2026, start__month=10)
    assert appointed.person.family_name == "Adeyemi-Hart"
    assert appointed.on_behalf_of.name == "Southampton VCSE Alliance"

    # An overlapping appointment is refused beside the start date, and nobody is added.
    for tab, viewport in ((page, "desktop"), (signed_in_phone_page, "phone")):
        tab.goto(f"/seats/{seat.pk}/appoint/?q=Gwen+Tallis")
        tab.get_by_label("Gwen Tallis").check()
        fill_date(tab, "1", "11", "2026")
        tab.get_by_role("button", name="Appoint").click()
        expect(tab.locator("#id_start-error")).to_contain_text(
            "This seat already has a holder during these dates"
        )
        expect(tab.locator(".nhsuk-error-summary")).to_contain_text("already has a holder")
        assert_accessible(tab, screenshot=f"edits-appoint-overlap-{viewport}")
    assert seat.memberships.count() == 2


def test_the_live_search_lists_people_as_the_officer_types(signed_in_page):
    page = signed_in_page
    seat = Seat.objects.get(committee__name=SOUTHAMPTON, role="director_of_public_health")
    page.goto(f"/seats/{seat.pk}/appoint/")
    page.get_by_label("Name", exact=True).press_sequentially("Tallis", delay=30)
    expect(page.get_by_label("Gwen Tallis")).to_be_visible()
    assert page.url.endswith(f"/seats/{seat.pk}/appoint/")  # no reload: htmx swapped the list
    assert_accessible(page)


def test_a_stale_seat_edit_is_refused_with_the_explanation(signed_in_page):
    first = signed_in_page
    seat = Seat.objects.get(
        committee__name="Southampton City Transformation Delivery Group",
        role="director_of_adult_social_services",
    )
    original = seat.title
    second = first.context.new_page()
    for tab in (first, second):
        tab.goto(f"/seats/{seat.pk}/edit/")
    assert_accessible(first, screenshot="edits-seat-edit-desktop")

    first.get_by_label("Title (optional)").fill("Director of adult social care")
    first.get_by_role("button", name="Save the seat").click()
    expect(first).to_have_url(re.compile(f"/committees/{seat.committee_id}/$"))

    second.get_by_label("Title (optional)").fill("Adult social services lead")
    second.get_by_role("button", name="Save the seat").click()
    expect(second.locator(".nhsuk-error-summary")).to_contain_text(
        "Someone else changed this record after you opened this page"
    )
    expect(second.get_by_label("Title (optional)")).to_have_value("Director of adult social care")
    assert_accessible(second, screenshot="edits-seat-edit-stale-desktop")
    seat.refresh_from_db()
    assert seat.title == "Director of adult social care"

    # Put the title back for the other browser tests, from the refreshed page.
    second.get_by_label("Title (optional)").fill(original)
    second.get_by_role("button", name="Save the seat").click()
    expect(second).to_have_url(re.compile(f"/committees/{seat.committee_id}/$"))
    seat.refresh_from_db()
    assert seat.title == original


def test_screenshots_of_the_seat_pages(signed_in_page, signed_in_phone_page):
    """Not an assertion beyond accessibility: pictures of the forms, desktop and phone."""
    phone_page = signed_in_phone_page
    seat = Seat.objects.get(committee__name=SOUTHAMPTON, role="director_of_childrens_services")
    pages = {
        "seat-edit": f"/seats/{seat.pk}/edit/",
        "seat-abolish": f"/seats/{seat.pk}/abolish/",
        "seat-add": f"/committees/{seat.committee_id}/seats/add/",
        "appoint": f"/seats/{seat.pk}/appoint/?q=ta",
    }
    for name, url in pages.items():
        for viewport, tab in (("desktop", signed_in_page), ("phone", phone_page)):
            tab.goto(url)
            assert_accessible(tab, screenshot=f"edits-{name}-{viewport}")
    for viewport, tab in (("desktop", signed_in_page), ("phone", phone_page)):
        tab.goto(pages["seat-add"])
        tab.get_by_label("Observer").check()
        tab.get_by_role("button", name="Add the seat").click()
        expect(tab.locator(".nhsuk-error-summary")).to_be_visible()
        assert_accessible(tab, screenshot=f"edits-seat-add-errors-{viewport}")
