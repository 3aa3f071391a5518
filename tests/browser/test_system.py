"""A member of the public checks who governs their area (journey 8), and a governance
officer reads their system at a glance (journey 1): the overview, a system page and a
person page in a real browser, on a desktop and on a phone."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    DEMO_OFFICER,
    E_MAIL,
    assert_accessible,
    assert_no_sideways_scrolling,
    sign_in,
)
from tests.demo_data import SOMERSET, SOMERSET_ICB


def assert_public(page) -> None:
    """No contact details and no edit control on a page seen signed out."""
    assert not E_MAIL.search(page.locator("body").inner_text())
    assert page.locator("a[href^='/admin/']").count() == 0
    assert page.get_by_role("button", name=re.compile("Change|Edit|Save|End|Delete")).count() == 0


def test_the_public_finds_somersets_board_members_and_a_person(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="South West")).to_be_visible()
    assert_public(page)
    assert_accessible(page)

    page.locator(f"#systems a[href='/systems/{SOMERSET}/']").click()
    expect(page).to_have_url(re.compile(f"/systems/{SOMERSET}/$"))
    board = page.locator("#board ~ table").first
    expect(page.get_by_role("heading", name="Members of the ICB board")).to_be_visible()
    expect(board.get_by_role("row")).not_to_have_count(1)
    expect(page.get_by_role("heading", name=SOMERSET_ICB).first).to_be_visible()
    expect(page.get_by_role("heading", name="Recent changes")).to_be_visible()
    expect(page.get_by_role("heading", name="Milestones due or overdue")).to_have_count(0)
    assert_public(page)
    assert_accessible(page, screenshot="system-public-desktop")

    holder = board.get_by_role("link").first
    name = holder.inner_text()
    holder.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("heading", name="Roles")).to_be_visible()
    expect(page.get_by_role("heading", name="Register of interests")).to_be_visible()
    assert_public(page)
    assert_accessible(page, screenshot="person-public-desktop")


def test_the_overview_table_redraws_for_a_region_without_reloading(page):
    page.goto("/")
    page.get_by_label("Region").select_option(label="South West")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"region="))
    expect(page.locator("#systems")).to_contain_text("South West")
    expect(page.get_by_role("heading", name="London")).to_have_count(0)
    assert_accessible(page)


def test_on_a_phone_the_overview_and_a_system_need_no_sideways_scrolling(phone_page):
    for url, name in (("/", "overview-phone"), (f"/systems/{SOMERSET}/", "system-phone")):
        phone_page.goto(url)
        expect(phone_page.locator("main")).to_be_visible()
        assert_no_sideways_scrolling(phone_page)
        assert_accessible(phone_page, screenshot=name)
    phone_page.locator("#board ~ table a").first.click()
    expect(phone_page.get_by_role("heading", name="Roles")).to_be_visible()
    assert_no_sideways_scrolling(phone_page)
    assert_accessible(phone_page, screenshot="person-phone")


def test_the_officer_sees_somersets_milestones_and_who_changed_what(page):
    sign_in(page, *DEMO_OFFICER)
    page.goto(f"/systems/{SOMERSET}/")
    expect(page.get_by_role("heading", name="Milestones due or overdue")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Who")).to_be_visible()
    assert_accessible(page, screenshot="system-officer-desktop")
    page.goto("/")
    expect(page.get_by_role("columnheader", name="Milestones due or overdue").first).to_be_visible()
    assert_accessible(page, screenshot="overview-officer-desktop")
