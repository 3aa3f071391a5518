"""Membership rules that depend on other rows' dates: pure functions over loaded objects.

``Membership.clean()`` calls them, so the admin, HTML forms, the API and the services
all refuse the same things with the same words.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

from core.dates import en_gb
from core.rules_catalogue import checks


@checks("R30", what="A membership starts while its seat, committee and body exist")
def check_seat_open_on(seat, start: datetime.date) -> None:
    """A membership starts while its seat and committee exist (R30 lifecycles)."""
    if seat.established and start < seat.established:
        raise ValidationError(
            {
                "start": "A membership cannot start before its seat was established "
                f"({en_gb(seat.established)})."
            }
        )
    if seat.abolished and start > seat.abolished:
        raise ValidationError(
            {
                "start": "A membership cannot start after its seat was abolished "
                f"({en_gb(seat.abolished)})."
            }
        )
    committee = seat.committee
    if committee.abolished and start > committee.abolished:
        raise ValidationError(
            {
                "seat": f"{committee.name} was abolished on {en_gb(committee.abolished)}: "
                "its seats cannot take new members after that."
            }
        )


def overlaps(start, end, other_start, other_end) -> bool:
    """Whether two inclusive date ranges share a day; no end runs for ever (R22)."""
    last = datetime.date.max
    return start <= (other_end or last) and other_start <= (end or last)


def overlapping(start, end) -> Q:
    """Memberships whose dates share a day with ``start``..``end`` (R22)."""
    condition = Q(end__isnull=True) | Q(end__gte=start)
    return condition & Q(start__lte=end) if end else condition
