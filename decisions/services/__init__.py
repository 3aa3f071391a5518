"""Writes for meetings, decisions, votes, delegations and the register of interests.

Every service validates, writes inside a transaction with the audit context, and refuses
a broken rule with the message an officer can act on. The ``validate_*`` functions are
the same checks without the write, for the admin's forms to call. Outcomes (quorate,
carried, valid) are never written: ``decisions.selectors`` computes them. One module per
concept:

- ``meetings``: meetings, attendance, decisions, votes and conflicts on an item (R25-R27);
- ``delegations``: statutory function holdings and delegations (R9, R10, R29);
- ``interests``: the register of interests, gifts and hospitality (R28).

Neither ``delegations`` nor ``interests`` imports ``meetings`` or the other.

Every service is re-exported here, so ``from decisions import services`` and
``services.vote_cast(...)`` keep working.
"""

from decisions.services.delegations import (
    delegation_create,
    delegation_end,
    function_holding_record,
    validate_delegation,
)
from decisions.services.interests import (
    gift_or_hospitality_record,
    interest_declare,
    nil_return_record,
)
from decisions.services.meetings import (
    attendance_record,
    conflict_confirm,
    conflict_declare,
    conflict_dismiss,
    conflicts_suggest,
    decision_record,
    meeting_schedule,
    meeting_set_status,
    member_seat,
    seat_at_meeting,
    validate_attendance,
    validate_conflict,
    validate_decision,
    validate_vote,
    vote_cast,
)

__all__ = [
    "attendance_record",
    "conflict_confirm",
    "conflict_declare",
    "conflict_dismiss",
    "conflicts_suggest",
    "decision_record",
    "delegation_create",
    "delegation_end",
    "function_holding_record",
    "gift_or_hospitality_record",
    "interest_declare",
    "meeting_schedule",
    "meeting_set_status",
    "member_seat",
    "nil_return_record",
    "seat_at_meeting",
    "validate_attendance",
    "validate_conflict",
    "validate_decision",
    "validate_delegation",
    "validate_vote",
    "vote_cast",
]
