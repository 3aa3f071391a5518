"""Links to pages that may not exist yet in this build.

The officers' edit pages and the person page are built alongside the committee page;
until their URL names resolve, a page leaves their links out (or, for a person, links to
the address the person page will have) instead of failing.
"""

from django.urls import NoReverseMatch, reverse


def url_if_ready(name: str, *args) -> str:
    """The URL of ``name`` with ``args``, or "" when no page has that name."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def person_url(person_id: int) -> str:
    """A person's page: ``web:person`` once it exists, else its address /people/<id>/."""
    return url_if_ready("web:person", person_id) or f"/people/{person_id}/"
