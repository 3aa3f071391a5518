"""What the person looking at a page may do, by the API's rules (``core.api.access``).

Pages ask the same question the API answers, so a button shows only where the matching
write would be allowed: ``{% if access|administers:ics.pk %}`` in a template, or
``access_for(request).administers(ics.pk)`` in a view. Signed out, ``access`` administers
nothing and pages show the public registry only.
"""

from collections.abc import Iterable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.api.access import Access, access_of

__all__ = ["Access", "access_for", "administers", "officer_only"]


def access_for(request) -> Access:
    """The :class:`Access` of a page's request (computed once per request)."""
    return access_of(request)


def administers(access: Access | None, ics_id: int | None) -> bool:
    """Whether ``access`` may change the governance of system ``ics_id``."""
    return access is not None and access.administers(ics_id)


def officer_only(request, systems: Iterable[int], *permissions: str):
    """Who may open an officer's edit page, by the API's rule for the same writes.

    Signed out: a redirect to sign in (returned). Not an officer of one of ``systems`` (a
    person in no system yet: any officer), or without the model ``permissions`` the API
    asks for the page's writes: 403 (raised). None when the officer may go on.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = access_for(request)
    if not access.administers_any(systems, officer_if_none=True) or not all(
        access.may(permission) for permission in permissions
    ):
        raise PermissionDenied("Only the system's governance officers may change this.")
    return None
