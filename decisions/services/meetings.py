"""Writes for meetings: scheduling them, attendance, decisions, votes, and conflicts of
interest on an item, declared or suggested from the register (R25-R27).

Outcomes (quorate, carried, valid) are never written: ``decisions.selectors.meetings``
computes them. A decision may name the delegation it was made under and a conflict the
register entry it arises from; neither ``decisions.services.delegations`` nor
``decisions.services.interests`` imports this module.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from bodies.models import Organisation
from committees.models import Committee, StandingOrders
from core.dates import en_gb
from core.db import in_force_on
from core.services import audit_context, record_delete, record_update, save_validated
from core.writes import writes
from decisions.models.delegations import Delegation
from decisions.models.interests import InterestDeclaration
from decisions.models.meetings import (
    COVER_SHEET_FIELDS,
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    DecisionType,
    Meeting,
    MeetingStatus,
    Part,
    Vote,
    VoteValue,
)
from decisions.rules.meetings import Tally, casting_vote_refusal, evaluate_decision, vote_refusal
from decisions.selectors.meetings import (
    covers,
    decision_facts,
    decision_outcomes,
    suggested_conflicts,
)
from decisions.selectors.outcomes import RULES_VERSION
from memberships.models import Membership, Person
from memberships.selectors import held_on

# -- meetings and attendance --------------------------------------------------------------


def meeting_schedule(
    *,
    committee: Committee,
    date: datetime.date,
    title: str = "",
    location: str = "",
    status: str = MeetingStatus.SCHEDULED,
    by=None,
) -> Meeting:
    """Record a meeting of a board or committee (refused outside the committee's lifetime)."""
    if committee.established and date < committee.established:
        raise ValidationError(
            {"date": f"{committee.name} was established on {en_gb(committee.established)}."}
        )
    if committee.abolished and date > committee.abolished:
        raise ValidationError(
            {"date": f"{committee.name} was abolished on {en_gb(committee.abolished)}."}
        )
    meeting = Meeting(committee=committee, date=date, title=title, location=location, status=status)
    return save_validated(meeting, by=by)


def meeting_set_status(*, meeting: Meeting, status: str, by=None) -> Meeting:
    """Mark a meeting held or cancelled; a meeting with decisions cannot be cancelled."""
    if status == MeetingStatus.CANCELLED and meeting.decisions.exists():
        raise ValidationError(
            "Decisions are recorded for this meeting, so it cannot be cancelled: remove them "
            "first or record that it was held."
        )
    meeting.status = status
    return save_validated(meeting, by=by)


def _seat_on(person_id: int, committee_id: int, day: datetime.date) -> Membership | None:
    return (
        Membership.objects.filter(held_on(day), person_id=person_id, committee_id=committee_id)
        .select_related("seat")
        .first()
    )


def seat_at_meeting(*, person: Person, meeting: Meeting) -> Membership | None:
    """The seat ``person`` held on the meeting's board or committee on its date, if any."""
    return _seat_on(person.pk, meeting.committee_id, meeting.date)


def member_seat(*, meeting, person, capacity: str, membership: Membership | None):
    """A member's seat, found from the meeting's date when it is not given."""
    if capacity == Capacity.MEMBER and membership is None and meeting and person:
        return seat_at_meeting(person=person, meeting=meeting)
    return membership


def validate_attendance(attendance: Attendance) -> None:
    """Refuse attendance that the meeting's membership and standing orders do not allow."""
    meeting = Meeting.objects.select_related("committee").get(pk=attendance.meeting_id)
    committee, day = meeting.committee, meeting.date
    person = Person.objects.get(pk=attendance.person_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("No attendance is recorded for a cancelled meeting.")
    others = Attendance.objects.filter(meeting=meeting).exclude(pk=attendance.pk)

    if attendance.capacity == Capacity.MEMBER:
        membership = attendance.membership
        if membership is None:
            raise ValidationError(
                {
                    "membership": f"{person.name} does not hold a seat on {committee.name} on "
                    f"{en_gb(day)}: record them as in attendance or as an observer."
                }
            )
        if membership.person_id != person.pk:
            raise ValidationError(
                {"membership": f"This seat is held by {membership.person_name}, not {person.name}."}
            )
        if membership.committee_id != committee.pk or not covers(membership, day):
            raise ValidationError(
                {
                    "membership": f"{person.name} did not hold this seat on {committee.name} on "
                    f"{en_gb(day)}: record them as in attendance or as an observer."
                }
            )
        deputy = others.filter(deputising_for=membership).select_related("person").first()
        if deputy and attendance.status == AttendanceStatus.PRESENT:
            raise ValidationError(
                f"{deputy.person.name} is recorded as deputy for {person.name} at this meeting: "
                "a member and their deputy are not both present."
            )
    elif attendance.capacity == Capacity.DEPUTY:
        standing_orders = StandingOrders.objects.filter(
            in_force_on(day, "effective_from", "effective_to"), committee=committee
        ).first()
        if standing_orders is None or not standing_orders.deputies_allowed:
            raise ValidationError(
                {
                    "capacity": f"The standing orders of {committee.name} do not allow deputies: "
                    "record them as in attendance."
                }
            )
        member = attendance.deputising_for
        if member is None:
            raise ValidationError({"deputising_for": "Name the member the deputy replaces."})
        if member.committee_id != committee.pk or not covers(member, day):
            raise ValidationError(
                {
                    "deputising_for": f"{member.person_name} was not a member of {committee.name} "
                    f"on {en_gb(day)}, so nobody can deputise for them."
                }
            )
        if member.person_id == person.pk:
            raise ValidationError({"deputising_for": "A member cannot deputise for themselves."})
        if _seat_on(person.pk, committee.pk, day):
            raise ValidationError(
                {
                    "capacity": f"{person.name} is a member of {committee.name} in their own "
                    "right: record them as a member."
                }
            )
        if others.filter(membership=member, status=AttendanceStatus.PRESENT).exists():
            raise ValidationError(
                {
                    "deputising_for": f"{member.person_name} is recorded as present, so needs "
                    "no deputy."
                }
            )
    else:
        own_seat = _seat_on(person.pk, committee.pk, day)
        if own_seat:
            raise ValidationError(
                {
                    "capacity": f"{person.name} holds a seat ({own_seat.seat.label}) on "
                    f"{committee.name} on {en_gb(day)}: record their attendance as a member."
                }
            )


def attendance_record(
    *,
    meeting: Meeting,
    person: Person,
    status: str = AttendanceStatus.PRESENT,
    capacity: str = Capacity.MEMBER,
    membership: Membership | None = None,
    deputising_for: Membership | None = None,
    by=None,
) -> Attendance:
    """Record that ``person`` was present, sent apologies or was absent, and in what capacity.

    A member's seat is found from the meeting's date when not given. Deputies only where
    the standing orders allow them; non-members attend or observe.
    """
    membership = member_seat(
        meeting=meeting, person=person, capacity=capacity, membership=membership
    )
    attendance = Attendance(
        meeting=meeting,
        person=person,
        status=status,
        capacity=capacity,
        membership=membership,
        deputising_for=deputising_for,
    )
    with transaction.atomic(), audit_context(by):
        validate_attendance(attendance)
        return save_validated(attendance, by=by)


# -- decisions, votes and conflicts (R26, R27) --------------------------------------------


def decision_record(
    *,
    meeting: Meeting,
    item_number: str,
    title: str,
    decision_type: str,
    part: str = Part.PUBLIC,
    paper_reference: str = "",
    recommendation: str = "",
    by_consensus: bool = False,
    delegation: Delegation | None = None,
    function_exercised: str = "",
    amount: Decimal | None = None,
    concerned_organisations: Iterable[Organisation] = (),
    by=None,
    **cover_sheet,
) -> Decision:
    """Record an item put to a meeting, with its paper's cover sheet (``cover_sheet``:
    the fields of ``COVER_SHEET_FIELDS``). Whether it is quorate, carried and within any
    delegation is computed afterwards, never recorded here."""
    unknown = sorted(set(cover_sheet) - set(COVER_SHEET_FIELDS))
    if unknown:
        raise TypeError(f"decision_record() got unexpected fields: {', '.join(unknown)}")
    decision = Decision(
        meeting=meeting,
        item_number=item_number,
        title=title,
        decision_type=decision_type,
        part=part,
        paper_reference=paper_reference,
        recommendation=recommendation,
        by_consensus=by_consensus,
        delegation=delegation,
        function_exercised=function_exercised,
        amount=amount,
        **cover_sheet,
    )
    with transaction.atomic(), audit_context(by):
        validate_decision(decision)
        save_validated(decision, by=by)
        decision.concerned_organisations.set(concerned_organisations)
    return decision


def validate_decision(decision: Decision) -> None:
    """Refuse an item at a cancelled meeting."""
    meeting = Meeting.objects.get(pk=decision.meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": "No decisions are made at a cancelled meeting."})


def validate_vote(
    *,
    decision: Decision,
    attendance: Attendance,
    value: str,
    is_casting_vote: bool = False,
    replacing: Vote | None = None,
) -> None:
    """Refuse a vote that may not be counted: by a non-voting seat, a non-member on the day,
    a member not present, a conflicted member, or a second vote (R5, R26, R27).

    ``replacing``: the recorded vote being corrected, which the checks leave out.
    """
    meeting = decision.meeting
    if attendance.meeting_id != decision.meeting_id:
        raise ValidationError(
            {"attendance": "The voter's attendance is at another meeting, not this one."}
        )
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            "Votes are recorded for a meeting that was held; this one is "
            f"{meeting.get_status_display().lower()}."
        )
    if decision.decision_type == DecisionType.NOTE:
        raise ValidationError("Items for noting are not put to a vote.")
    if decision.by_consensus:
        raise ValidationError(
            "This item is recorded as agreed by consensus: no votes are recorded on it."
        )
    facts = decision_facts(decision)
    if replacing is not None and replacing.pk is not None:
        facts = dataclasses.replace(
            facts, votes=tuple(v for v in facts.votes if v.vote_id != replacing.pk)
        )
    voter = next(a for a in facts.attendees if a.attendance_id == attendance.pk)
    refusal = vote_refusal(voter, facts.rules, facts.conflicts)
    if refusal:
        raise ValidationError(refusal)
    earlier = [v for v in facts.votes if v.attendance_id == attendance.pk]
    if not is_casting_vote:
        if any(not v.is_casting_vote for v in earlier):
            raise ValidationError(f"{voter.name} has already voted on this item.")
        return
    if value == VoteValue.ABSTAIN:
        raise ValidationError("A casting vote is for or against, never an abstention.")
    if any(v.is_casting_vote for v in facts.votes):
        raise ValidationError("A casting vote is already recorded on this item.")
    counted = evaluate_decision(facts).tally
    ordinary = Tally(counted.votes_for, counted.against, counted.abstain)
    refusal = casting_vote_refusal(voter, facts.attendees, facts.rules, ordinary)
    if refusal:
        raise ValidationError(refusal)


def vote_cast(
    *,
    decision: Decision,
    attendance: Attendance,
    value: str,
    is_casting_vote: bool = False,
    by=None,
) -> Vote:
    """Record one vote (or the chair's casting vote) on a decision (R26)."""
    with transaction.atomic(), audit_context(by):
        # One voter at a time per item, so two clerks cannot both record the deciding vote.
        decision = (
            Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
        )
        validate_vote(
            decision=decision,
            attendance=attendance,
            value=value,
            is_casting_vote=is_casting_vote,
        )
        vote = Vote(
            decision=decision,
            attendance=attendance,
            value=value,
            is_casting_vote=is_casting_vote,
        )
        return save_validated(vote, by=by)


def conflict_declare(
    *,
    decision: Decision,
    person: Person,
    description: str,
    interest: InterestDeclaration | None = None,
    by=None,
) -> ConflictDeclaration:
    """A member declares a conflict on an item; it counts at once (R27)."""
    conflict = ConflictDeclaration(
        decision=decision, person=person, description=description, interest=interest
    )
    validate_conflict(conflict)
    return save_validated(conflict, by=by)


def validate_conflict(conflict: ConflictDeclaration) -> None:
    """Refuse a conflict that cites someone else's register entry."""
    if conflict.interest is not None and conflict.interest.person_id != conflict.person_id:
        raise ValidationError({"interest": "That register entry is another person's."})


def conflicts_suggest(*, decision: Decision, by=None) -> list[ConflictDeclaration]:
    """Record, for the chair to confirm, a conflict for each member present who declared an
    interest in force on the day in an organisation the paper concerns (R27, R28)."""
    created = []
    with transaction.atomic(), audit_context(by):
        for suggestion in suggested_conflicts(decision):
            conflict = ConflictDeclaration(
                decision=decision,
                person=suggestion.person,
                interest=suggestion.interest,
                description=suggestion.description,
                suggested=True,
            )
            created.append(save_validated(conflict, by=by))
    return created


def conflict_confirm(*, conflict: ConflictDeclaration, by=None) -> ConflictDeclaration:
    """The chair confirms a conflict: the member is excluded from the item (R27)."""
    conflict.confirmed_by_chair, conflict.dismissed_by_chair = True, False
    return save_validated(conflict, by=by)


def conflict_dismiss(*, conflict: ConflictDeclaration, by=None) -> ConflictDeclaration:
    """The chair finds that a conflict suggested from the register does not arise."""
    if not conflict.suggested:
        raise ValidationError(
            "Only a conflict suggested from the register can be dismissed; a member's own "
            "declaration stands."
        )
    conflict.confirmed_by_chair, conflict.dismissed_by_chair = False, True
    return save_validated(conflict, by=by)


def meeting_update(*, meeting: Meeting, by=None, **changes) -> Meeting:
    """Change a meeting's details; its status through :func:`meeting_set_status` (a meeting
    with decisions cannot be cancelled)."""
    with transaction.atomic(), audit_context(by):
        status = changes.pop("status", meeting.status)
        record_update(meeting, by=by, **changes)
        if status != meeting.status:
            meeting = meeting_set_status(meeting=meeting, status=status, by=by)
    return meeting


def meeting_delete(*, meeting: Meeting, by=None) -> None:
    """Delete a meeting recorded by mistake; one with decisions is refused."""
    record_delete(meeting, by=by)


def attendance_update(*, attendance: Attendance, by=None, **changes) -> Attendance:
    return record_update(attendance, by=by, check=validate_attendance, **changes)


def attendance_delete(*, attendance: Attendance, by=None) -> None:
    """Correct a mistaken attendance record (audited); one who voted is refused."""
    record_delete(attendance, by=by)


def decision_update(*, decision: Decision, by=None, **changes) -> Decision:
    return record_update(decision, by=by, check=validate_decision, **changes)


def decision_delete(*, decision: Decision, by=None) -> None:
    """Delete a decision recorded by mistake, with its votes and conflicts (audited)."""
    record_delete(decision, by=by)


def vote_update(*, vote: Vote, by=None, **changes) -> Vote:
    """Correct a vote (its value, a casting vote), checked as a new vote would be."""
    return record_update(vote, by=by, check=validate_vote_record, **changes)


def validate_vote_record(vote: Vote) -> None:
    """:func:`validate_vote` on a vote being recorded or corrected (the recorded one is
    left out of the checks), for the update service and the admin's form."""
    validate_vote(
        decision=vote.decision,
        attendance=vote.attendance,
        value=vote.value,
        is_casting_vote=vote.is_casting_vote,
        replacing=vote,
    )


def vote_delete(*, vote: Vote, by=None) -> None:
    """Correct a mistaken vote (audited): delete it, then cast the right one."""
    record_delete(vote, by=by)


def conflict_declaration_create(*, by=None, **fields) -> ConflictDeclaration:
    return record_update(ConflictDeclaration(**fields), by=by, check=validate_conflict)


def conflict_declaration_update(
    *, conflict_declaration: ConflictDeclaration, by=None, **changes
) -> ConflictDeclaration:
    return record_update(conflict_declaration, by=by, check=validate_conflict, **changes)


def conflict_declaration_delete(*, conflict_declaration: ConflictDeclaration, by=None) -> None:
    record_delete(conflict_declaration, by=by)


writes(Meeting, create=meeting_schedule, update=meeting_update, delete=meeting_delete)
writes(Attendance, create=attendance_record, update=attendance_update, delete=attendance_delete)
writes(Decision, create=decision_record, update=decision_update, delete=decision_delete)
writes(Vote, create=vote_cast, update=vote_update, delete=vote_delete)
writes(
    ConflictDeclaration,
    create=conflict_declaration_create,
    update=conflict_declaration_update,
    delete=conflict_declaration_delete,
)


# -- stored outcomes (derived data, not audited) -------------------------------------------

_STALE = """
SELECT d.id
FROM decisions_decision d
LEFT JOIN decisions_storedoutcome s ON s.decision_id = d.id
LEFT JOIN decisions_meetingoutcomestamp m ON m.meeting_id = d.meeting_id
WHERE s.decision_id IS NULL
   OR s.outcome IS NULL
   OR s.computed_stamp IS DISTINCT FROM s.stamp
   OR s.computed_meeting_stamp IS DISTINCT FROM COALESCE(m.stamp, 0)
   OR s.computed_epoch IS DISTINCT FROM
      COALESCE((SELECT epoch FROM decisions_outcomeepoch WHERE id = 1), 0)
   OR s.rules_version <> %s
ORDER BY d.meeting_id, d.id
"""


def outcomes_refresh(
    *, batch_size: int = 500, progress: Callable[[int, int], None] | None = None
) -> int:
    """Compute and store every stale outcome (``decisions.models.outcomes``) ahead of its
    first read, e.g. after a bulk load, ``batch_size`` decisions at a time (a batch of one
    meeting's items shares its facts); returns how many were computed. It writes no
    governance fact, so it records no audit entry."""
    with connection.cursor() as cursor:
        cursor.execute(_STALE, [RULES_VERSION])
        stale = [pk for (pk,) in cursor.fetchall()]
    for start in range(0, len(stale), batch_size):
        batch = stale[start : start + batch_size]
        decision_outcomes([Decision(pk=pk) for pk in batch])
        if progress:
            progress(min(start + batch_size, len(stale)), len(stale))
    return len(stale)
