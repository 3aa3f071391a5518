"""Writes of the appointment process: the only way rounds and their steps change.

Each service checks the step belongs where the round stands (no candidate selected in a
cancelled round, no appointment before every approval is given), writes in one
transaction, audited with the officer who did it, and refuses bad input with a message
an officer can act on; nothing is half-written.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from appointments.models import (
    OPEN_STAGES,
    AppointmentRound,
    Approval,
    Candidate,
    Nomination,
    Outcome,
    Party,
    Reason,
    Stage,
)
from appointments.rules import (
    SeatFacts,
    Term,
    approvals_missing,
    approvals_required,
    approver_problem,
    consecutive_terms,
    nomination_entitlement,
)
from bodies.models import Organisation
from committees.models import CommitteeKind, Seat, SeatNominationLink
from core.dates import en_gb
from core.db import in_force_on
from core.services import audit_context, record_delete, record_update, save_validated
from core.writes import writes
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.selectors import held_on, membership_term_end
from memberships.services import membership_end, membership_replace, membership_start

ONE_DAY = datetime.timedelta(days=1)


def _user(by):
    return by if getattr(by, "pk", None) is not None else None


def _locked(round: AppointmentRound) -> AppointmentRound:
    return (
        AppointmentRound.objects.select_for_update()
        .select_related("seat__committee")
        .get(pk=round.pk)
    )


def _require_stage(round: AppointmentRound, stages, doing: str) -> None:
    if round.stage not in stages:
        raise ValidationError(
            f"This round is {round.get_stage_display().lower()}: it is too late, or too "
            f"early, to {doing}."
        )


def _require_open(round: AppointmentRound, doing: str) -> None:
    _require_stage(round, OPEN_STAGES, doing)


def _not_before_opening(round: AppointmentRound, day: datetime.date, what: str) -> None:
    if day < round.opened_on:
        raise ValidationError(
            f"The {what} ({en_gb(day)}) cannot be before the round opened "
            f"({en_gb(round.opened_on)})."
        )


def seat_facts(seat: Seat) -> SeatFacts:
    return SeatFacts(
        role=seat.role,
        is_chair=seat.is_chair,
        body_kind=seat.body.kind,
        on_board=seat.committee.kind == CommitteeKind.BOARD,
    )


def round_open(
    *,
    seat: Seat,
    opened_on: datetime.date,
    reason: str,
    replaces: Membership | None = None,
    nominations_close: datetime.date | None = None,
    selection_by: datetime.date | None = None,
    appointment_by: datetime.date | None = None,
    lead: Person | None = None,
    by=None,
) -> AppointmentRound:
    """Open an appointment round for ``seat`` (at most one under way per seat)."""
    if replaces is not None and replaces.seat_id != seat.pk:
        raise ValidationError({"replaces": "The membership replaced must be one of this seat's."})
    if reason == Reason.TERM_ENDING and replaces is None:
        raise ValidationError({"replaces": "Name the membership whose term is ending."})
    if seat.abolished is not None and seat.abolished < opened_on:
        raise ValidationError(
            {"seat": f"This seat was abolished on {en_gb(seat.abolished)}: it is not filled."}
        )
    round = AppointmentRound(
        seat=seat,
        opened_on=opened_on,
        reason=reason,
        replaces=replaces,
        nominations_close=nominations_close,
        selection_by=selection_by,
        appointment_by=appointment_by,
        lead=lead,
        opened_by=_user(by),
    )
    return save_validated(round, by=by)


# What a generic change may correct; the rest is fixed when the round opens, or changes
# through the round's steps.
CORRECTABLE = {"nominations_close", "selection_by", "appointment_by", "lead"}


def round_update(*, appointment_round: AppointmentRound, by=None, **changes) -> AppointmentRound:
    """Correct a round's deadlines or lead; its stage changes through its steps, and its
    seat, reason and opening are fixed (cancel a round opened by mistake)."""
    fixed = sorted(set(changes) - CORRECTABLE)
    if fixed:
        raise ValidationError(
            {
                name: "This is fixed once the round is open: cancel it and open another."
                for name in fixed
            }
        )
    return record_update(appointment_round, by=by, **changes)


def nomination_record(
    *,
    round: AppointmentRound,
    organisation: Organisation,
    person: Person,
    nominated_on: datetime.date,
    by=None,
) -> Nomination:
    """Record ``organisation`` nominating ``person`` (R4), and make them a candidate.

    Only an organisation entitled to nominate for the seat on ``nominated_on`` may: one of
    the seat's nominating organisations that day, or, for a partner member's seat with
    none recorded, an organisation of the kind the role names.
    """
    with transaction.atomic(), audit_context(by):
        round = _locked(round)
        _require_stage(round, (Stage.NOMINATING,), "record a nomination")
        _not_before_opening(round, nominated_on, "nomination")
        if round.nominations_close and nominated_on > round.nominations_close:
            raise ValidationError(
                f"Nominations closed on {en_gb(round.nominations_close)}; this one is dated "
                f"{en_gb(nominated_on)}."
            )
        seat = round.seat
        nominators = list(
            SeatNominationLink.objects.filter(in_force_on(nominated_on, "start", "end"), seat=seat)
            .order_by("organisation__name", "organisation_id")
            .values_list("organisation_id", "organisation__name")
        )
        entitlement = nomination_entitlement(
            seat_label=seat.label,
            role=seat.role,
            organisation_id=organisation.pk,
            organisation_name=organisation.name,
            organisation_kind=organisation.kind,
            nominators_on_day=nominators,
            day=nominated_on,
            day_text=en_gb(nominated_on),
        )
        if not entitlement.entitled:
            raise ValidationError({"organisation": entitlement.reason})
        nomination = save_validated(
            Nomination(
                round=round,
                organisation=organisation,
                person=person,
                nominated_on=nominated_on,
                recorded_by=_user(by),
            ),
            by=by,
        )
        if not round.candidates.filter(person=person).exists():
            save_validated(
                Candidate(
                    round=round,
                    person=person,
                    nominated_by=organisation,
                    added_on=nominated_on,
                    recorded_by=_user(by),
                ),
                by=by,
            )
    return nomination


def candidate_add(
    *,
    round: AppointmentRound,
    person: Person,
    added_on: datetime.date,
    nominated_by: Organisation | None = None,
    votes: int | None = None,
    by=None,
) -> Candidate:
    """Add ``person`` to the round's candidates (shortlisted); selection starts."""
    with transaction.atomic(), audit_context(by):
        round = _locked(round)
        _require_stage(round, (Stage.NOMINATING, Stage.SELECTING), "add a candidate")
        _not_before_opening(round, added_on, "candidate's date")
        if (
            nominated_by is not None
            and not round.nominations.filter(organisation=nominated_by, person=person).exists()
        ):
            raise ValidationError(
                {
                    "nominated_by": f"{nominated_by.name} has not nominated {person.name} in "
                    "this round: record the nomination first (R4)."
                }
            )
        candidate = save_validated(
            Candidate(
                round=round,
                person=person,
                nominated_by=nominated_by,
                added_on=added_on,
                votes=votes,
                recorded_by=_user(by),
            ),
            by=by,
        )
        if round.stage == Stage.NOMINATING:
            round.stage = Stage.SELECTING
            save_validated(round, by=by)
    return candidate


