"""Reads: decisions' computed outcomes, the functions and decisions map, the register.

Each function gathers its facts in a fixed number of queries however many decisions,
delegations or people it covers, then hands them to the pure rules in
``decisions.rules``. One module per concept:

- ``meetings``: each decision's quorum, result and validity, and the conflicts the
  register suggests on an item (R25-R27);
- ``delegations``: the delegation graph, and the functions and decisions map (R9, R10,
  R15, R29);
- ``interests``: the published register of interests (R28);
- ``outcomes``: each decision's outcome as stored, and storing it again once computed
  (``meetings.decision_outcomes`` reads through it);
- ``structure``: a system's bodies, committees and delegations on a date, for its
  governance structure diagram.

``meetings`` uses the other two (validity under a delegation, suggestions from the
register); neither imports ``meetings`` or the other.

Every name is re-exported here, so ``from decisions.selectors import decision_outcomes``
keeps working.
"""

from decisions.selectors.delegations import (
    DELEGATION_RELATIONS,
    build_identity,
    delegate_of,
    delegation_graph,
    delegation_systems,
    delegations_touching,
    delegator_of,
    functions_and_decisions_map,
    step_of,
)
from decisions.selectors.interests import (
    PersonRegister,
    PublishedGift,
    PublishedInterest,
    PublishedRegister,
    RegisterEntry,
    gifts_in_year_to,
    in_force_on,
    person_register,
    private_register_notes,
    published_register,
)
from decisions.selectors.meetings import (
    ATTENDEE_FIELDS,
    DECISION_RELATIONS,
    ConflictSuggestion,
    MeetingRecord,
    attendances_of,
    attendee,
    attendees_of,
    computed_outcomes,
    conflict,
    covers,
    decision_facts,
    decision_facts_many,
    decision_outcome,
    decision_outcomes,
    decisions_under_delegations,
    facts_of,
    meeting_members,
    meeting_record,
    outcome_from_json,
    outcome_json,
    standing_rules,
    stored_decision_outcomes,
    suggested_conflicts,
    visible_decisions,
    visible_people,
)
from decisions.selectors.outcomes import (
    RULES_VERSION,
    Stamps,
    stored_outcomes_read,
    stored_outcomes_write,
)
from decisions.selectors.structure import (
    BODY_ORDER,
    Node,
    Party,
    StructureBody,
    StructureCommittee,
    StructureDelegation,
    SystemStructure,
    system_structure,
)

__all__ = [
    "ATTENDEE_FIELDS",
    "BODY_ORDER",
    "DECISION_RELATIONS",
    "DELEGATION_RELATIONS",
    "RULES_VERSION",
    "ConflictSuggestion",
    "MeetingRecord",
    "Node",
    "Party",
    "PersonRegister",
    "PublishedGift",
    "PublishedInterest",
    "PublishedRegister",
    "RegisterEntry",
    "Stamps",
    "StructureBody",
    "StructureCommittee",
    "StructureDelegation",
    "SystemStructure",
    "attendances_of",
    "attendee",
    "attendees_of",
    "build_identity",
    "computed_outcomes",
    "conflict",
    "covers",
    "decision_facts",
    "decision_facts_many",
    "decision_outcome",
    "decision_outcomes",
    "decisions_under_delegations",
    "delegate_of",
    "delegation_graph",
    "delegation_systems",
    "delegations_touching",
    "delegator_of",
    "facts_of",
    "functions_and_decisions_map",
    "gifts_in_year_to",
    "in_force_on",
    "meeting_members",
    "meeting_record",
    "outcome_from_json",
    "outcome_json",
    "person_register",
    "private_register_notes",
    "published_register",
    "standing_rules",
    "step_of",
    "stored_decision_outcomes",
    "stored_outcomes_read",
    "stored_outcomes_write",
    "suggested_conflicts",
    "system_structure",
    "visible_decisions",
    "visible_people",
]
