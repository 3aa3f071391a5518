from django.apps import AppConfig


def outcomes_refresh_after_restore(sender, *, progress, **kwargs) -> None:
    """A restore (``core.registry_export``) leaves the stored outcomes out of the file:
    compute them all now, in its transaction, rather than at each decision's first read."""
    from decisions.services import outcomes_refresh

    progress("computing the decisions' outcomes")
    outcomes_refresh()


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self):
        from core.registry_export import registry_restored

        # The services declare which of them writes each model (core.writes).
        from decisions import services  # noqa: F401

        registry_restored.connect(outcomes_refresh_after_restore)
