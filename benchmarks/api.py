"""The API against its floor, in one run: latency of list endpoints, conditional GETs and
throughput, under gunicorn with the production settings (issue 13).

    .venv/bin/python benchmarks/api.py [--database NAME] [--rounds 5] [--requests 20]
        [--workers 2] [--report docs/performance.md] [--check]

Both applications run under the same gunicorn (sync workers, ``--workers`` each) on
loopback against the same database: the registry (``ics_registry.settings.prod``) and the
floor (``benchmarks/floor.py``), a bare WSGI application serving the same rows and fields
from hand-written SQL. The script first checks that the floor answers exactly what the
API answers (the same JSON, page size 50), then measures in ``--rounds`` interleaved
rounds (API, floor, API, floor...) so that whatever else the machine does weighs on both
alike, and reports median and 95th percentile per endpoint and the ratio of the medians.
Then a conditional GET (``If-None-Match`` with the ETag just read) against the full
answer, and requests per second with 10 concurrent clients. ``--check`` exits 1 when a
target of issue 13 is missed (lists at most 2x the floor, a 304 at least 5x faster than
the full answer, at least 150 requests/s on a list). The database is the development
server's (the embedded PostgreSQL unless ``DATABASE_URL`` is set), ``--database`` naming
the database on it: by default the benchmarks' own, with the demo loaded by
``benchmarks/pages.py`` (run that once first); a national dataset
(``manage.py generate_national``) is what the issue's targets are for.
"""

import argparse
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

django.setup()

from bodies.models import Body  # noqa: E402
from committees.models import Committee, Seat  # noqa: E402
from ics_registry.embedded_db import embedded_database_url  # noqa: E402
from memberships.models import Membership  # noqa: E402

RESOURCES = ["memberships", "seats", "bodies", "committees"]
LABELLED = {
    "memberships": (Membership, ("end_reason", "status")),
    "seats": (Seat, ("role", "participation")),
    "bodies": (Body, ("kind", "governance_option")),
    "committees": (Committee, ("kind",)),
}
TARGETS = {"list_ratio": 2.0, "not_modified_speedup": 5.0, "throughput": 150.0}


def database_url(name: str) -> str:
    """The development server's address (``DATABASE_URL``, else the embedded
    PostgreSQL's) with the database ``name``."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return embedded_database_url(name)
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def labels_file() -> str:
    """The choice labels the floor needs, written where it reads them."""
    labels = {
        resource: {
            name: {str(value): str(label) for value, label in model._meta.get_field(name).choices}
            for name in fields
        }
        for resource, (model, fields) in LABELLED.items()
    }
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
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
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


def throughput(port: int, path: str, seconds: float, clients: int = 10, headers=None) -> float:
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
    return sum(done) / (time.monotonic() - started)


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
    parser.add_argument("--database", default="ics_registry_benchmarks")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20, help="per endpoint and round")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10, help="of each throughput test")
    parser.add_argument("--report", help="write the figures to this Markdown file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    url = database_url(args.database)
    common = {"DATABASE_URL": url}
    api_env = {
        **common,
        "DJANGO_SETTINGS_MODULE": "ics_registry.settings.prod",
        "SECRET_KEY": "benchmark-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        # The rate limits would throttle the benchmark itself.
        "API_RATE_ANONYMOUS": "100000000/minute",
        # whitenoise warns that no collectstatic was run: the API needs none.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    floor_env = {**common, "FLOOR_LABELS": labels_file()}
    with (
        gunicorn("ics_registry.wsgi:application", args.workers, api_env) as api,
        gunicorn("benchmarks.floor:application", args.workers, floor_env) as floor,
    ):
        for resource in RESOURCES:  # warm both up
            get(api, f"/api/v1/{resource}/?page_size=50")
            get(floor, f"/{resource}/?page_size=50")
        check_floor(api, floor)
        times = latency(api, floor, args.rounds, args.requests)
        cond = conditional(api, args.rounds, max(1, args.requests // 2))
        path = "/api/v1/memberships/?page_size=50"
        etag = get(api, path)[3]["ETag"]
        rps = throughput(api, path, args.seconds)
        rps_304 = throughput(api, path, args.seconds, headers={"If-None-Match": etag})
        rps_floor = throughput(floor, "/memberships/?page_size=50", args.seconds)

    lines, missed = report(args, times, cond, rps, rps_304, rps_floor)
    text = "\n".join(lines)
    print(text)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    if args.check and missed:
        print("\nMissed: " + "; ".join(missed), file=sys.stderr)
        sys.exit(1)


def report(args, times, cond, rps, rps_304, rps_floor) -> tuple[list[str], list[str]]:
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
        "",
        f"## Lists, page size 50 (ms; ratio of medians, target at most {TARGETS['list_ratio']:g}x)",
        "",
        "| endpoint | API median | API p95 | floor median | floor p95 | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for resource, measured in times.items():
        api, floor = measured["api"], measured["floor"]
        ratio = statistics.median(api) / statistics.median(floor)
        if ratio > TARGETS["list_ratio"]:
            missed.append(f"{resource} {ratio:.1f}x the floor")
        lines.append(
            f"| `/api/v1/{resource}/` | {statistics.median(api) * 1000:.1f} | "
            f"{p95(api) * 1000:.1f} | {statistics.median(floor) * 1000:.1f} | "
            f"{p95(floor) * 1000:.1f} | {ratio:.1f}x |"
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


if __name__ == "__main__":
    main()
