"""Writes for meetings, decisions, votes, delegations and the register of interests.

Every service validates, writes inside a transaction with the audit context, and refuses
a broken rule with the message an officer can act on. The ``validate_*`` functions are
the same checks without the write, for the admin's forms to call. Outcomes (quorate,
carried, valid) are never typed in: ``decisions.selectors`` computes them (and stores
them as derived data, ``decisions.models.outcomes``). One module per
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
    delegation_delete,
    delegation_end,
    delegation_update,
    function_holding_delete,
    function_holding_record,
    function_holding_update,
    validate_delegation,
)
from decisions.services.interests import (
    gift_or_hospitality_delete,
    gift_or_hospitality_record,
    gift_or_hospitality_update,
    interest_declaration_create,
    interest_declaration_delete,
    interest_declaration_update,
    interest_declare,
    nil_return_record,
)
from decisions.services.meetings import (
    attendance_delete,
    attendance_record,
    attendance_update,
    conflict_confirm,
    conflict_declaration_create,
    conflict_declaration_delete,
    conflict_declaration_update,
    conflict_declare,
    conflict_dismiss,
    conflicts_suggest,
    decision_delete,
    decision_record,
    decision_update,
    meeting_delete,
    meeting_schedule,
    meeting_set_status,
    meeting_update,
    member_seat,
    outcomes_refresh,
    seat_at_meeting,
    validate_attendance,
    validate_conflict,
    validate_decision,
    validate_vote,
    validate_vote_record,
    vote_cast,
    vote_delete,
    vote_update,
)

__all__ = [
    "attendance_delete",
    "attendance_record",
    "attendance_update",
    "conflict_confirm",
    "conflict_declaration_create",
    "conflict_declaration_delete",
    "conflict_declaration_update",
    "conflict_declare",
    "conflict_dismiss",
    "conflicts_suggest",
    "decision_delete",
    "decision_record",
    "decision_update",
    "delegation_create",
    "delegation_delete",
    "delegation_end",
    "delegation_update",
    "function_holding_delete",
    "function_holding_record",
    "function_holding_update",
    "gift_or_hospitality_delete",
    "gift_or_hospitality_record",
    "gift_or_hospitality_update",
    "interest_declaration_create",
    "interest_declaration_delete",
    "interest_declaration_update",
    "interest_declare",
    "meeting_delete",
    "meeting_schedule",
    "meeting_set_status",
    "meeting_update",
    "member_seat",
    "nil_return_record",
    "outcomes_refresh",
    "seat_at_meeting",
    "validate_attendance",
    "validate_conflict",
    "validate_decision",
    "validate_delegation",
    "validate_vote",
    "validate_vote_record",
    "vote_cast",
    "vote_delete",
    "vote_update",
]
