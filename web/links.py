"""Links between the web pages that other areas build: each resolves when its page is
wired in ``web/urls.py``, and otherwise falls back to the address it will have (or none),
so a page never breaks on a page still being written."""

from django.urls import NoReverseMatch, reverse


def page_url(name: str, *args) -> str | None:
    """The address of page ``web:<name>``, or None while it does not exist."""
    try:
        return reverse(f"web:{name}", args=args)
    except NoReverseMatch:
        return None


def committee_url(committee) -> str:
    """A board or committee's page, ``/committees/<id>/``."""
    return page_url("committee", committee.pk) or f"/committees/{committee.pk}/"


def person_url(person_id: int) -> str:
    """A person's page, ``/people/<id>/``."""
    return page_url("person", person_id) or f"/people/{person_id}/"
