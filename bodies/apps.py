from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "bodies"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from bodies import services  # noqa: F401
