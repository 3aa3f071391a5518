"""The first pages in a real browser: signing in and out, the overview and a system page
signed out (public, accessible, no contact details), and throttled sign-in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DEMO_OFFICER, E_MAIL, assert_accessible, save_screenshot, sign_in
from tests.demo_data import SOMERSET

PUBLIC_PAGES = {"overview": "/", "system": f"/systems/{SOMERSET}/"}


def test_the_officer_signs_in_and_out(page):
    sign_in(page, *DEMO_OFFICER)
    account = page.get_by_role("navigation", name="Account")
    expect(account).to_contain_text(DEMO_OFFICER[0])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Governance at a glance")
    account.get_by_role("button", name="Sign out").click()
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()


def test_signing_in_returns_to_the_page_asked_for(page):
    page.goto(f"/sign-in/?next=/systems/{SOMERSET}/")
    page.get_by_label("Username").fill(DEMO_OFFICER[0])
    page.get_by_label("Password", exact=True).fill(DEMO_OFFICER[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(f"/systems/{SOMERSET}/$"))


def test_a_wrong_password_is_an_error_beside_the_field_and_in_the_summary(page):
    sign_in(page, "nobody", "wrong")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct username")
    assert_accessible(page)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_signed_out_are_accessible_and_show_no_e_mail_address(page, name):
    page.goto(PUBLIC_PAGES[name])
    expect(page.locator("main")).to_be_visible()
    assert not E_MAIL.search(page.locator("body").inner_text())
    assert page.locator("a[href^='/admin/']").count() == 0
    assert_accessible(page)


def test_the_overview_says_not_recorded_for_a_system_without_governance(page):
    page.goto("/")
    row = page.get_by_role("row").filter(has_text="Cornwall")
    expect(row).to_contain_text("Not recorded")
    expect(row).not_to_contain_text("Compliant")


def test_repeated_failed_sign_ins_are_locked_out_with_a_message(page):
    for _ in range(5):
        sign_in(page, "guesser", "not-the-password")
    sign_in(page, "guesser", "still-not-it")
    expect(page.get_by_role("heading", name="Too many failed sign-ins")).to_be_visible()
    expect(page.locator("main")).to_contain_text("try again in 15 minutes")


def test_screenshots_of_every_page(page, phone_page):
    """Not an assertion: pictures in tests/browser/screenshots/ for a person to look at."""
    for name, url in {**PUBLIC_PAGES, "sign-in": "/sign-in/"}.items():
        for viewport, tab in (("desktop", page), ("phone", phone_page)):
            tab.goto(url)
            save_screenshot(tab, f"{name}-{viewport}")
    page.goto("/?region=ZZZ&as_of_day=31&as_of_month=2&as_of_year=2025")
    save_screenshot(page, "overview-errors-desktop")
    sign_in(page, *DEMO_OFFICER)
    page.goto(PUBLIC_PAGES["system"])
    save_screenshot(page, "system-officer-desktop")
