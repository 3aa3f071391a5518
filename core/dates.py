"""Date arithmetic and en-GB wording used across the registry."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def term_end(start: datetime.date, months: int | None) -> datetime.date | None:
    """Last day of a term of ``months`` that starts on ``start`` (R24); None when untermed."""
    if not months:
        return None
    return add_months(start, months) - datetime.timedelta(days=1)


def en_gb(day: datetime.date | None) -> str:
    """'3 March 2024', as officers write dates."""
    return f"{day.day} {day:%B %Y}" if day else ""


def period_covers(
    start: datetime.date | None, end: datetime.date | None, day: datetime.date
) -> bool:
    """Whether an inclusive period covers ``day`` (no start: since always; no end: for ever)."""
    return (start is None or start <= day) and (end is None or end >= day)
