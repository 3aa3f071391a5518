"""Stored decision outcomes: read the fresh ones, store the ones computed again.

An outcome is fresh while the decision's stamp, its meeting's stamp and the registry's
epoch (``decisions.models.outcomes``, bumped by triggers on every input) are those it was
computed at, and the code that computed it is unchanged (``RULES_VERSION``). The stamps
are read before the inputs, and an outcome is stored only if the decision's stamp is still
the one read (``UPDATE ... WHERE stamp = <read>``: PostgreSQL re-checks it after waiting
for a writer's lock), so an outcome computed from inputs a concurrent change has since
replaced is never stored as current; a meeting or epoch bumped meanwhile leaves it stale,
to be computed again at the next read.

These rows are derived data: writing them from a read is a cache fill, not a change to
governance facts, so it is neither a service nor audited.
"""

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from django.db import connection

_APP = Path(__file__).resolve().parent.parent

# The code an outcome depends on: a change to any of it computes every outcome again.
RULES_VERSION = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for path in sorted(
            [
                *(_APP / "rules").glob("*.py"),
                _APP / "selectors" / "meetings.py",
                _APP / "selectors" / "delegations.py",
                _APP / "models" / "meetings.py",
                _APP / "models" / "delegations.py",
            ]
        )
    )
).hexdigest()[:32]


@dataclasses.dataclass(frozen=True)
class Stamps:
    """The stamps a decision's outcome is computed at: read before its inputs."""

    stamp: int
    meeting_stamp: int
    epoch: int


_READ = """
SELECT d.id, s.decision_id IS NOT NULL, s.stamp, s.computed_stamp, s.computed_meeting_stamp,
       s.computed_epoch, s.rules_version, s.outcome, COALESCE(m.stamp, 0),
       COALESCE((SELECT epoch FROM decisions_outcomeepoch WHERE id = 1), 0)
FROM decisions_decision d
LEFT JOIN decisions_storedoutcome s ON s.decision_id = d.id
LEFT JOIN decisions_meetingoutcomestamp m ON m.meeting_id = d.meeting_id
WHERE d.id = ANY(%s::bigint[])
"""

_CREATE_MISSING = """
INSERT INTO decisions_storedoutcome
    (decision_id, stamp, computed_stamp, computed_meeting_stamp, computed_epoch,
     rules_version, outcome)
SELECT id, 1, NULL, NULL, NULL, '', NULL FROM unnest(%s::bigint[]) AS id
ON CONFLICT (decision_id) DO NOTHING
"""

_STORE = """
UPDATE decisions_storedoutcome s
SET outcome = v.outcome, computed_stamp = v.stamp, computed_meeting_stamp = v.meeting_stamp,
    computed_epoch = v.epoch, rules_version = %s
FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::jsonb[])
     AS v(decision_id, stamp, meeting_stamp, epoch, outcome)
WHERE s.decision_id = v.decision_id AND s.stamp = v.stamp
  AND s.decision_id IN (
      SELECT decision_id FROM decisions_storedoutcome WHERE decision_id = ANY(%s::bigint[])
      FOR UPDATE SKIP LOCKED
  )
"""


def stored_outcomes_read(ids: Iterable[int]) -> tuple[dict[int, dict], dict[int, Stamps]]:
    """The fresh stored outcomes of ``ids`` (as JSON), and the stamps of the others (to
    compute), in one query (two when a decision has no row yet, which the triggers make
    rare)."""
    ids = list(ids)
    fresh, stale, missing = {}, {}, []
    if not ids:
        return fresh, stale
    with connection.cursor() as cursor:
        cursor.execute(_READ, [ids])
        rows = cursor.fetchall()
    for pk, exists, stamp, computed, c_meeting, c_epoch, version, outcome, m_stamp, epoch in rows:
        if not exists:
            missing.append(pk)
            stale[pk] = Stamps(1, m_stamp, epoch)
        elif (
            outcome is not None
            and computed == stamp
            and c_meeting == m_stamp
            and c_epoch == epoch
            and version == RULES_VERSION
        ):
            # Django reads jsonb as text (it decodes JSONField values itself).
            fresh[pk] = json.loads(outcome) if isinstance(outcome, str) else outcome
        else:
            stale[pk] = Stamps(stamp, m_stamp, epoch)
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(_CREATE_MISSING, [missing])
    return fresh, stale


def stored_outcomes_write(outcomes: dict[int, dict], stamps: dict[int, Stamps]) -> None:
    """Store ``outcomes`` (as JSON) computed at ``stamps`` in one statement; a decision whose stamp
    has moved on since is left as it is (stale). A row another transaction holds (a
    writer bumping it, or another reader storing it) is skipped, not waited for: it stays
    stale, and two readers storing overlapping pages can never deadlock."""
    ids = [pk for pk in outcomes if pk in stamps]
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _STORE,
            [
                RULES_VERSION,
                ids,
                [stamps[pk].stamp for pk in ids],
                [stamps[pk].meeting_stamp for pk in ids],
                [stamps[pk].epoch for pk in ids],
                [json.dumps(outcomes[pk]) for pk in ids],
                ids,
            ],
        )
