"""The project's URLs plus stand-ins for the officers' seat and membership pages, which are
built separately: the committee page's tests use it (``@pytest.mark.urls``) to show that
the page offers those pages' links to an officer of the system, and to nobody else."""

from django.http import HttpResponse
from django.urls import include, path

import ics_registry.urls
import web.urls


def stand_in(request, pk):
    return HttpResponse("stand-in")


EDIT_PAGES = ["seat_appoint", "membership_end", "seat_edit", "seat_abolish", "seat_add"]

web_pages = [
    *web.urls.urlpatterns,
    *(path(f"stand-in/{name}/<int:pk>/", stand_in, name=name) for name in EDIT_PAGES),
]
urlpatterns = [
    path("", include((web_pages, "web"))),
    *ics_registry.urls.urlpatterns[1:],
]
