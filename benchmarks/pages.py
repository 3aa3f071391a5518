"""Server time and queries of each web page, with Django's test client.

    .venv/bin/python benchmarks/pages.py [--requests 20] [--system QSL] [--database NAME]

By default on the demo data, in its own database (``ics_registry_benchmarks``, beside the
development database on the same server: the embedded PostgreSQL unless ``DATABASE_URL``
is set), created and migrated on the first run and kept for the next; it loads the
reference data and the demo into it (both idempotent). ``--database NAME`` measures
another database of that server as it is, migrated (the national dataset of
``manage.py generate_national``, say: every system has governance there); the officer
is the demo's when that database has it, else ``benchmark-officer``, a staff user made
with an officer's permissions on ``--system`` only. Nothing is sent to a browser: the
figures are the server's time to answer (view, queries and template), median and 95th
percentile of ``--requests`` GETs after one warm-up, and the number of queries of one
request.

Every page of the ``web:`` namespace that takes no argument, or arguments the script can
find in the demo (a system's code, a rule's code, a committee, person, meeting, seat,
milestone... of the system), is measured; a page is asked for signed out first and, when
that is refused (private pages: 403, 404 or a redirect to sign in), as the officer.
A page named in ``EXPECTED`` that this version of the code does not have is listed with
a note, not an error.
"""

import argparse
import logging
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import FieldError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402
from guardian.shortcuts import assign_perm  # noqa: E402

from bodies.models import IntegratedCareSystem  # noqa: E402
from demo.loader import OFFICER_USERNAME  # noqa: E402
from tests.api_support import governance_permissions  # noqa: E402

DATABASE = "ics_registry_benchmarks"
# The pages the closing notes quote; any of them missing from this branch is said so.
EXPECTED = [
    "overview",
    "system",
    "structure",
    "rules",
    "rule",
    "milestones",
    "committee",
    "person",
    "meetings",
    "meeting",
    "appointments",
    "appointment",
]
# POST-only or redirecting pages: nothing to measure with a GET.
NOT_MEASURED = {"sign_out", "appointment_action"}
RULE = "R20"
BENCHMARK_OFFICER = "benchmark-officer"


def use_own_database() -> None:
    """Point the default connection at the benchmarks' database, created and migrated if
    needed (kept between runs), then load the reference data and the demo into it."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = DATABASE
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    call_command("import_ods", verbosity=0)
    call_command("load_demo", verbosity=0)


def use_database(name: str) -> None:
    """Point the default connection at the database ``name`` of the same server, migrated;
    its data is used as it is."""
    connection.close()
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)


def officer_of(system: str):
    """The demo officer when the database has the demo, else ``benchmark-officer``: staff,
    an officer's permissions on every governance model and the officer's permission on
    ``system`` alone (made on the first run, kept)."""
    users = get_user_model().objects
    demo = users.filter(username=OFFICER_USERNAME).first()
    if demo is not None:
        return demo
    user, created = users.get_or_create(username=BENCHMARK_OFFICER, defaults={"is_staff": True})
    if created:
        user.user_permissions.set(governance_permissions())
        ics = IntegratedCareSystem.objects.get(code=system)
        assign_perm(settings.REGISTRY_OFFICER_PERMISSION, user, ics)
    return user


def web_patterns() -> list[tuple[str, list[str]]]:
    """(name, parameter names) of every named page in the ``web`` namespace."""
    found = []

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((entry.name, list(entry.pattern.converters)))

    resolver = get_resolver()
    namespace = resolver.namespace_dict.get("web")
    if namespace:
        walk(namespace[1].url_patterns)
    return found


class Samples:
    """Arguments for a page, found in the demo rows of one system."""

    MODELS = {
        "committee": ("committees", "Committee", "ics__code"),
        "seat": ("committees", "Seat", "committee__ics__code"),
        "body": ("bodies", "Body", "ics__code"),
        "person": ("memberships", "Person", "memberships__ics__code"),
        "membership": ("memberships", "Membership", "ics__code"),
        "meeting": ("decisions", "Meeting", "committee__ics__code"),
        "decision": ("decisions", "Decision", "meeting__committee__ics__code"),
        "delegation": ("decisions", "Delegation", "from_body__ics__code"),
        "milestone": ("reminders", "Milestone", "ics__code"),
        "reorganisation": ("reorganisations", "ReorganisationPlan", "systems__code"),
        "appointment": ("appointments", "AppointmentRound", "ics__code"),
    }

    # Pages whose one id is not of the record their name starts with.
    OWNER = {
        "seat_add": "committee",
        "register": "body",
        "declaration_add": "person",
        "appointment_new": "seat",
    }

    def __init__(self, system: str):
        self.system = system

    def row(self, word: str, *, done: bool = False):
        app, model_name, path = self.MODELS[word]
        model = apps.get_model(app, model_name)
        try:
            rows = model._default_manager.filter(**{path: self.system})
        except FieldError:  # a lookup this version's model does not have
            rows = model._default_manager.all()
        if word == "committee":
            rows = rows.filter(kind="board") or rows
        if word == "milestone":
            # Reopening is for a done milestone; completing for an open one.
            rows = (rows.filter(status="done") if done else rows.exclude(status="done")) or rows
        return rows.order_by("pk").first()

    def args(self, name: str, params: list[str]) -> list | None:
        """The page's arguments, or None when the script cannot tell what they are."""
        values = []
        word = self.OWNER.get(name, name.split("_")[0])
        for param in params:
            if param == "code":
                values.append(RULE if word == "rule" else self.system)
            elif param in {"pk", "id"} or param.endswith("_id") or param.endswith("_pk"):
                owner = param.rsplit("_", 1)[0] if param not in {"pk", "id"} else word
                owner = owner.rstrip("s")
                if owner not in self.MODELS:
                    return None
                row = self.row(owner, done=name.endswith("reopen"))
                if row is None:
                    return None
                values.append(row.pk)
            else:
                return None
        return values


