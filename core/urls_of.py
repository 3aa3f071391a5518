"""One ``get_absolute_url`` for every registry record: the page where an officer sees it.

Today that is the record's admin page; when the officers' pages arrive, this is the one
place that changes.
"""

from collections.abc import Callable
from functools import cache

from django.urls import get_script_prefix, reverse

# Stands for a row's id in a URL reversed once for many rows.
_ID_MARKER = "8080808080808080"


def _url_name(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_change"


class RegistryUrlMixin:
    """Gives a model ``get_absolute_url``: its change page."""

    def get_absolute_url(self) -> str:
        return reverse(_url_name(self), args=[self.pk])


def absolute_urls(model) -> Callable[[int], str]:
    """``get_absolute_url`` of many rows of ``model``, by id (a ``reverse`` per row cost
    the reminder dispatcher more than the rest of its work on 15,000 milestones)."""
    return urls_of(_url_name(model))


def urls_of(url_name: str) -> Callable[[object], str]:
    """``reverse(url_name, args=[value])`` of many values: the URL is reversed once (per
    script prefix) and each value put in its place."""
    return _urls_of(url_name, get_script_prefix())


@cache
def _urls_of(url_name: str, prefix: str) -> Callable[[object], str]:
    head, tail = reverse(url_name, args=[_ID_MARKER]).split(_ID_MARKER)
    return lambda value: f"{head}{value}{tail}"
