from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo governance of four systems, as data files and the command that loads them.

    The top layer: it may use every app; no app uses it.
    """

    name = "demo"
    verbose_name = "Demo governance"
