from django.apps import AppConfig


class WebConfig(AppConfig):
    """The officers' and the public's web pages, in the NHS.UK design system.

    The top layer beside ``ics_registry``: it reads every domain app (selectors) and
    writes only through their services; no app imports it.
    """

    name = "web"
    verbose_name = "Web pages"
