"""Browser tests: Debian's Chromium (headless) driving the product on a live server.

Fixtures for every browser test module in this package:

- ``demo_server``: a live server over the reference data and the demo, loaded once for
  the package (committed, so the server's threads see it) and removed after it.
  ``demo_server.url`` is its address. Tests change data only through the browser.
- ``page``: a fresh browser tab (1366 x 900) whose relative URLs go to ``demo_server``:
  ``page.goto("/systems/QSL/")``.
- ``phone_page``: the same at 390 x 844.
- ``signed_in_page``, ``signed_in_phone_page``: those tabs signed in as the demo officer
  through the sign-in page.
- ``page_without_javascript``: a desktop tab with JavaScript off.

``tests.browser.helpers`` has ``assert_accessible(page, screenshot=name)`` (axe-core, WCAG
2.2 AA, then a picture), ``sign_in(page, username, password)``, ``fill_date`` and
``assert_no_sideways_scrolling``.

Chromium is never downloaded: the tests use /usr/bin/chromium (``apt-get install
chromium``) and fail, not skip, without it.
"""

import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from tests.browser.helpers import CHROMIUM, DEMO_OFFICER, sign_in
from tests.conftest import run_command

# Playwright's synchronous API runs an event loop in this thread; the tests' own ORM
# calls (checking what a page wrote) are still synchronous, so Django may allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DESKTOP = {"width": 1366, "height": 900}
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every browser test uses the database (so pytest-django creates the test database);
    the data it sees is demo_server's, committed for the server's threads."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.django_db)


PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="package")
def browser(demo_server):
    """Chromium, started after the demo is loaded: Playwright's event loop gives this
    thread a new context, in which Django would see a new database connection without
    the test database's snapshot that demo_server restores."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: install it with "
            "`sudo apt-get install chromium` (python3 dev.py test does this when run as root).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


def restore(migrated: str) -> None:
    """Empty the database and put back ``migrated`` (serialized rows), with the id
    sequences moved past the ids put back."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(migrated)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


@pytest.fixture(scope="package")
def demo_server(django_db_setup, django_db_blocker):
    """A live server over the ODS reference data and the demo, for the whole package.

    The rows the migrations made are kept aside and put back afterwards, so the tests
    after this package start from the same database as before it.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        # What the migrations made, as the test database was created: a transactional
        # test that ran before this package may have flushed it.
        migrated = getattr(connection, "_test_serialized_contents", None)
        if migrated is None:
            migrated = connection.creation.serialize_db_to_string()
        else:
            restore(migrated)
        run_command("import_ods")
        run_command("load_demo")
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            restore(migrated)


def new_page(browser, demo_server, viewport, **options):
    """A tab in a context of its own, closed after the test."""
    context = browser.new_context(
        base_url=demo_server.url, viewport=viewport, locale="en-GB", **options
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page(browser, demo_server):
    yield from new_page(browser, demo_server, DESKTOP)


@pytest.fixture
def phone_page(browser, demo_server):
    yield from new_page(browser, demo_server, PHONE)


@pytest.fixture
def page_without_javascript(browser, demo_server):
    yield from new_page(browser, demo_server, DESKTOP, java_script_enabled=False)


@pytest.fixture
def signed_in_page(page):
    sign_in(page, *DEMO_OFFICER)
    return page


@pytest.fixture
def signed_in_phone_page(phone_page):
    sign_in(phone_page, *DEMO_OFFICER)
    return phone_page
