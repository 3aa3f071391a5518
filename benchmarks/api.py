"""The API against its floor, in one run: latency of list endpoints, conditional GETs and
throughput, under gunicorn with the production settings (issue 13).

    .venv/bin/python benchmarks/api.py [--database NAME] [--rounds 5] [--requests 20]
        [--workers 2] [--report docs/performance.md] [--check]

Both applications run under the same gunicorn (sync workers, ``--workers`` each) on
loopback against the same database: the registry (``ics_registry.settings.prod``) and the
floor (``benchmarks/floor.py``), a bare WSGI application serving the same rows and fields
from hand-written SQL. The script first checks that the floor answers exactly what the
API answers (the same JSON, page size 50; and each list's first record at
``/<resource>/<id>/``), then measures in ``--rounds`` interleaved
rounds (API, floor, API, floor...) so that whatever else the machine does weighs on both
alike, and reports median and 95th percentile per endpoint and the ratio of the medians.
Then a conditional GET (``If-None-Match`` with the ETag just read) against the full
answer, and requests per second with 10 concurrent clients (API, its 304 and the floor
interleaved in ``--rounds`` slices too). ``--check`` exits 1 when a target of issue 13
is missed (lists at most 2x the floor, a 304 at least 5x faster than the full answer, at
least 150 requests/s on a list). The database is the development
server's (the embedded PostgreSQL unless ``DATABASE_URL`` is set), ``--database`` naming
the database on it: by default ``ics_registry_national``, which the first run migrates
and fills with the reference data and the national dataset (``manage.py import_ods`` and
``generate_national``, a few minutes); later runs reuse it. Any other database is
migrated and, if it holds no governance yet, filled the same way.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")

import django  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

django.setup()

from benchmarks.stack import PROXIED, database_url, registry_env  # noqa: E402
from bodies.models import Body  # noqa: E402
from committees.models import Committee, Seat  # noqa: E402
from decisions.models import Decision  # noqa: E402
from decisions.rules import Result  # noqa: E402
from memberships.models import Membership  # noqa: E402

RESOURCES = ["memberships", "seats", "bodies", "committees", "decisions"]
LABELLED = {
    "memberships": (Membership, ("end_reason", "status")),
    "seats": (Seat, ("role", "participation")),
    "bodies": (Body, ("kind", "governance_option")),
    "committees": (Committee, ("kind",)),
    "decisions": (
        Decision,
        (
            "part",
            "decision_type",
            "function_exercised",
            *(f"{name}_impact" for name in ("equality", "quality", "privacy", "sustainability")),
        ),
    ),
}
TARGETS = {"list_ratio": 2.0, "not_modified_speedup": 5.0, "throughput": 150.0}
# Composition, compliance and Popolo: at most 3x their floor (issue 13).
REPORT_RATIO = 3.0


def create_database(url: str, database: str) -> None:
    """Create ``database`` on the server of ``url`` unless it exists (the embedded server's
    address already does that; a ``DATABASE_URL`` server's does not)."""
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def prepare(url: str, database: str, *, systems: int | None = None) -> None:
    """Migrate the database and, when it holds no governance yet, load the reference data
    and the national dataset into it (minutes, once; later runs reuse it): every system,
    or the first ``systems`` by ODS code (``generate_national --systems``)."""

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )

    create_database(url, database)
    manage("migrate", "--verbosity", "0")
    probe = (
        "import django; django.setup(); from bodies.models import Body; "
        "print(int(Body.objects.exists()))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if found == "1":
        return
    print(f"{database}: loading the reference data and the national dataset (a few minutes)")
    manage("import_ods", "--verbosity", "0")
    manage("generate_national", *(["--systems", str(systems)] if systems else []))


def labels_file() -> str:
    """The choice labels the floor needs, written where it reads them."""
    labels = {
        resource: {
            name: {str(value): str(label) for value, label in model._meta.get_field(name).choices}
            for name in fields
        }
        for resource, (model, fields) in LABELLED.items()
    }
    # A decision's outcome has a result, labelled too.
    labels["decisions"]["result"] = {str(value): str(label) for value, label in Result.choices}
    path = Path(tempfile.mkdtemp()) / "labels.json"
    path.write_text(json.dumps(labels), encoding="utf-8")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app: str, workers: int, env: dict):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn {app} did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(port: int, path: str, headers=None) -> tuple[float, int, bytes, dict]:
    """One GET on a new connection (gunicorn's sync workers close each): seconds taken,
    status, body and headers."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # As the TLS-terminating proxy passes a request on in production (else the registry
    # redirects to HTTPS: SECURE_SSL_REDIRECT, SECURE_PROXY_SSL_HEADER).
    connection.request("GET", path, headers={**PROXIED, **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, response.status, body, dict(response.getheaders())


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def check_floor(api: int, floor: int) -> None:
    """The floor serves exactly the API's first page (its rows and fields)."""
    for resource in RESOURCES:
        _, status_a, body_a, _ = get(api, f"/api/v1/{resource}/?page_size=50")
        _, status_f, body_f, _ = get(floor, f"/{resource}/?page_size=50")
        if (status_a, status_f) != (200, 200):
            raise SystemExit(f"{resource}: API answered {status_a}, floor {status_f}")
        ours, theirs = json.loads(body_a)["results"], json.loads(body_f)["results"]
        if ours != theirs:
            for mine, floors in zip(ours, theirs, strict=False):
                for key in mine.keys() | floors.keys():
                    if mine.get(key, "<missing>") != floors.get(key, "<missing>"):
                        raise SystemExit(
                            f"{resource}: the floor differs from the API at row {mine.get('id')}, "
                            f"{key}: API {mine.get(key, '<missing>')!r}, floor "
                            f"{floors.get(key, '<missing>')!r}"
                        )
            raise SystemExit(f"{resource}: the floor gives {len(theirs)} rows, API {len(ours)}")


