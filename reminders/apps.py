from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Milestones and reminders"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from reminders import services  # noqa: F401
