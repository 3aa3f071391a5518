"""The rules catalogue and the structure diagram, signed out, on a desktop and a phone:
accessible (axe-core, WCAG 2.2 AA), and each rule code on a board page leads to its rule."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_no_sideways_scrolling, save_screenshot


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_rules_catalogue_and_a_rule_are_accessible(page, phone_page, viewport):
    tab = page if viewport == "desktop" else phone_page
    tab.goto("/rules/")
    expect(tab.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(tab)
    tab.locator('a[href="/rules/R20/"]').first.click()
    expect(tab).to_have_url(re.compile(r"/rules/R20/$"))
    expect(tab.locator("main")).to_contain_text("R20")
    assert_accessible(tab, screenshot=f"rule-{viewport}")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_structure_diagram_is_accessible_with_its_text_version(page, phone_page, viewport):
    tab = page if viewport == "desktop" else phone_page
    tab.goto("/systems/QSL/structure/")
    expect(tab.locator("svg").first).to_be_visible()
    expect(tab.locator("main")).to_contain_text("NHS Somerset Integrated Care Board")
    assert_accessible(tab)
    assert_no_sideways_scrolling(tab)
    save_screenshot(tab, f"structure-{viewport}")


def test_a_rule_code_on_the_board_page_leads_to_the_rule(page):
    page.goto("/systems/QSL/")
    page.get_by_role("link", name="NHS Somerset Integrated Care Board").first.click()
    page.locator("#findings a", has_text="R19").first.click()
    expect(page).to_have_url(re.compile(r"/rules/R19/$"))
    assert_accessible(page)
