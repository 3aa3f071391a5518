"""Links between the web pages, by URL name."""

from django.urls import reverse


def committee_url(committee) -> str:
    """A board or committee's page, ``/committees/<id>/``."""
    return reverse("web:committee", args=[committee.pk])


def person_url(person_id: int) -> str:
    """A person's page, ``/people/<id>/``."""
    return reverse("web:person", args=[person_id])
