"""Links between the web pages, by URL name."""

from django.urls import NoReverseMatch, reverse


def url_if_ready(name: str, *args) -> str:
    """The URL of ``name`` with ``args``, or "" when no page has that name."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def page_url(name: str, *args) -> str | None:
    """The address of page ``web:<name>``, or None when there is none."""
    return url_if_ready(f"web:{name}", *args) or None


def committee_url(committee) -> str:
    """A board or committee's page, ``/committees/<id>/``."""
    return reverse("web:committee", args=[committee.pk])


def person_url(person_id: int) -> str:
    """A person's page, ``/people/<id>/``."""
    return reverse("web:person", args=[person_id])