def report_paths(url: str, as_of: str) -> dict[str, tuple[str, str]]:
    """The reports measured, each as (the API's path, the floor's): the composition and
    Popolo export of the system with the most seats in force on ``as_of`` whose ICB has a
    board, and the
    compliance of that board on ``as_of``."""
    with psycopg.connect(url) as connection:
        found = connection.execute(
            """
            SELECT s.code,
                   (SELECT c.id FROM committees_committee c JOIN bodies_body b ON b.id = c.body_id
                    WHERE b.ics_id = s.id AND b.kind = 'icb' AND c.kind = 'board'
                      AND c.abolished IS NULL ORDER BY c.id LIMIT 1)
            FROM bodies_integratedcaresystem s
            ORDER BY (SELECT count(*) FROM committees_seat seat WHERE seat.ics_id = s.id
                        AND (seat.abolished IS NULL OR seat.abolished >= %(day)s)) DESC,
                     s.code
            """,
            {"day": as_of},
        ).fetchall()
    # The largest system whose ICB has a board (a merged system's may be abolished).
    code, board = next(((code, board) for code, board in found if board), found[0])
    paths = {
        "composition": f"systems/{code}/composition/?as_of={as_of}",
        "compliance": f"committees/{board}/compliance/?as_of={as_of}",
        "popolo": f"systems/{code}/popolo/",
    }
    return {name: (f"/api/v1/{path}", f"/{path}") for name, path in paths.items()}


