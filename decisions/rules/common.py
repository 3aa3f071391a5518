"""Wording the decision and delegation rules share: a sum of money and a count of
things, as an officer writes them."""

from decimal import Decimal


def money(amount: Decimal | None) -> str:
    """'£1,250,000' (pence only when there are any)."""
    if amount is None:
        return "no limit"
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
