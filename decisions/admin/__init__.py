"""Admin for meetings, decisions, votes, delegations and the register of interests.

The forms call the services' ``validate_*`` checks, so a vote, an attendance or a
delegation refused by the service is refused here with the same message. Each
decision's quorum, result and validity are computed (``decisions.selectors``) and shown
read-only, for a whole page of decisions at once. One module per concept:

- ``meetings``: meetings, attendance, decisions, votes and conflicts on an item;
- ``delegations``: delegations and statutory function holdings;
- ``interests``: the register of interests, gifts and hospitality;
- ``common``: the form base that runs a service's check.

Importing this package (Django's admin autodiscovery does) registers every model admin.
"""

from decisions.admin.common import (
    ServiceCheckedForm,
)
from decisions.admin.delegations import (
    END_DELEGATION,
    DelegationAdmin,
    DelegationForm,
    FunctionHoldingAdmin,
)
from decisions.admin.interests import (
    GiftOrHospitalityAdmin,
    InterestDeclarationAdmin,
)
from decisions.admin.meetings import (
    AttendanceAdmin,
    AttendanceForm,
    AttendanceInline,
    ConflictDeclarationAdmin,
    ConflictForm,
    ConflictInline,
    DecisionAdmin,
    DecisionChangeList,
    DecisionForm,
    DecisionInline,
    MeetingAdmin,
    OutcomeColumnsMixin,
    VoteAdmin,
    VoteForm,
    VoteInline,
    bullet_list,
)

__all__ = [
    "END_DELEGATION",
    "AttendanceAdmin",
    "AttendanceForm",
    "AttendanceInline",
    "ConflictDeclarationAdmin",
    "ConflictForm",
    "ConflictInline",
    "DecisionAdmin",
    "DecisionChangeList",
    "DecisionForm",
    "DecisionInline",
    "DelegationAdmin",
    "DelegationForm",
    "FunctionHoldingAdmin",
    "GiftOrHospitalityAdmin",
    "InterestDeclarationAdmin",
    "MeetingAdmin",
    "OutcomeColumnsMixin",
    "ServiceCheckedForm",
    "VoteAdmin",
    "VoteForm",
    "VoteInline",
    "bullet_list",
]
