"""Reads: the system-level statutory checks (R32) of many systems on a date.

``system_reports`` gathers every fact the checks in ``committees.system_rules`` need for
any number of systems in a fixed number of queries (their bodies and their committees,
whatever their dates), so England's 42 systems are checked as cheaply as one.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from bodies.models import Body, IntegratedCareSystem
from committees.models import Committee
from committees.system_rules import Dated, SystemFacts, SystemReport, evaluate_system


def systems_in_force(as_of: datetime.date) -> Q:
    """Systems that exist on ``as_of``: on or after their go-live, not after their last day.

    Unlike ``core.db.in_force_on``, an unknown go-live is not "always was": a system with
    no go-live date is designate or in shadow form, not yet established.
    """
    return Q(go_live__isnull=False, go_live__lte=as_of) & (
        Q(abolished__isnull=True) | Q(abolished__gte=as_of)
    )


def system_reports(
    *, as_of: datetime.date, systems: Iterable[IntegratedCareSystem] | QuerySet | None = None
) -> dict[int, SystemReport]:
    """The statutory report of each system (of ``systems``, or all), keyed by its id.

    Every system given has a report: those not in force on ``as_of`` say so and are not
    checked; those with nothing recorded on the date are "not recorded".
    """
    if systems is None:
        systems = IntegratedCareSystem.objects.all()
    systems = list(systems)
    if not systems:
        return {}
    ids = [ics.pk for ics in systems]
    bodies = defaultdict(list)
    for row in Body.objects.filter(ics_id__in=ids).values(
        "pk", "ics_id", "name", "kind", "established", "abolished"
    ):
        bodies[row.pop("ics_id")].append(Dated(**row))
    committees = defaultdict(list)
    for row in Committee.objects.filter(ics_id__in=ids).values(
        "pk",
        "ics_id",
        "name",
        "kind",
        "established",
        "abolished",
        "parent_id",
        "body__kind",
        "body__established",
        "body__abolished",
    ):
        committees[row.pop("ics_id")].append(
            Dated(
                body_kind=row.pop("body__kind"),
                body_established=row.pop("body__established"),
                body_abolished=row.pop("body__abolished"),
                **row,
            )
        )
    return {
        ics.pk: evaluate_system(
            SystemFacts(
                as_of=as_of,
                ics_id=ics.pk,
                name=ics.name,
                go_live=ics.go_live,
                abolished=ics.abolished,
                bodies=tuple(bodies[ics.pk]),
                committees=tuple(committees[ics.pk]),
            )
        )
        for ics in systems
    }


def system_report(*, ics: IntegratedCareSystem, as_of: datetime.date) -> SystemReport:
    return system_reports(as_of=as_of, systems=[ics])[ics.pk]
