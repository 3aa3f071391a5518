"""``/systems/<code>/popolo/``: a system's governance as Popolo JSON."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from publishing.popolo import PopoloSerializer, popolo_export


class SystemPopoloActions:
    """Added to the systems resource where the API is assembled (``ics_registry.api_urls``)."""

    @extend_schema(responses=PopoloSerializer)
    @action(detail=True)
    def popolo(self, request, code):
        """The system's governance as Popolo JSON: organizations (the ICB, its bodies and
        committees, nominating organisations), posts (seats), persons, memberships, and
        motions and vote events for public decisions; the whole history, not one date.
        Organisations and bodies carry their founding and dissolution dates, and their
        predecessors and successors (a merger, R30) as an extension of Popolo."""
        ics = self.get_object()
        return Response(popolo_export(ics=ics))
