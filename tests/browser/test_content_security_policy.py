"""The Content-Security-Policy in a real browser (issue 14): the main pages, signed out
and in, on a desktop and a phone, with their scripts and htmx redraws at work, Swagger UI
and the admin, report no policy violation and no script error. (ReDoc's page is checked
by tests/test_security_headers.py only: in this live server it stays on "Loading" for
over a minute, with no violation or error reported, though it draws under the policy in
`manage.py runserver`.)

Chromium reports a violation as a ``securitypolicyviolation`` event (recorded by a script
added before each page's own) and as a console error naming the Content Security Policy.
The policy itself, answer by answer: tests/test_security_headers.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DEMO_OFFICER, assert_accessible, fill_date, save_screenshot
from tests.demo_data import SOMERSET, SOMERSET_ICB

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI} ` +
      `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


class Problems:
    """What a tab reported: policy violations (events and console) and script errors."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"script error: {error}"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def assert_none(self):
        violations = self.page.evaluate("window.cspViolations || []")
        found = [*violations, *self.console]
        assert not found, f"On {self.page.url}:\n" + "\n".join(found)


@pytest.fixture
def desktop(page):
    return Problems(page)


@pytest.fixture
def phone(phone_page):
    return Problems(phone_page)


def test_the_public_pages_and_their_scripts_work_under_the_policy(desktop):
    page = desktop.page
    page.goto("/")
    # base.html's scripts ran from their files: NHS.UK frontend's classes, then its components.
    expect(page.locator("body")).to_have_class(
        re.compile(r"\bjs-enabled nhsuk-frontend-supported\b")
    )
    # htmx redraws the table in place for a region.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Region").select_option(label="South West")
    expect(page.locator("#systems")).to_contain_text("Somerset")
    assert page.evaluate("window.notReloaded === true")
    desktop.assert_none()

    page.goto(f"/systems/{SOMERSET}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Somerset")
    desktop.assert_none()

    page.goto(f"/systems/{SOMERSET}/structure/")
    diagram = page.locator("svg.ics-structure")
    expect(diagram).to_be_visible()
    # The diagram's styles come from web.css now that its SVG has no <style>.
    font = diagram.locator("text").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "Arial" in font
    box = diagram.locator("a").first
    box.focus()
    focused = box.locator("rect").evaluate("e => getComputedStyle(e).fill")
    assert focused == "rgb(255, 235, 59)", "a focused box is yellow"
    width = page.locator("figure.app-structure").evaluate("e => e.getBoundingClientRect().width")
    assert width == 1200, "the diagram is wider than the text column"
    desktop.assert_none()

    page.goto(f"/systems/{SOMERSET}/")
    page.get_by_role("link", name=SOMERSET_ICB, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SOMERSET_ICB)
    page.evaluate("window.notReloaded = true")
    fill_date(page, "13", "10", "2022")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#seats caption")).to_contain_text("13 October 2022")
    assert page.evaluate("window.notReloaded === true")
    desktop.assert_none()


def test_the_header_menu_works_on_a_phone_under_the_policy(phone):
    page = phone.page
    page.goto(f"/systems/{SOMERSET}/structure/")
    toggle = page.locator("#toggle-menu")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    save_screenshot(page, "csp-phone-menu-open")
    phone.assert_none()


def test_signed_in_officer_pages_work_under_the_policy(desktop):
    page = desktop.page
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(DEMO_OFFICER[0])
    page.get_by_label("Password", exact=True).fill(DEMO_OFFICER[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(DEMO_OFFICER[0])
    for url in (f"/systems/{SOMERSET}/appointments/", "/reorganisations/"):
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        desktop.assert_none()


def test_swagger_ui_draws_the_api_under_the_policy(desktop):
    page = desktop.page
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", name="ICS Governance Registry API")).to_be_visible(
        timeout=60_000
    )
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.get_by_role("button", name="Try it out").first).to_be_visible()
    save_screenshot(page, "csp-api-docs")
    desktop.assert_none()


def test_the_admin_works_under_the_policy(desktop):
    page = desktop.page
    page.goto("/admin/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(DEMO_OFFICER[0])
    page.get_by_label("Password").fill(DEMO_OFFICER[1])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    desktop.assert_none()


def test_a_violation_is_caught(desktop):
    """The checks above can fail: an inline script added to a page is refused and reported."""
    page = desktop.page
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    assert page.evaluate("window.ran === undefined")
    with pytest.raises(AssertionError, match="script-src"):
        desktop.assert_none()