def percentile(values, p) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(client: Client, url: str, requests: int):
    client.get(url)  # warm-up: template loading, caches
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return response.status_code, times, len(queries)


def quiet_test_client() -> None:
    """The test client's environment, ``DEBUG`` off, and no log line for the 404s that
    private pages answer signed out, by design."""
    setup_test_environment()
    settings.DEBUG = False
    logging.getLogger("django.request").setLevel(logging.ERROR)


def measure_pages(system: str, requests: int) -> tuple[list[tuple], list[str]]:
    """(url, as, status, times, queries) of every page that can be measured on the
    current database, and notes on those that cannot."""
    public, officer = Client(), Client()
    officer.force_login(officer_of(system))
    samples = Samples(system)
    patterns = web_patterns()
    names = {name for name, _ in patterns}
    rows, notes = [], []
    for name, params in patterns:
        if name in NOT_MEASURED:
            continue
        values = samples.args(name, params)
        if values is None:
            notes.append(f"web:{name}: skipped, no demo row for its arguments {params}")
            continue
        url = reverse(f"web:{name}", args=values)
        who, (status, times, queries) = "public", measure(public, url, requests)
        if status in {302, 403, 404}:
            who, (status, times, queries) = "officer", measure(officer, url, requests)
        rows.append((url, who, status, times, queries))
    for name in EXPECTED:
        if name not in names:
            notes.append(f"web:{name}: not in this version of the code, not measured")
    return rows, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="GETs per page (default 20)")
    parser.add_argument("--system", default="QSL", help="the system's code (default QSL)")
    parser.add_argument("--database", help="measure this database as it is, not the demo")
    args = parser.parse_args()

    quiet_test_client()
    if args.database:
        use_database(args.database)
    else:
        print(f"Loading the demo into the database {DATABASE}...", file=sys.stderr)
        use_own_database()
    rows, notes = measure_pages(args.system, args.requests)
    data = f"the database {args.database}" if args.database else "the demo"
    print(
        f"Server time of each web page on {data} ({args.system}), "
        f"{args.requests} GETs each after a warm-up, Django test client, DEBUG off"
    )
    header = f"{'page':<44}{'as':<9}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'queries':>9}"
    print(header)
    print("-" * len(header))
    for url, who, status, times, queries in rows:
        median, p95 = statistics.median(times) * 1000, percentile(times, 95) * 1000
        print(f"{url:<44}{who:<9}{status:>7}{median:>11.1f}{p95:>9.1f}{queries:>9}")
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