def candidate_withdraw(*, candidate: Candidate, on: datetime.date, by=None) -> Candidate:
    """Record that ``candidate`` withdrew on ``on``."""
    with transaction.atomic(), audit_context(by):
        round = _locked(candidate.round)
        _require_stage(round, (Stage.NOMINATING, Stage.SELECTING), "withdraw a candidate")
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.outcome != Outcome.SHORTLISTED:
            raise ValidationError(f"This candidate is already {candidate.get_outcome_display()}.")
        candidate.outcome, candidate.decided_on = Outcome.WITHDRAWN, on
        return save_validated(candidate, by=by)


def candidate_select(
    *,
    candidate: Candidate,
    on: datetime.date,
    votes: dict[int, int] | None = None,
    by=None,
) -> Candidate:
    """Select ``candidate`` on ``on``; the other shortlisted candidates are not selected.

    ``votes`` (candidate id: votes) records an election's count. The round then awaits
    the approvals the seat needs, or, needing none, is agreed.
    """
    with transaction.atomic(), audit_context(by):
        round = _locked(candidate.round)
        _require_stage(round, (Stage.NOMINATING, Stage.SELECTING), "select a candidate")
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.outcome != Outcome.SHORTLISTED:
            raise ValidationError(
                f"{candidate.person.name} is {candidate.get_outcome_display().lower()}: only "
                "a shortlisted candidate can be selected."
            )
        others = list(
            round.candidates.select_for_update()
            .filter(outcome=Outcome.SHORTLISTED)
            .exclude(pk=candidate.pk)
        )
        votes = votes or {}
        unknown = set(votes) - {c.pk for c in [candidate, *others]}
        if unknown:
            raise ValidationError({"votes": "Votes are counted for this round's candidates only."})
        for other in others:
            other.outcome, other.decided_on = Outcome.NOT_SELECTED, on
            other.votes = votes.get(other.pk, other.votes)
            save_validated(other, by=by)
        candidate.outcome, candidate.decided_on = Outcome.SELECTED, on
        candidate.votes = votes.get(candidate.pk, candidate.votes)
        save_validated(candidate, by=by)
        required = approvals_required(seat_facts(round.seat))
        round.stage = Stage.AWAITING_APPROVAL if required else Stage.AGREED
        save_validated(round, by=by)
    return candidate


