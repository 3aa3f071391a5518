"""Filters every template has without {% load %} (TEMPLATES "builtins" in settings).

- ``{{ day|uk_date }}``: "1 April 2026" (empty for None).
- ``{% if access|administers:ics.pk %}``: whether the user may change that system.
- ``{{ field|nhs_field }}``, ``error_target``, ``and_forms``: for the form components.
- ``{% for heading, cell in row|with_headings:head %}``: responsive table cells.
- ``{% querystring %}`` is Django's own (5.1+): keep the page's filters in links.
"""

from django import template

from core.dates import en_gb
from web import access as web_access
from web.forms import describe_field, first_input_id

register = template.Library()


@register.filter
def uk_date(day) -> str:
    return en_gb(day)


@register.filter
def administers(access, ics_id) -> bool:
    return web_access.administers(access, ics_id)


@register.filter
def nhs_field(bound_field):
    return describe_field(bound_field)


@register.filter
def error_target(bound_field) -> str:
    """The id an error summary links to: the field's first box."""
    return first_input_id(bound_field)


@register.filter
def and_forms(form, more) -> list:
    """``form`` followed by the forms in ``more`` (for one error summary over several)."""
    return [f for f in [form, *(more or [])] if f]


@register.filter
def with_headings(row, head) -> list:
    """Each cell of a table row with its column's heading (NHS.UK responsive tables)."""
    return list(zip(head, row, strict=False))


@register.inclusion_tag("web/components/breadcrumbs.html")
def breadcrumbs(*hrefs_and_texts):
    """``{% breadcrumbs home "Systems overview" system_url ics.name %}``: pairs of link and
    text, from the home page down to the page's parent."""
    pairs = list(hrefs_and_texts)
    return {"crumbs": list(zip(pairs[::2], pairs[1::2], strict=True))}


@register.filter
def minutes(delta) -> int:
    """A ``timedelta`` in whole minutes (how long a locked-out sign-in waits)."""
    return int(delta.total_seconds() // 60) if delta else 0


# The colour of each verdict of a system's compliance (publishing ``SystemSummary.verdict``).
VERDICT_COLOURS = {
    "Abolished": "grey",
    "Not yet established": "grey",
    "Not recorded": "grey",
    "Statutory breach": "red",
    "Not compliant": "orange",
    "Compliant, with warnings": "yellow",
    "Compliant": "green",
}


@register.filter
def verdict_colour(verdict: str) -> str:
    return VERDICT_COLOURS[verdict]
