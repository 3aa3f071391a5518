"""Helpers for browser tests: accessibility checks with the vendored axe-core, signing in."""

from pathlib import Path

from demo.loader import OFFICER_USERNAME

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
# The demo officer (demo/management/commands/load_demo.py's default password).
DEMO_OFFICER = (OFFICER_USERNAME, "demo-officer")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page) -> None:
    """Fail on any serious or critical WCAG 2.2 AA violation axe-core finds on the page."""
    page.add_script_tag(path=str(AXE))
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


def sign_in(page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under tests/browser/screenshots/ (not committed) to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