def first_difference(ours, theirs, where: str = "") -> str | None:
    """Where two JSON documents first differ, and how, or None when they are equal."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(ours.keys() | theirs.keys()):
            if key not in ours or key not in theirs:
                return f"{where}.{key}: API {ours.get(key, '<missing>')!r}, floor " + repr(
                    theirs.get(key, "<missing>")
                )
            found = first_difference(ours[key], theirs[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(ours, list) and isinstance(theirs, list):
        for n, (mine, floors) in enumerate(zip(ours, theirs, strict=False)):
            found = first_difference(mine, floors, f"{where}[{n}]")
            if found:
                return found
        if len(ours) != len(theirs):
            return f"{where}: API {len(ours)} items, floor {len(theirs)}"
        return None
    if ours != theirs or type(ours) is not type(theirs):
        return f"{where}: API {ours!r}, floor {theirs!r}"
    return None


def check_report_floors(api: int, floor: int, paths: dict) -> None:
    """Each report's floor answers exactly the API's document."""
    for name, (api_path, floor_path) in paths.items():
        _, status_a, body_a, _ = get(api, api_path)
        _, status_f, body_f, _ = get(floor, floor_path)
        if (status_a, status_f) != (200, 200):
            raise SystemExit(f"{name}: API answered {status_a}, floor {status_f}")
        found = first_difference(json.loads(body_a), json.loads(body_f))
        if found:
            raise SystemExit(f"{name}: the floor differs from the API at {found}")


def report_latency(api: int, floor: int, paths: dict, rounds: int, requests: int) -> dict:
    times = {name: {"api": [], "floor": []} for name in paths}
    for _ in range(rounds):
        for name, (api_path, floor_path) in paths.items():
            for _ in range(requests):
                times[name]["api"].append(get(api, api_path)[0])
                times[name]["floor"].append(get(floor, floor_path)[0])
    return times


def record_paths(api: int) -> dict[str, tuple[str, str]]:
    """For each resource, its first listed record: the API's and the floor's paths."""
    paths = {}
    for resource in RESOURCES:
        _, _, body, _ = get(api, f"/api/v1/{resource}/?page_size=1")
        pk = json.loads(body)["results"][0]["id"]
        paths[resource] = (f"/api/v1/{resource}/{pk}/", f"/{resource}/{pk}/")
    return paths


def check_record_floor(api: int, floor: int, paths: dict) -> None:
    """The floor serves exactly the API's record (``/<resource>/<id>/``)."""
    for api_path, floor_path in paths.values():
        _, status_a, body_a, _ = get(api, api_path)
        _, status_f, body_f, _ = get(floor, floor_path)
        if (status_a, status_f) != (200, 200):
            raise SystemExit(f"{api_path}: API answered {status_a}, floor {status_f}")
        ours, theirs = json.loads(body_a), json.loads(body_f)
        if ours != theirs:
            key = next(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))
            raise SystemExit(
                f"{api_path}: the floor differs from the API at {key}: API "
                f"{ours.get(key, '<missing>')!r}, floor {theirs.get(key, '<missing>')!r}"
            )


def record_latency(api: int, floor: int, paths: dict, rounds: int, requests: int) -> dict:
    times = {r: {"api": [], "floor": []} for r in paths}
    for _ in range(rounds):
        for resource, (api_path, floor_path) in paths.items():
            for _ in range(requests):
                times[resource]["api"].append(get(api, api_path)[0])
                times[resource]["floor"].append(get(floor, floor_path)[0])
    return times


def latency(api: int, floor: int, rounds: int, requests: int) -> dict:
    times = {r: {"api": [], "floor": []} for r in RESOURCES}
    for _ in range(rounds):
        for resource in RESOURCES:
            for _ in range(requests):
                times[resource]["api"].append(get(api, f"/api/v1/{resource}/?page_size=50")[0])
                times[resource]["floor"].append(get(floor, f"/{resource}/?page_size=50")[0])
    return times


def conditional(api: int, rounds: int, requests: int) -> dict:
    found = {}
    for resource in RESOURCES:
        path = f"/api/v1/{resource}/?page_size=50"
        etag = get(api, path)[3].get("ETag")
        full, not_modified = [], []
        for _ in range(rounds * requests):
            full.append(get(api, path)[0])
            elapsed, status, _, _ = get(api, path, {"If-None-Match": etag})
            if status != 304:
                raise SystemExit(f"{resource}: a matching If-None-Match answered {status}")
            not_modified.append(elapsed)
        found[resource] = (full, not_modified)
    return found


