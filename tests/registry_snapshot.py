"""What the API answers about the registry's boards on sampled dates: every system's
composition, every board's compliance report and every decision's outcome, computed by the
selectors and serializers the API uses. ``tests/test_export_import.py`` compares it before
an export and after the export is restored into another database.

    DATABASE_URL=... python -m tests.registry_snapshot   # prints it as JSON
"""

import datetime
import json
import sys

from django.core.serializers.json import DjangoJSONEncoder

DATES = [datetime.date(2022, 7, 1), datetime.date(2024, 3, 1), datetime.date(2026, 6, 1)]


def snapshot() -> dict:
    from bodies.models import IntegratedCareSystem
    from committees.models import Committee, CommitteeKind
    from committees.selectors import committees_in_scope
    from decisions.models import Decision
    from decisions.selectors import decision_outcomes
    from memberships.api.serializers import system_composition_data
    from memberships.api.views import report_data
    from memberships.selectors import seat_holder_rows

    found: dict = {}
    systems = IntegratedCareSystem.objects.filter(bodies__isnull=False).distinct().order_by("code")
    for ics in systems:
        for as_of in DATES:
            committees = list(
                committees_in_scope(ics=ics, as_of=as_of).values(
                    "id", "name", "kind", "parent_id", "body_id", "body__name", "body__kind"
                )
            )
            seats = seat_holder_rows(committee_ids=[c["id"] for c in committees], as_of=as_of)
            found[f"composition {ics.code} {as_of}"] = system_composition_data(
                system=ics.code, as_of=as_of, committees=committees, seats=seats
            )
    for board in Committee.objects.filter(kind=CommitteeKind.BOARD).order_by("pk"):
        for as_of in DATES:
            found[f"compliance {board.pk} {as_of}"] = report_data(board, as_of)
    decisions = list(Decision.objects.order_by("pk"))
    outcomes = decision_outcomes(decisions)
    found["outcomes"] = {str(d.pk): repr(outcomes[d.pk]) for d in decisions}
    return json.loads(json.dumps(found, cls=DjangoJSONEncoder))


if __name__ == "__main__":
    import django

    django.setup()
    json.dump(snapshot(), sys.stdout)
