"""One ``get_absolute_url`` for every registry record: the page where an officer sees it.

Today that is the record's admin page; when the officers' pages arrive, this is the one
place that changes.
"""

from django.urls import reverse


class RegistryUrlMixin:
    """Gives a model ``get_absolute_url``: its change page."""

    def get_absolute_url(self) -> str:
        opts = self._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.pk])
