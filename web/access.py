"""What the person looking at a page may do, by the API's rules (``core.api.access``).

Pages ask the same question the API answers, so a button shows only where the matching
write would be allowed: ``{% if access|administers:ics.pk %}`` in a template, or
``access_for(request).administers(ics.pk)`` in a view. Signed out, ``access`` administers
nothing and pages show the public registry only.
"""

from core.api.access import Access, access_of

__all__ = ["Access", "access_for", "administers"]


def access_for(request) -> Access:
    """The :class:`Access` of a page's request (computed once per request)."""
    return access_of(request)


def administers(access: Access | None, ics_id: int | None) -> bool:
    """Whether ``access`` may change the governance of system ``ics_id``."""
    return access is not None and access.administers(ics_id)
