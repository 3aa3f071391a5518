"""Numbers in officers' words."""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``3 seats``, ``1 seat``, ``2 breaches`` (``nouns`` where adding an s is wrong)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
