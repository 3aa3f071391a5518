"""Filters shared by the FilterSets of every app (API lists and HTML lists alike)."""

import django_filters

from core.db import in_force_on


class SystemCodeFilter(django_filters.CharFilter):
    """``?system=QSL``: rows of the integrated care system with this (ICB ODS) code."""

    def __init__(self, field_name="ics__code", **kwargs):
        kwargs.setdefault("lookup_expr", "iexact")
        kwargs.setdefault("label", "Integrated care system code (the ICB's ODS code), e.g. QSL")
        super().__init__(field_name=field_name, **kwargs)


class IsoDateFilter(django_filters.DateFilter):
    """A date given as YYYY-MM-DD only: the API speaks ISO 8601, not local formats."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


class InForceOnFilter(IsoDateFilter):
    """``?in_force_on=2023-04-01``: rows whose lifecycle covers the date.

    A missing start counts as always was; a missing end as still in force (R30).
    """

    def __init__(self, start="established", end="abolished", **kwargs):
        self.start, self.end = start, end
        kwargs.setdefault("label", "In force on this date (YYYY-MM-DD)")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(in_force_on(value, self.start, self.end))


class OpenOnFilter(IsoDateFilter):
    """``?open_on=2023-04-01`` for organisations: opened by then and not yet closed."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(in_force_on(value, "opened", "closed"))