def approval_record(
    *,
    round: AppointmentRound,
    party: str,
    given_on: datetime.date,
    organisation: Organisation | None = None,
    agreed_by: Person | None = None,
    reference: str = "",
    by=None,
) -> Approval:
    """Record ``party``'s approval of the selected candidate (the "agreed by" of R7 and
    R11). Once every approval the seat needs is given, the round is agreed."""
    with transaction.atomic(), audit_context(by):
        round = _locked(round)
        _require_stage(round, (Stage.AWAITING_APPROVAL,), "record an approval")
        required = approvals_required(seat_facts(round.seat))
        if party not in required:
            labels = ", ".join(Party(p).label for p in required)
            raise ValidationError(
                {
                    "party": f"An appointment to the {round.seat.label} seat is approved by "
                    f"{labels or 'no one'}, not by {Party(party).label}."
                }
            )
        agreed_by_is_chair = None
        if agreed_by is not None:
            agreed_by_is_chair = Membership.objects.filter(
                held_on(given_on),
                seat__committee_id=round.seat.committee_id,
                seat__is_chair=True,
                person=agreed_by,
            ).exists()
        problem = approver_problem(
            party=party,
            party_label=Party(party).label,
            organisation_kind=organisation.kind if organisation is not None else None,
            organisation_name=organisation.name if organisation is not None else "",
            agreed_by_is_chair=agreed_by_is_chair,
        )
        if problem:
            raise ValidationError(problem)
        selected = round.candidates.get(outcome=Outcome.SELECTED)
        if given_on < selected.decided_on:
            raise ValidationError(
                {
                    "given_on": f"The approval cannot come before the selection "
                    f"({en_gb(selected.decided_on)})."
                }
            )
        approval = save_validated(
            Approval(
                round=round,
                party=party,
                organisation=organisation,
                agreed_by=agreed_by,
                given_on=given_on,
                reference=reference,
                recorded_by=_user(by),
            ),
            by=by,
        )
        given = round.approvals.values_list("party", flat=True)
        if not approvals_missing(required, given):
            round.stage = Stage.AGREED
            save_validated(round, by=by)
    return approval


def _free_from(seat: Seat, on: datetime.date, start: datetime.date) -> datetime.date | None:
    """The first day from ``on`` on which the seat has no holder up to ``start``, if any
    before ``start``: a designate appointment takes a seat only when it is free."""
    held = Membership.objects.filter(seat=seat, start__lt=start).exclude(end__lt=on)
    last = None
    for membership in held:
        if membership.end is None:
            return None
        last = membership.end if last is None else max(last, membership.end)
    first = on if last is None else last + ONE_DAY
    return first if first < start else None


