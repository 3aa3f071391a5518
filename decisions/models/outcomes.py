"""Each decision's computed outcome, stored so that a list of decisions reads it instead of
computing it again, and the stamps that say when it must be computed again.

These rows are derived data, not governance facts: nothing here is audited (pghistory) or
typed in, and they may be dropped and recomputed at any time. PostgreSQL triggers
(``decisions/migrations/0004_stored_outcomes.py``) bump the stamps whenever an input of an
outcome changes, whichever code writes (services, the admin, a reorganisation, a bulk
load); ``decisions.selectors.outcomes`` reads an outcome only while every stamp it was
computed at is still current, and computes it again otherwise. Three scopes:

- the decision's own ``stamp``: the decision row, its votes and conflict declarations, and
  the people who declared them;
- its meeting's ``MeetingOutcomeStamp``: the meeting row, its attendance, the attendees'
  memberships (own or deputised for) and the attendees themselves;
- ``OutcomeEpoch``, one row for the registry: the delegation graph (delegations, statutory
  function holdings, organisations, systems, bodies, committees, seats, convening
  organisations) and standing orders with their quorum conditions. These change rarely;
  a change to any of them makes every stored outcome stale, to be computed again as it
  is next read.
"""

from django.db import models


class StoredOutcome(models.Model):
    """A decision's outcome as last computed, with the stamps it was computed at."""

    # Derived from inputs whose own changes move the registry version; a GET that stores
    # an outcome it computed changes no answer, so it must not change every ETag.
    registry_derived = "decisions' computed outcomes: a restore computes them again"

    decision = models.OneToOneField(
        "decisions.Decision",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_outcome",
        db_constraint=True,
    )
    stamp = models.BigIntegerField(
        default=1, help_text="Bumped by every change to the decision, its votes or conflicts."
    )
    computed_stamp = models.BigIntegerField(
        null=True, help_text="The decision's stamp the stored outcome was computed at."
    )
    computed_meeting_stamp = models.BigIntegerField(
        null=True, help_text="The meeting's stamp the stored outcome was computed at."
    )
    computed_epoch = models.BigIntegerField(
        null=True, help_text="The registry's epoch the stored outcome was computed at."
    )
    rules_version = models.CharField(
        max_length=32,
        blank=True,
        help_text="A digest of the code that computed it: new rules compute it again.",
    )
    outcome = models.JSONField(null=True, help_text="The DecisionOutcome, as JSON.")

    class Meta:
        verbose_name = "stored decision outcome"

    def __str__(self):
        return f"Outcome of decision {self.decision_id} (stamp {self.stamp})"


class MeetingOutcomeStamp(models.Model):
    """Bumped by every change to a meeting, its attendance or its attendees."""

    registry_derived = "outcome stamps, written by the outcome triggers with the meetings"

    meeting = models.OneToOneField(
        "decisions.Meeting",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="outcome_stamp",
    )
    stamp = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "meeting outcome stamp"

    def __str__(self):
        return f"Meeting {self.meeting_id} stamp {self.stamp}"


class OutcomeEpoch(models.Model):
    """One row (id 1, written only by upserts on it): bumped by every change to the
    delegation graph or standing orders."""

    registry_derived = "the outcomes' epoch, bumped by the outcome triggers"

    epoch = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "outcome epoch"

    def __str__(self):
        return f"Outcome epoch {self.epoch}"
