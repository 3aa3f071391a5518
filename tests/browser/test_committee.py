"""The board page in a real browser (journeys 1 and 2): from the system page to the
Somerset board, then back to 13 October 2022, when the Chief Nurse was the interim
(demo/data/systems/somerset.yaml, seat som_nurse)."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, fill_date
from tests.demo_data import SOMERSET, SOMERSET_ICB

INTERIM, SUBSTANTIVE = "Maureen Hatherley", "Shona Kerr"


def open_the_board(page):
    page.goto(f"/systems/{SOMERSET}/")
    page.get_by_role("link", name=SOMERSET_ICB, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SOMERSET_ICB)


def chief_nurse_row(page):
    return page.locator("#seats tbody tr").filter(has_text="Chief Nurse")


def choose_date(page, day, month, year):
    fill_date(page, day, month, year)
    page.get_by_role("button", name="Show").click()


def test_the_board_redraws_for_a_past_date(page):
    open_the_board(page)
    expect(chief_nurse_row(page)).to_contain_text(SUBSTANTIVE)
    expect(page.locator("#seats caption")).to_contain_text("13 voting")
    assert_accessible(page, screenshot="committee-today")

    page.evaluate("window.notReloaded = true")
    choose_date(page, "13", "10", "2022")
    expect(page.locator("#seats caption")).to_contain_text("13 October 2022")
    expect(chief_nurse_row(page)).to_contain_text(INTERIM)
    # htmx redrew the seats in place; the address still names the date.
    assert page.evaluate("window.notReloaded === true")
    expect(chief_nurse_row(page)).to_contain_text("Interim")
    expect(page).to_have_url(re.compile(r"as_of_day=13"))
    assert_accessible(page, screenshot="committee-2022-10-13")

    history = page.locator("details").filter(has_text="Chief Nurse")
    history.locator("summary").click()
    expect(history).to_contain_text(f"1 July 2022 to 31 December 2022: {INTERIM}")
    expect(history).to_contain_text("replaced by a substantive appointment")
    assert_accessible(page)


def test_the_page_works_without_javascript_and_on_a_phone(page_without_javascript, phone_page):
    page = page_without_javascript
    open_the_board(page)
    choose_date(page, "13", "10", "2022")
    expect(chief_nurse_row(page)).to_contain_text(INTERIM)
    choose_date(page, "31", "2", "2022")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a real date")
    visited = page.url
    # axe-core needs JavaScript: check the same pages on a phone with it.
    phone_page.goto(visited)
    expect(phone_page.locator(".nhsuk-error-summary")).to_contain_text("Enter a real date")
    assert_accessible(phone_page, screenshot="committee-phone-error")
    phone_page.goto(visited.split("?")[0] + "?as_of=2022-10-13")
    expect(chief_nurse_row(phone_page)).to_contain_text(INTERIM)
    assert_accessible(phone_page, screenshot="committee-phone")


def test_a_vacant_seat_and_the_unmet_rule_are_shown_signed_out(page):
    page.goto(f"/systems/{SOMERSET}/?as_of=2026-11-01")
    page.get_by_role("link", name=SOMERSET_ICB, exact=True).first.click()
    row = page.locator("#seats tbody tr").filter(has_text="Healthwatch")
    expect(row).to_contain_text("Vacant")
    expect(row).to_contain_text("since 1 October 2026")
    finding = page.locator("#findings li").filter(has_text="No Healthwatch member")
    expect(finding.get_by_role("link")).to_have_attribute("href", re.compile(r"^/rules/R\d+/$"))
    expect(page.get_by_role("link", name="End membership")).to_have_count(0)
    assert_accessible(page)
