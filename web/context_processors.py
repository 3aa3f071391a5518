"""What every page's template may use: ``access`` (see ``web.access``) and the navigation."""

from django.utils.functional import SimpleLazyObject

from web.access import access_for


def registry(request) -> dict:
    # Lazy: a page that never asks what the user may do costs no query.
    return {"access": SimpleLazyObject(lambda: access_for(request))}
