from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "committees"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from committees import services  # noqa: F401
