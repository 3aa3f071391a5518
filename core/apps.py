from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_migrate, pre_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared foundations"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from core import services  # noqa: F401
        from core.versioning import install_after_migrate, uninstall_before_migrate

        # After every migrate, every table gets the trigger that bumps the registry's
        # version (core.versioning), including tables added since; a migrate runs without
        # them, as PostgreSQL refuses DDL on a table with pending deferred trigger events.
        pre_migrate.connect(uninstall_before_migrate, sender=self)
        post_migrate.connect(install_after_migrate, sender=self)


def project_apps() -> list[AppConfig]:
    """The installed apps of this repository (not those installed from packages): each is
    a folder beside the settings' BASE_DIR."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base
    ]
