"""The README's screenshots, taken with Debian's Chromium: docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py                 # its own server and database
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000   # a running demo

Without ``--url`` it migrates its own database (``ics_registry_screenshots``, beside the
development one: the embedded PostgreSQL unless ``DATABASE_URL`` is set), loads the
reference data and the demo into it, starts ``manage.py runserver`` on a free port, takes
the pictures and stops the server. The pages, all public (taken signed out):

- ``overview.png``: governance at a glance, every system (/);
- ``system.png``: Somerset (/systems/QSL/);
- ``committee.png``: Somerset's ICB board, by its link on the structure page;
- ``structure.png``: Somerset's governance structure diagram;
- ``cluster.png``: BSW (/systems/QOX/), in the cluster with Dorset and Somerset;
- ``plans.png``: the reorganisation plans (/reorganisations/);
- ``plan.png``: the demo's illustrative merger plan, by its link on that list;

and, signed in as the demo officer (``DEMO_OFFICER_PASSWORD``, default demo-officer):

- ``dry-run.png``: that plan's dry run, every change and the successor board's compliance;
- ``appointments.png``: Somerset's appointments (/systems/QSL/appointments/): the rounds
  under way, the terms ending with no round started, the seats vacant over the year;
- ``appointment-round.png``: the demo's round for the Healthwatch seat, by its link there,
  with its candidates and the officer's forms.

A page this version of the code does not have (404, or no link to it) is left out with a
note. Chromium is /usr/bin/chromium (``apt-get install chromium``); none is downloaded.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DATABASE = "ics_registry_screenshots"
SYSTEM = "QSL"
BOARD = "NHS Somerset Integrated Care Board"
PLAN = "BSW, Dorset and Somerset merger (illustrative)"
ROUND_SEAT = "Healthwatch"
VIEWPORT = {"width": 1366, "height": 1400}


def own_database_url() -> str:
    """The screenshots' database on the development server, created if missing."""
    sys.path.insert(0, str(ROOT))
    base = os.environ.get("DATABASE_URL")
    if not base:
        from ics_registry.embedded_db import embedded_database_url

        return embedded_database_url(DATABASE)
    import psycopg

    parts = urlsplit(base)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url} within {timeout:.0f} seconds.")


def start_server() -> tuple[str, subprocess.Popen]:
    env = os.environ | {
        "DATABASE_URL": own_database_url(),
        "DJANGO_SETTINGS_MODULE": "ics_registry.settings.dev",
        "DEBUG": "false",
    }
    for command in (["migrate"], ["import_ods"], ["load_demo"]):
        print(f"manage.py {' '.join(command)} ({DATABASE})", file=sys.stderr)
        subprocess.run([PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/")
    except BaseException:
        server.terminate()
        raise
    return url, server


def take(page, url: str, name: str, notes: list[str], *, full_page: bool) -> bool:
    response = page.goto(url)
    if response is None or response.status >= 400:
        status = response.status if response else "no answer"
        notes.append(f"{name}: {url} answered {status}; not in this version, left out")
        return False
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"{path.relative_to(ROOT)}  ({url})")
    return True


def first_link(page, base: str, text: str) -> str | None:
    """The address of the first link in the page's main part that reads ``text`` and goes
    to a page of its own (not a place on this one)."""
    hrefs = [
        a.get_attribute("href") or "" for a in page.locator("main a").filter(has_text=text).all()
    ]
    pages = [href for href in hrefs if href and "#" not in href]
    if not pages:
        return None
    return pages[0] if pages[0].startswith("http") else base + pages[0]


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("officer")
    password = os.environ.get("DEMO_OFFICER_PASSWORD") or "demo-officer"
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def committee_url(page, base: str) -> str | None:
    """The board's page, by the link the structure page gives it (the body shares the
    board's name; its link goes to a place on the system's page)."""
    page.goto(f"{base}/systems/{SYSTEM}/structure/")
    return first_link(page, base, BOARD)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running demo's address; default: start one")
    parser.add_argument("--full-page", action="store_true", help="whole pages, not 1366x900")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Needs Debian's Chromium at {CHROMIUM}: sudo apt-get install chromium")

    from playwright.sync_api import sync_playwright

    server = None
    base = args.url.rstrip("/") if args.url else None
    if base is None:
        base, server = start_server()
    OUT.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    signed_in = False
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = browser.new_page(viewport=VIEWPORT, locale="en-GB")
            take(page, f"{base}/", "overview", notes, full_page=args.full_page)
            take(page, f"{base}/systems/{SYSTEM}/", "system", notes, full_page=args.full_page)
            board = committee_url(page, base)
            if board is None:
                notes.append("committee: no link to the board on the structure page; left out")
            else:
                take(page, board, "committee", notes, full_page=args.full_page)
            structure = f"{base}/systems/{SYSTEM}/structure/"
            take(page, structure, "structure", notes, full_page=args.full_page)
            take(page, f"{base}/systems/QOX/", "cluster", notes, full_page=args.full_page)
            if take(page, f"{base}/reorganisations/", "plans", notes, full_page=args.full_page):
                plan = first_link(page, base, PLAN)
                if plan is None:
                    notes.append(f"plan: no link to {PLAN!r} on the plans page; left out")
                else:
                    take(page, plan, "plan", notes, full_page=args.full_page)
                    sign_in(page, base)
                    signed_in = True
                    dry_run = plan.rstrip("/") + "/dry-run/"
                    take(page, dry_run, "dry-run", notes, full_page=args.full_page)
            if not signed_in:
                sign_in(page, base)
            appointments = f"{base}/systems/{SYSTEM}/appointments/"
            if take(page, appointments, "appointments", notes, full_page=args.full_page):
                round = first_link(page, base, ROUND_SEAT)
                if round is None:
                    notes.append(f"appointment-round: no round for {ROUND_SEAT!r}; left out")
                else:
                    take(page, round, "appointment-round", notes, full_page=args.full_page)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