def throughput(port: int, path: str, seconds: float, clients: int = 10, headers=None) -> tuple:
    """Requests answered by ``clients`` concurrent clients in ``seconds``: (count, seconds)."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(n):
        while time.monotonic() < stop:
            get(port, path, headers)
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), time.monotonic() - started


def throughputs(runs: dict, seconds: float, rounds: int) -> dict:
    """Requests per second of each run ``{name: (port, path, headers)}``, measured in
    ``rounds`` interleaved slices of ``seconds / rounds`` each, so that whatever else the
    machine does weighs on all of them alike (as the latencies are). The floor's rate,
    measured with the same client, shows how far the client itself can go."""
    totals = {name: [0, 0.0] for name in runs}
    for _ in range(rounds):
        for name, (port, path, headers) in runs.items():
            count, elapsed = throughput(port, path, seconds / rounds, headers=headers)
            totals[name][0] += count
            totals[name][1] += elapsed
    return {name: count / elapsed for name, (count, elapsed) in totals.items()}


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="ics_registry_national")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20, help="per endpoint and round")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10, help="of each throughput test")
    parser.add_argument("--report", help="write the figures to this Markdown file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--as-of",
        default=datetime.date.today().isoformat(),
        help="the date of the composition and compliance measured (default today)",
    )
    args = parser.parse_args()

    url = database_url(args.database)
    prepare(url, args.database)
    api_env = registry_env(url)
    floor_env = {"DATABASE_URL": url, "FLOOR_LABELS": labels_file()}
    with (
        gunicorn("ics_registry.wsgi:application", args.workers, api_env) as api,
        gunicorn("benchmarks.floor:application", args.workers, floor_env) as floor,
    ):
        for resource in RESOURCES:  # warm both up
            get(api, f"/api/v1/{resource}/?page_size=50")
            get(floor, f"/{resource}/?page_size=50")
        check_floor(api, floor)
        paths = report_paths(url, args.as_of)
        for api_path, floor_path in paths.values():  # warm both up
            get(api, api_path)
            get(floor, floor_path)
        check_report_floors(api, floor, paths)
        times = latency(api, floor, args.rounds, args.requests)
        report_times = report_latency(api, floor, paths, args.rounds, args.requests)
        records = record_paths(api)
        check_record_floor(api, floor, records)
        record_times = record_latency(api, floor, records, args.rounds, args.requests)
        cond = conditional(api, args.rounds, max(1, args.requests // 2))
        path = "/api/v1/memberships/?page_size=50"
        etag = get(api, path)[3]["ETag"]
        rates = throughputs(
            {
                "api": (api, path, None),
                "api_304": (api, path, {"If-None-Match": etag}),
                "floor": (floor, "/memberships/?page_size=50", None),
            },
            args.seconds,
            args.rounds,
        )
        rps, rps_304, rps_floor = rates["api"], rates["api_304"], rates["floor"]

    lines, missed = report(args, times, cond, rps, rps_304, rps_floor, records, record_times)
    lines, missed = with_reports(lines, missed, report_times, paths)
    text = "\n".join(lines)
    print(text)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    if args.check and missed:
        print("\nMissed: " + "; ".join(missed), file=sys.stderr)
        sys.exit(1)


RATIO_HEADER = [
    "| endpoint | API median | API p95 | floor median | floor p95 | ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
]


def ratio_table(heading: str, times: dict, path_of, target: float, missed: list, what: str):
    """A section of API-against-floor latencies: its lines, each row's ratio of medians
    checked against ``target`` (a miss appended to ``missed`` as ``name what``)."""
    lines = ["", heading, "", *RATIO_HEADER]
    for name, measured in times.items():
        api, floor = measured["api"], measured["floor"]
        ratio = statistics.median(api) / statistics.median(floor)
        if ratio > target:
            missed.append(f"{name}{what} {ratio:.1f}x the floor")
        lines.append(
            f"| `{path_of(name)}` | {statistics.median(api) * 1000:.1f} | "
            f"{p95(api) * 1000:.1f} | {statistics.median(floor) * 1000:.1f} | "
            f"{p95(floor) * 1000:.1f} | {ratio:.1f}x |"
        )
    return lines


def report(
    args, times, cond, rps, rps_304, rps_floor, records, record_times
) -> tuple[list[str], list[str]]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    missed = []
    lines = [
        "# API performance against the floor",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}",
        f"- Machine: {machine()}",
        f"- Database: `{args.database}`; gunicorn, {args.workers} sync workers each, loopback",
        f"- Command: `.venv/bin/python benchmarks/api.py --database {args.database} "
        f"--rounds {args.rounds} --requests {args.requests} --workers {args.workers}`",
        "- What changed between runs, and earlier runs: `docs/performance-history.md`",
    ]
    lines += ratio_table(
        f"## Lists, page size 50 (ms; ratio of medians, target at most {TARGETS['list_ratio']:g}x)",
        times,
        lambda resource: f"/api/v1/{resource}/",
        TARGETS["list_ratio"],
        missed,
        "",
    )
    lines += ratio_table(
        f"## Records (ms; ratio of medians, the lists' target: at most {TARGETS['list_ratio']:g}x)",
        record_times,
        lambda resource: records[resource][0],
        TARGETS["list_ratio"],
        missed,
        " record",
    )
    lines += [
        "",
        "## Conditional GET (ms; a 304 at least "
        f"{TARGETS['not_modified_speedup']:g}x faster than the full answer)",
        "",
        "| endpoint | full median | 304 median | speed-up |",
        "| --- | ---: | ---: | ---: |",
    ]
    for resource, (full, not_modified) in cond.items():
        speedup = statistics.median(full) / statistics.median(not_modified)
        if speedup < TARGETS["not_modified_speedup"]:
            missed.append(f"{resource} 304 only {speedup:.1f}x faster")
        lines.append(
            f"| `/api/v1/{resource}/` | {statistics.median(full) * 1000:.1f} | "
            f"{statistics.median(not_modified) * 1000:.1f} | {speedup:.1f}x |"
        )
    if rps < TARGETS["throughput"]:
        missed.append(f"throughput {rps:.0f} requests/s")
    lines += [
        "",
        f"## Throughput, 10 concurrent clients, {args.seconds:g} s each (target at least "
        f"{TARGETS['throughput']:g} requests/s)",
        "",
        f"- `/api/v1/memberships/?page_size=50`: {rps:.0f} requests/s",
        f"- the same, conditional (304): {rps_304:.0f} requests/s",
        f"- the floor's `/memberships/?page_size=50`: {rps_floor:.0f} requests/s",
    ]
    if missed:
        lines += ["", "Targets missed: " + "; ".join(missed) + "."]
    return lines, missed


def with_reports(lines, missed, times, paths) -> tuple[list[str], list[str]]:
    """The reports' section, after the lists' table, and their missed targets."""
    missed = list(missed)
    section = ratio_table(
        f"## Composition, compliance and Popolo (ms; ratio of medians, target at most "
        f"{REPORT_RATIO:g}x)",
        times,
        lambda name: paths[name][0],
        REPORT_RATIO,
        missed,
        "",
    )
    # After the lists' table: the conditional GETs' section starts with its heading.
    at = next(
        (n for n, line in enumerate(lines) if line.startswith("## Conditional GET")), len(lines)
    )
    lines = [*lines[: at - 1], *section, *lines[at - 1 :]]
    if missed:
        lines = [line for line in lines if not line.startswith("Targets missed: ")]
        if lines and lines[-1] == "":
            lines.pop()
        lines += ["", "Targets missed: " + "; ".join(missed) + "."]
    return lines, missed


if __name__ == "__main__":
    main()
