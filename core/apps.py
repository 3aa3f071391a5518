from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared foundations"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from core import services  # noqa: F401
