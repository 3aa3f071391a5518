"""Liveness and readiness probes (django-health-check), for a load balancer or an
orchestrator: ``/healthz`` answers 200 while the process serves requests at all;
``/readyz`` answers 200 only when the database answers, the Redis broker (Celery's, which
sends the reminders) answers and every migration of the code is applied, else 500 naming
the failing check. Both are plain HTTP, never cached, and say nothing about the data.
"""

import dataclasses
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration the code holds is applied to the database: a new release whose
    migrate step has not run yet is not ready."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise ServiceUnavailable("The database cannot be read.") from exc
        finally:
            connection.close()
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied.")


def broker_address() -> str | None:
    """Celery's broker as a redis-py address, or None when it is not Redis. Kombu writes
    a Unix socket (the bundled server's) as ``redis+socket://PATH?virtual_host=N``."""
    url = urlsplit(settings.CELERY_BROKER_URL)
    if url.scheme == "redis+socket":
        database = dict(parse_qsl(url.query)).get("virtual_host", "0")
        return f"unix://{url.netloc}{url.path}?db={database}"
    if url.scheme in ("redis", "rediss", "unix"):
        return settings.CELERY_BROKER_URL
    return None


def broker() -> RedisClient:
    return RedisClient.from_url(broker_address(), socket_connect_timeout=3)


class Liveness(HealthCheckView):
    checks = ()


class Readiness(HealthCheckView):
    @property
    def checks(self):
        found = [Database, MigrationsApplied]
        if broker_address():
            found.append((Redis, {"client_factory": broker}))
        return found