def round_appoint(
    *,
    round: AppointmentRound,
    on: datetime.date,
    start: datetime.date,
    by=None,
) -> Membership:
    """Appoint the selected candidate on ``on`` to take up the seat on ``start``.

    Refused before every approval the seat needs is given. The holder being succeeded
    (the round's ``replaces``), still in the seat, leaves it the day before ``start``.
    The appointment is made through ``membership_start``: when it starts after ``on``,
    the appointee is designate from ``on`` (or from the day the seat is free, if later)
    and substantive from ``start``, recorded as a change of status the way the memberships
    services record one; the round is then closed and linked to the appointment.
    """
    with transaction.atomic(), audit_context(by):
        round = _locked(round)
        _require_open(round, "make the appointment")
        _not_before_opening(round, on, "appointment")
        if start < on:
            raise ValidationError({"start": "The appointee cannot start before the appointment."})
        selected = round.candidates.filter(outcome=Outcome.SELECTED).first()
        if selected is None:
            raise ValidationError("Select a candidate before making the appointment.")
        required = approvals_required(seat_facts(round.seat))
        missing = approvals_missing(required, round.approvals.values_list("party", flat=True))
        if missing:
            labels = ", ".join(Party(p).label for p in missing)
            raise ValidationError(f"The appointment still needs the approval of: {labels}.")
        if on < selected.decided_on:
            raise ValidationError(
                {
                    "on": f"The appointment cannot come before the selection "
                    f"({en_gb(selected.decided_on)})."
                }
            )
        if round.replaces_id is not None:
            outgoing = Membership.objects.select_for_update().get(pk=round.replaces_id)
            if outgoing.end is None or outgoing.end >= start:
                membership_end(
                    membership=outgoing,
                    end=start - ONE_DAY,
                    reason=EndReason.TERM_EXPIRED,
                    by=by,
                )
        seat, person = round.seat, selected.person
        on_behalf_of = selected.nominated_by
        designate_from = _free_from(seat, on, start) if start > on else None
        designate = None
        if designate_from is not None:
            designate = membership_start(
                seat=seat,
                person=person,
                start=designate_from,
                status=MembershipStatus.DESIGNATE,
                on_behalf_of=on_behalf_of,
                by=by,
            )
            appointment = membership_replace(
                membership=designate,
                person=person,
                start=start,
                status=MembershipStatus.SUBSTANTIVE,
                on_behalf_of=on_behalf_of,
                by=by,
            )
        else:
            appointment = membership_start(
                seat=seat, person=person, start=start, on_behalf_of=on_behalf_of, by=by
            )
        round.stage, round.closed_on = Stage.APPOINTED, on
        round.membership, round.designate_membership = appointment, designate
        save_validated(round, by=by)
    return appointment


def _finish(round, *, stage: str, on: datetime.date, note: str, by) -> AppointmentRound:
    with transaction.atomic(), audit_context(by):
        locked = _locked(round)
        _require_open(locked, "close it")
        locked.stage, locked.closed_on, locked.outcome_note = stage, on, note
        save_validated(locked, by=by)
    round.refresh_from_db()
    return round


def round_close(
    *, round: AppointmentRound, on: datetime.date, note: str = "", by=None
) -> AppointmentRound:
    """Close the round on ``on`` without an appointment (no suitable candidate)."""
    return _finish(round, stage=Stage.CLOSED, on=on, note=note, by=by)


def round_cancel(
    *, round: AppointmentRound, on: datetime.date, note: str = "", by=None
) -> AppointmentRound:
    """Cancel the round on ``on`` (opened by mistake, or the seat is no longer needed)."""
    return _finish(round, stage=Stage.CANCELLED, on=on, note=note, by=by)


# -- terms ending (R24) -------------------------------------------------------------------


def terms_served(membership: Membership) -> int:
    """Consecutive terms the holder of ``membership`` has served in its seat, to it."""
    rows = Membership.objects.filter(
        seat_id=membership.seat_id, person_id=membership.person_id, start__lte=membership.start
    ).values_list("start", "end", "end_reason")
    return consecutive_terms([Term(*row) for row in rows])


def _scheduled_end(membership: Membership) -> datetime.date | None:
    return membership.end or membership_term_end(membership)


