"""The documents' compliance checks as pure functions: a system's facts on a date give
its findings (R33, R34).

- R33: a governance document in force is reviewed by its review date. A review date that
  has passed on the report date is a warning: the document still applies, but is stale.
- R34: a committee meets under terms of reference in force on the day (R10: the ICB sets
  its committees' terms of reference). The check reads each committee's latest meeting on
  or before the report date; a meeting with none in force is a constitution breach. A
  board meets under its body's constitution and standing orders, so boards are not
  checked.

A system that records no governance documents at all is not checked: that is a gap in
the register, not a breach, as for R32. Nothing here touches the database:
``documents.selectors.document_facts_many`` gathers the facts for many systems in a fixed
number of queries.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from committees.rules import Finding, Severity
from core.dates import en_gb, period_covers
from core.rules_catalogue import checks

REVIEW = "document-review"
TERMS_OF_REFERENCE = "terms-of-reference"


@dataclass(frozen=True)
class InForce:
    """A version in force on the report date, with its review date."""

    title: str
    label: str
    next_review: datetime.date | None


@dataclass(frozen=True)
class TermsOfReference:
    """The period of one approved (or superseded) version of a committee's terms of
    reference."""

    committee_id: int
    effective_from: datetime.date
    effective_to: datetime.date | None


@dataclass(frozen=True)
class MeetingHeld:
    """A committee's latest meeting on or before the report date."""

    committee_id: int
    committee: str
    date: datetime.date


@dataclass(frozen=True)
class DocumentFacts:
    as_of: datetime.date
    recorded: bool  # the system records any governance document
    in_force: Sequence[InForce] = ()
    terms: Sequence[TermsOfReference] = ()
    meetings: Sequence[MeetingHeld] = ()


def review_overdue(next_review: datetime.date | None, as_of: datetime.date) -> bool:
    """R33: a review date that has passed on ``as_of``."""
    return next_review is not None and next_review < as_of


@checks("R33", what="Each governance document in force is reviewed by its review date")
def check_reviews(facts: DocumentFacts) -> tuple[Finding, ...]:
    late = sorted(
        (v for v in facts.in_force if review_overdue(v.next_review, facts.as_of)),
        key=lambda v: (v.next_review, v.title),
    )
    if not late:
        return (
            Finding(
                requirement=REVIEW,
                rule="R33",
                met=True,
                severity=Severity.WARNING,
                message="Every governance document in force is within its review date",
            ),
        )
    return tuple(
        Finding(
            requirement=REVIEW,
            rule="R33",
            met=False,
            severity=Severity.WARNING,
            message=f"{v.title} (version {v.label}): its review was due on {en_gb(v.next_review)}",
        )
        for v in late
    )


@checks("R34", "R10", what="Each committee meets under terms of reference in force that day")
def check_terms_of_reference(facts: DocumentFacts) -> tuple[Finding, ...]:
    without = [
        meeting
        for meeting in sorted(facts.meetings, key=lambda m: (m.committee, m.date))
        if not any(
            t.committee_id == meeting.committee_id
            and period_covers(t.effective_from, t.effective_to, meeting.date)
            for t in facts.terms
        )
    ]
    if not without:
        return (
            Finding(
                requirement=TERMS_OF_REFERENCE,
                rule="R34",
                met=True,
                severity=Severity.CONSTITUTION,
                message="Every committee met under terms of reference in force",
            ),
        )
    return tuple(
        Finding(
            requirement=TERMS_OF_REFERENCE,
            rule="R34",
            met=False,
            severity=Severity.CONSTITUTION,
            message=f"{m.committee} met on {en_gb(m.date)} with no terms of reference in force",
        )
        for m in without
    )


def document_findings(facts: DocumentFacts) -> tuple[Finding, ...]:
    """The system's document findings; none when it records no governance documents."""
    if not facts.recorded:
        return ()
    return check_reviews(facts) + check_terms_of_reference(facts)
