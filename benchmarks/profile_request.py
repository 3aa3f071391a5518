"""Where one API request's time goes: cProfile of repeated in-process requests.

    .venv/bin/python benchmarks/profile_request.py PATH [--database NAME] [--requests 200]
        [--if-none-match] [--sort cumulative|tottime] [--lines 40]

Each request goes through Django's WSGI handler with the production settings (as under
gunicorn, without the socket), on ``--database`` of the development PostgreSQL (the
embedded one unless ``DATABASE_URL`` is set; by default ``ics_registry_national``, which
``dev.py bench`` fills). ``--if-none-match`` first takes the answer's ETag and then asks
conditionally, so the profile is of a 304. The profile excludes the warm-up request.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stack import PROXIED, database_url, registry_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--database", default="ics_registry_national")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--if-none-match", action="store_true")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()

    os.environ.update(registry_env(database_url(args.database)))
    os.environ["LOG_LEVEL"] = os.environ.get("LOG_LEVEL", "INFO")
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    path, _, query = args.path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in PROXIED.items()},
    }
    found = {}

    def start_response(status, headers, exc_info=None):
        found["status"] = status
        found["headers"] = dict(headers)

    def request():
        body = b"".join(application(dict(environ), start_response))
        return found["status"], body

    status, _ = request()
    if args.if_none_match:
        environ["HTTP_IF_NONE_MATCH"] = found["headers"]["ETag"]
        status, _ = request()
    print(f"{args.path}: {status}", file=sys.stderr)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.requests):
        request()
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"{args.requests} requests, {elapsed / args.requests * 1000:.2f} ms each (profiled)")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
