from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Appointments"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from appointments import services  # noqa: F401
