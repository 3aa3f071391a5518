"""Helpers for browser tests: accessibility checks with the vendored axe-core (and the
screenshot that usually follows), signing in, date inputs, layout checks."""

import re
from pathlib import Path

from demo.loader import OFFICER_USERNAME

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent.parent
AXE_URL = "/static/vendor/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
# The demo officer (demo/management/commands/load_demo.py's default password).
DEMO_OFFICER = (OFFICER_USERNAME, "demo-officer")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
E_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def assert_accessible(page, *, screenshot: str = "") -> None:
    """Fail on any serious or critical WCAG 2.2 AA violation axe-core finds on the page;
    then, given a ``screenshot`` name, save a picture of the page (``save_screenshot``)."""
    # By its address on this server, not inlined: the Content-Security-Policy refuses
    # inline scripts (an inlined axe would be blocked, and reported as a violation).
    page.add_script_tag(url=AXE_URL)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in serious
    )
    assert not serious, f"Accessibility violations on {page.url}:\n{report}"
    if screenshot:
        save_screenshot(page, screenshot)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def fill_date(scope, day, month, year) -> None:
    """Fill the Day, Month and Year boxes of the date input in ``scope`` (a page, or a
    locator when the form has more than one date)."""
    scope.get_by_label("Day").fill(str(day))
    scope.get_by_label("Month").fill(str(month))
    scope.get_by_label("Year").fill(str(year))


def assert_no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG under tests/browser/screenshots/ (not committed) to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
