"""Conventions the decisions models share: how a sum of money is stored, and the check
constraint for "exactly one of these foreign keys is set"."""

from django.db.models import Q

MONEY = {"max_digits": 14, "decimal_places": 2}


def exactly_one(*fields: str) -> Q:
    """Exactly one of the nullable foreign keys ``fields`` is set."""
    options = Q()
    for chosen in fields:
        option = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                option &= Q(**{f"{other}__isnull": True})
        options |= option
    return options
