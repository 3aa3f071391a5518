from django.apps import AppConfig


class OfficersConfig(AppConfig):
    """Who is a governance officer, and of which systems: the groups and permissions the
    registry's access rules read (core.api.access), granted by ``manage.py officer``."""

    name = "officers"
    verbose_name = "Governance officers"
