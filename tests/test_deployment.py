"""docker-compose.yml: migrations run once before the application starts, and the
containers' health checks use the probes of core.health."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text()
)
SERVICES = COMPOSE["services"]


def test_migrations_run_once_before_web_worker_and_beat():
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }, name
        assert "migrate" not in str(SERVICES[name]["command"]), name


def test_the_web_health_check_calls_readyz():
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "/readyz" in check


def test_data_lives_in_named_volumes():
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data", "media"}
    assert "postgres-data:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
