"""Decision and delegation rules as pure functions: facts in, findings out.

Nothing here touches the database. ``decisions.selectors`` gathers the facts (who
attended in which seat, the votes, the conflicts, the standing orders, the scheme of
delegation) in a fixed number of queries; these functions say whether a meeting was
quorate at an item (R25, R27), what the vote decided (R26), whether a vote may be
counted, and whether a delegation or a decision under it holds (R9, R10, R29), each with
the sentence an officer would write. One module per concept:

- ``meetings``: quorum, votes, results and the validity of a decision (R25-R27);
- ``delegations``: the delegation graph, and the functions and decisions map (R9, R10,
  R15, R29);
- ``common``: sums of money and plurals as an officer writes them.

The register of interests has no rules of its own: a conflict it suggests is weighed by
``meetings`` as any other conflict. ``meetings`` and ``delegations`` do not import each
other: the delegation findings reach a decision through ``DecisionFacts``.

Every name is re-exported here, so ``from decisions.rules import Result`` keeps working.
"""

from decisions.rules.common import (
    money,
    plural,
)
from decisions.rules.delegations import (
    ChainStep,
    DelegationGraph,
    Exerciser,
    FunctionChain,
    Holder,
    Identity,
    Statute,
    StatutoryHolder,
    Step,
    function_label,
    lower_first,
)
from decisions.rules.meetings import (
    METHOD_PHRASES,
    Attendee,
    Conflict,
    DecisionFacts,
    DecisionOutcome,
    QuorumCondition,
    QuorumFinding,
    Result,
    ResultFinding,
    StandingRules,
    Tally,
    VoteFact,
    casting_vote_refusal,
    counts_towards_quorum,
    evaluate_decision,
    excluded_person_ids,
    presiding,
    quorum,
    result,
    tally,
    vote_refusal,
)

__all__ = [
    "METHOD_PHRASES",
    "Attendee",
    "ChainStep",
    "Conflict",
    "DecisionFacts",
    "DecisionOutcome",
    "DelegationGraph",
    "Exerciser",
    "FunctionChain",
    "Holder",
    "Identity",
    "QuorumCondition",
    "QuorumFinding",
    "Result",
    "ResultFinding",
    "StandingRules",
    "Statute",
    "StatutoryHolder",
    "Step",
    "Tally",
    "VoteFact",
    "casting_vote_refusal",
    "counts_towards_quorum",
    "evaluate_decision",
    "excluded_person_ids",
    "function_label",
    "lower_first",
    "money",
    "plural",
    "presiding",
    "quorum",
    "result",
    "tally",
    "vote_refusal",
]
