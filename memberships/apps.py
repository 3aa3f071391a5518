from django.apps import AppConfig


class MembershipsConfig(AppConfig):
    name = "memberships"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from memberships import services  # noqa: F401
