from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Reports and exports across the registry: the top layer, which nothing imports."""

    name = "publishing"
    verbose_name = "Publishing and reports"
