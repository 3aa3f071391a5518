"""The decisions app's models (R25-R29), one module per concept:

- ``meetings``: meetings, attendance, decisions and votes (Popolo's Motion, VoteEvent and
  Vote), and conflicts of interest on an item (R25-R27);
- ``delegations``: the controlled list of functions, who holds them by statute, and the
  scheme of reservation and delegation (R29);
- ``interests``: the register of interests, gifts and hospitality (R28);
- ``outcomes``: each decision's computed outcome, stored, with the stamps that say when
  it must be computed again (derived data, not audited);
- ``common``: how money is stored, and the "exactly one of" constraint.

Dependencies point one way: ``meetings`` uses ``delegations`` (a decision made under a
delegation) and ``interests`` (a conflict arising from a register entry); neither of
those imports ``meetings`` or the other.

Only facts are typed in. Whether a meeting was quorate at an item, whether a motion was
carried and whether a decision was validly made are computed from these facts by
``decisions.rules`` (gathered by ``decisions.selectors``); the computed outcome is kept in
``outcomes`` as derived data, computed again whenever an input changes.

Every model and choice list is re-exported here, so ``from decisions.models import
Meeting`` keeps working; pghistory adds each event model (``MeetingEvent``...) to this
module as well.
"""

from decisions.models.common import (
    MONEY,
    exactly_one,
)
from decisions.models.delegations import (
    DELEGATION_ENDS_BEFORE_START,
    FUNCTION_HELD_ENDS_BEFORE_START,
    Delegation,
    Function,
    FunctionHolding,
    Instrument,
    holder_name,
)
from decisions.models.interests import (
    GiftDecision,
    GiftKind,
    GiftOrHospitality,
    InterestDeclaration,
    InterestType,
)
from decisions.models.meetings import (
    COVER_SHEET_FIELDS,
    IMPACT_ASSESSMENTS,
    IMPACT_NOT_DONE_EXPLAINED,
    RISK_SCORES,
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    DecisionType,
    ImpactAssessment,
    Meeting,
    MeetingStatus,
    Part,
    Vote,
    VoteValue,
    conflict_counts,
    risk_rating,
    risk_score,
)
from decisions.models.outcomes import MeetingOutcomeStamp, OutcomeEpoch, StoredOutcome

__all__ = [
    "COVER_SHEET_FIELDS",
    "DELEGATION_ENDS_BEFORE_START",
    "FUNCTION_HELD_ENDS_BEFORE_START",
    "IMPACT_ASSESSMENTS",
    "IMPACT_NOT_DONE_EXPLAINED",
    "MONEY",
    "RISK_SCORES",
    "Attendance",
    "AttendanceStatus",
    "Capacity",
    "ConflictDeclaration",
    "Decision",
    "DecisionType",
    "Delegation",
    "Function",
    "FunctionHolding",
    "GiftDecision",
    "GiftKind",
    "GiftOrHospitality",
    "ImpactAssessment",
    "Instrument",
    "InterestDeclaration",
    "InterestType",
    "Meeting",
    "MeetingOutcomeStamp",
    "MeetingStatus",
    "OutcomeEpoch",
    "Part",
    "StoredOutcome",
    "Vote",
    "VoteValue",
    "conflict_counts",
    "exactly_one",
    "holder_name",
    "risk_rating",
    "risk_score",
]
