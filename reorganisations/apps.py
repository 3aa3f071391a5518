from django.apps import AppConfig


class ReorganisationsConfig(AppConfig):
    name = "reorganisations"
    verbose_name = "Reorganisation plans"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from reorganisations import services  # noqa: F401