def membership_reappoint(
    *, membership: Membership, start: datetime.date | None = None, by=None
) -> Membership:
    """Re-appoint the holder of ``membership`` for a further term from ``start`` (by
    default the day after the term ends), refused beyond the seat's maximum number of
    consecutive terms. The current term ends the day before."""
    with transaction.atomic(), audit_context(by):
        current = (
            Membership.objects.select_for_update().select_related("seat").get(pk=membership.pk)
        )
        seat = current.seat
        ends = _scheduled_end(current)
        if start is None:
            if ends is None:
                raise ValidationError(
                    {"start": "This seat has no term length: give the day the new term starts."}
                )
            start = ends + ONE_DAY
        if start <= current.start:
            raise ValidationError({"start": "A further term starts after the current one."})
        served = terms_served(current)
        if seat.max_terms is not None and served >= seat.max_terms:
            raise ValidationError(
                f"{current.person_name} has served {served} consecutive "
                f"term{'s' if served != 1 else ''} in the {seat.label} seat, the most its "
                f"constitution allows ({seat.max_terms}): open an appointment round instead."
            )
        if current.end is not None and current.end + ONE_DAY < start:
            raise ValidationError(
                {
                    "start": f"The current term ended on {en_gb(current.end)}: a further term "
                    "follows on the next day."
                }
            )
        if current.end is None or current.end >= start:
            membership_end(
                membership=current, end=start - ONE_DAY, reason=EndReason.TERM_EXPIRED, by=by
            )
        return membership_start(
            seat=seat,
            person=current.person,
            start=start,
            status=current.status,
            on_behalf_of=current.on_behalf_of,
            by=by,
        )


def membership_term_expire(*, membership: Membership, by=None) -> Membership:
    """A term has ended with no successor: where the seat allows it, the holder carries
    over until the successor starts (the membership stays open); otherwise the
    membership ends on the term's last day and the seat falls vacant."""
    with transaction.atomic(), audit_context(by):
        current = (
            Membership.objects.select_for_update().select_related("seat").get(pk=membership.pk)
        )
        ends = membership_term_end(current)
        if ends is None:
            raise ValidationError("This seat has no term length: its terms do not expire.")
        if current.end is not None:
            raise ValidationError(f"This membership already ended on {en_gb(current.end)}.")
        if current.seat.carry_over_allowed:
            return current
        return membership_end(membership=current, end=ends, reason=EndReason.TERM_EXPIRED, by=by)


# While a step recorded by mistake may be deleted: until the round has moved past it
# (a selected candidate, or an approval once agreed, is what the later steps rest on).
DELETABLE_IN = {
    Nomination: (Stage.NOMINATING, Stage.SELECTING),
    Candidate: (Stage.NOMINATING, Stage.SELECTING),
    Approval: (Stage.AWAITING_APPROVAL,),
}


def step_delete(*, step, by=None) -> None:
    """Delete a step recorded by mistake, while its round has not moved past it."""
    with transaction.atomic(), audit_context(by):
        round = _locked(step.round)
        if round.stage not in OPEN_STAGES:
            raise ValidationError("The round is finished: its steps are kept as they were.")
        _require_stage(round, DELETABLE_IN[type(step)], "delete this step")
        if isinstance(step, Candidate) and step.outcome == Outcome.SELECTED:
            raise ValidationError("The selected candidate is kept: withdraw them instead.")
        record_delete(step, by=by)


def nomination_delete(*, nomination: Nomination, by=None) -> None:
    step_delete(step=nomination, by=by)


def candidate_delete(*, candidate: Candidate, by=None) -> None:
    step_delete(step=candidate, by=by)


def approval_delete(*, approval: Approval, by=None) -> None:
    step_delete(step=approval, by=by)


writes(
    AppointmentRound,
    create=round_open,
    update=round_update,
    delete=record_delete,
    lifecycle={
        "stage": "close",
        "closed_on": "close",
        "outcome_note": "close",
        "membership": "appoint",
        "designate_membership": "appoint",
    },
)
writes(Nomination, create=nomination_record, delete=nomination_delete)
writes(
    Candidate,
    create=candidate_add,
    delete=candidate_delete,
    lifecycle={"outcome": "select", "decided_on": "select"},
)
writes(Approval, create=approval_record, delete=approval_delete)
