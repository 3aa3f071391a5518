"""Django's PostgreSQL backend, with a health check that costs no round trip.

With persistent connections (``CONN_MAX_AGE``) and ``CONN_HEALTH_CHECKS``, Django checks a
kept connection at the start of each request by sending ``SELECT 1`` and waiting for the
answer: one more round trip to the database on every request, as many as a 304 needs in
all (issue 13). Here the check asks the operating system instead whether the server has
sent anything on the idle connection. A healthy idle connection receives nothing; a
server that ends it (a restart, ``pg_terminate_backend``, an idle timeout) sends its
FATAL message and closes the socket first, which makes the socket readable. Anything
waiting to be read, or a connection psycopg already knows to be bad, closes it, and
Django opens a new one before the request's first query, as with ``SELECT 1``.

What no check before use can see (a connection lost mid-request, a network that drops
packets silently) is handled as before: the query fails, and Django closes the
connection at the end of that request (``close_if_unusable_or_obsolete``, which still
sends ``SELECT 1`` after an error).
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


def _readable(fd: int) -> bool:
    """Whether ``fd`` has something to read (or is closed or in error), without waiting."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)
    return bool(readable)


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.pool
            or self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return super().close_if_health_check_failed()
        if not self.is_quiet():
            self.close()
        self.health_check_done = True

    def is_quiet(self) -> bool:
        """Whether the connection is open and idle with nothing sent to it since its last
        answer: see the module docstring."""
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        try:
            return not _readable(pgconn.socket)
        except (OSError, ValueError, self.Database.Error):
            return False
