from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from decisions import services  # noqa: F401
