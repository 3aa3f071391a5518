"""Writes: one organisation succeeded by another, as when councils are replaced by a new
unitary council (local government reorganisation) or trusts merge.

What an organisation does in the registry passes to its successor from the effective
date: the systems whose area it serves (the footprint), the seats it nominates to (R4),
the bodies it is a member of (a provider collaborative) and those it convenes (an ICP,
R7). Each dated link of the predecessor ends on its last day and the successor's starts
the next, so compliance on earlier dates reads who did it then. The predecessor is closed
on its last day and the succession is recorded. Memberships held on a predecessor's
behalf are listed, not changed: who a member represented is part of the record, and the
officer re-appoints them for the new council where its constitution says so.

A dry run is the same change rolled back (``keep=False``).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from bodies.models import (
    BodyConvenorLink,
    BodyMemberLink,
    Organisation,
    OrganisationSuccession,
    OrganisationSystemLink,
    SuccessionKind,
)
from bodies.services import organisation_update
from committees.models import SeatNominationLink
from core.dates import en_gb
from core.db import in_force_on
from core.services import audit_context, record_create
from memberships.models import Membership

# Each dated link an organisation has, the field naming what it links to, and how a
# report line reads: "<verb> <what>".
LINKS = (
    (OrganisationSystemLink, "integratedcaresystem", "serves"),
    (SeatNominationLink, "seat", "nominates to"),
    (BodyMemberLink, "body", "is a member of"),
    (BodyConvenorLink, "body", "convenes"),
)


@dataclass
class SuccessionReport:
    successor: str
    effective: datetime.date
    applied: bool
    lines: list[str] = field(default_factory=list)

    def __str__(self):
        verb = "Applied" if self.applied else "Dry run of"
        head = f"{verb}: {self.successor} succeeds from {en_gb(self.effective)}."
        return "\n".join([head, *(f"  - {line}" for line in self.lines)])


class _RolledBack(Exception):
    pass


def organisation_succession_apply(
    *,
    predecessors: list[Organisation],
    successor: Organisation,
    effective: datetime.date,
    kind: str = SuccessionKind.MERGER,
    source: str = "",
    by=None,
    keep: bool = True,
) -> SuccessionReport:
    """``successor`` takes on the footprint, nominations, memberships of bodies and
    convening of ``predecessors`` from ``effective``; they close the day before. Refused
    (ValidationError, nothing written) for an organisation succeeding itself, a
    predecessor already closed by then, or a successor not open on the day."""
    _check(predecessors, successor, effective, kind)
    report = SuccessionReport(successor=successor.name, effective=effective, applied=keep)
    try:
        with transaction.atomic(), audit_context(by, organisation_succession=successor.pk):
            _carry_out(predecessors, successor, effective, kind, source, report, by=by)
            if not keep:
                raise _RolledBack
    except _RolledBack:
        pass
    return report


def _check(predecessors, successor, effective, kind) -> None:
    errors = []
    if not predecessors:
        errors.append("Name at least one predecessor.")
    if kind not in SuccessionKind.values:
        errors.append(f"'{kind}' is not one of: {', '.join(SuccessionKind.values)}")
    eve = effective - datetime.timedelta(days=1)
    for organisation in predecessors:
        if organisation.pk == successor.pk:
            errors.append(f"{organisation.name} cannot succeed itself.")
        elif organisation.closed is not None and organisation.closed < eve:
            errors.append(f"{organisation.name} closed on {en_gb(organisation.closed)}.")
    if successor.closed is not None and successor.closed < effective:
        errors.append(f"{successor.name} closed on {en_gb(successor.closed)}.")
    if successor.opened is not None and successor.opened > effective:
        errors.append(f"{successor.name} opens on {en_gb(successor.opened)}, after the day.")
    if errors:
        raise ValidationError(errors)


def _carry_out(predecessors, successor, effective, kind, source, report, *, by) -> None:
    eve = effective - datetime.timedelta(days=1)
    if successor.opened is None:
        organisation_update(organisation=successor, by=by, opened=effective)
    for predecessor in predecessors:
        for model, target, verb in LINKS:
            for link in model.objects.filter(
                in_force_on(eve, "start", "end"), organisation=predecessor
            ).select_related(target):
                what, until = getattr(link, target), link.end
                _end(link, eve)
                taken = model.objects.filter(
                    in_force_on(effective, "start", "end"),
                    organisation=successor,
                    **{target: what},
                ).exists()
                if not taken:
                    _save(
                        model(organisation=successor, start=effective, end=until, **{target: what})
                    )
                report.lines.append(
                    f"{successor.name} {verb} {what} from {en_gb(effective)} "
                    f"(was {predecessor.name})"
                )
        represented = Membership.objects.filter(on_behalf_of=predecessor).filter(
            Q(end__isnull=True) | Q(end__gte=effective)
        )
        for membership in represented.select_related("seat__committee"):
            report.lines.append(
                f"{membership.person_name} sits on {membership.seat.committee.name} on behalf "
                f"of {predecessor.name}: re-appoint for {successor.name} if the constitution "
                "says so"
            )
        organisation_update(organisation=predecessor, by=by, closed=eve)
        record_create(
            OrganisationSuccession,
            by=by,
            predecessor=predecessor,
            successor=successor,
            kind=kind,
            effective=effective,
            source=source[:300],
        )
        report.lines.append(
            f"{predecessor.name}: closed {en_gb(eve)}, succeeded by {successor.name}"
        )


def _end(link, eve: datetime.date) -> None:
    if link.start is not None and link.start > eve:
        link.delete()
        return
    link.end = eve
    _save(link)


def _save(link) -> None:
    link.full_clean()
    link.save()
