"""Reads: boards and committees in force, and which rules apply to each on a date.

Whether a committee complies depends on who holds its seats, a fact of ``memberships``:
``memberships.selectors.compliance_many`` applies these rules to the holders.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from bodies.models import Body, Organisation
from committees.models import Committee, CommitteeKind, Constitution, Requirement
from core.db import in_force_on


def constitutions_in_force(as_of: datetime.date) -> Q:
    return in_force_on(as_of, "effective_from", "effective_to")


def applicable_requirements(
    *, committees: Iterable[Committee], as_of: datetime.date
) -> dict[int, list[Requirement]]:
    """The requirements of every rule set that applies to each committee on ``as_of``.

    General sets (the law, national policy) first, then the committee's own constitution.
    """
    committees = list(committees)
    # One query: the requirements of the rule sets in force, each with its set, in the
    # sets' order (source, code) and then their own (order, id).
    in_force = Constitution.objects.filter(constitutions_in_force(as_of)).filter(
        Q(committee__in=committees) | Q(committee__isnull=True)
    )
    of_set = defaultdict(list)
    rule_sets = {}
    for requirement in (
        Requirement.objects.filter(constitution__in=in_force)
        .select_related("constitution")
        .order_by("constitution__source", "constitution__code", "constitution_id", "order", "id")
    ):
        rule_sets.setdefault(requirement.constitution_id, requirement.constitution)
        of_set[requirement.constitution_id].append(requirement)
    result = {}
    for committee in committees:
        general = [
            rs
            for rs in rule_sets.values()
            if rs.committee_id is None
            and committee.kind in rs.committee_kinds
            and (not rs.body_kinds or committee.body.kind in rs.body_kinds)
        ]
        own = [rs for rs in rule_sets.values() if rs.committee_id == committee.pk]
        result[committee.pk] = [r for rs in general + own for r in of_set[rs.pk]]
    return result


def current_board(body: Body) -> Committee | None:
    """The body's board: its committee of kind board that has not been abolished."""
    return body.committees.filter(kind=CommitteeKind.BOARD, abolished__isnull=True).first()


def principal_committee(body_or_committee) -> Committee:
    """A committee as it is; a body as its board (what officers mean by 'the ICB')."""
    if isinstance(body_or_committee, Committee):
        return body_or_committee
    board = current_board(body_or_committee)
    if board is None:
        raise Committee.DoesNotExist(f"{body_or_committee} has no board")
    return board


def committees_in_scope(*, ics=None, systems=None, as_of: datetime.date):
    """Boards and committees in force on ``as_of``, of one system, of some, or of all."""
    queryset = Committee.objects.filter(in_force_on(as_of)).select_related("body__ics__region")
    if ics is not None:
        queryset = queryset.filter(ics=ics)
    if systems is not None:
        queryset = queryset.filter(ics__in=systems)
    return queryset.order_by("ics__name", "body__kind", "body__name", "kind", "name")


def organisations_to_nominate(*, ics_id: int, chosen=()) -> QuerySet:
    """The organisations an officer may name as nominating a seat in system ``ics_id``: those
    in its footprint, those nominating another of its seats, and those already ``chosen``."""
    return (
        Organisation.objects.filter(
            Q(systems__pk=ics_id) | Q(nominated_seats__ics_id=ics_id) | Q(pk__in=list(chosen))
        )
        .distinct()
        .order_by("name")
    )
