"""Stored decision outcomes (issue 13) and the triggers that say when one is stale.

The triggers are plain PostgreSQL triggers, not django-pgtrigger ones: pgtrigger's
``ignore()`` (which generate_national uses to skip pghistory's events) would skip them
too, and a stored outcome must be invalidated whichever code writes. Each is a statement
trigger with a transition table, so a bulk insert of 2,000 votes bumps each decision
once, in one UPDATE. PostgreSQL allows a transition table only on a trigger for one
event, hence one trigger per table and event.

Three scopes (see ``decisions.models.outcomes``): a decision's own ``stamp``, its meeting's
stamp and the registry's epoch. Where a trigger finds the decisions or meetings to bump
through another table (a person's attendances, a membership's attendances), the rows that
make that path (attendance, conflict) lock the parent they read FOR SHARE when written, so
a rename committed while the attendance is being recorded cannot slip past both.
"""

import django.db.models.deletion
from django.db import migrations, models

SQL = """
CREATE FUNCTION decisions_outcome_bump_decisions(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE decisions_storedoutcome SET stamp = stamp + 1 WHERE decision_id = ANY(ids)
$$;

CREATE FUNCTION decisions_outcome_bump_meetings(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO decisions_meetingoutcomestamp (meeting_id, stamp)
    SELECT id, 1 FROM decisions_meeting WHERE id = ANY(ids)
    ON CONFLICT (meeting_id) DO UPDATE SET stamp = decisions_meetingoutcomestamp.stamp + 1
$$;

CREATE FUNCTION decisions_outcome_bump_epoch() RETURNS void
LANGUAGE sql AS $$
    INSERT INTO decisions_outcomeepoch (id, epoch) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET epoch = decisions_outcomeepoch.epoch + 1
$$;

-- A decision: a new one gets its row; a changed one is stale.
CREATE FUNCTION decisions_outcome_decision_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO decisions_storedoutcome
            (decision_id, stamp, computed_stamp, computed_meeting_stamp, computed_epoch,
             rules_version, outcome)
        SELECT id, 1, NULL, NULL, NULL, '', NULL FROM new_rows
        ON CONFLICT (decision_id) DO UPDATE SET stamp = decisions_storedoutcome.stamp + 1;
    ELSE
        PERFORM decisions_outcome_bump_decisions(ARRAY(SELECT id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;

-- Votes and conflict declarations: their decisions.
CREATE FUNCTION decisions_outcome_item_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM decisions_outcome_bump_decisions(ARRAY(SELECT decision_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM decisions_outcome_bump_decisions(ARRAY(
            SELECT decision_id FROM new_rows UNION SELECT decision_id FROM old_rows));
    ELSE
        PERFORM decisions_outcome_bump_decisions(ARRAY(SELECT decision_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION decisions_outcome_conflict_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        -- The declarer's name is read: see the module's note on FOR SHARE.
        PERFORM 1 FROM memberships_person
        WHERE id IN (SELECT person_id FROM new_rows) ORDER BY id FOR SHARE;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM decisions_outcome_bump_decisions(ARRAY(SELECT decision_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM decisions_outcome_bump_decisions(ARRAY(
            SELECT decision_id FROM new_rows UNION SELECT decision_id FROM old_rows));
    ELSE
        PERFORM decisions_outcome_bump_decisions(ARRAY(SELECT decision_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

-- A meeting: a new one gets its stamp; a changed one (status, date, committee) is stale.
CREATE FUNCTION decisions_outcome_meeting_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO decisions_meetingoutcomestamp (meeting_id, stamp)
        SELECT id, 1 FROM new_rows
        ON CONFLICT (meeting_id) DO UPDATE SET stamp = decisions_meetingoutcomestamp.stamp + 1;
    ELSE
        PERFORM decisions_outcome_bump_meetings(ARRAY(SELECT id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;

-- Attendance: its meetings.
CREATE FUNCTION decisions_outcome_attendance_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        -- The attendee's name and membership are read: see the module's note on FOR SHARE.
        PERFORM 1 FROM memberships_person
        WHERE id IN (SELECT person_id FROM new_rows) ORDER BY id FOR SHARE;
        PERFORM 1 FROM memberships_membership
        WHERE id IN (SELECT membership_id FROM new_rows
                     UNION SELECT deputising_for_id FROM new_rows)
        ORDER BY id FOR SHARE;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM decisions_outcome_bump_meetings(ARRAY(SELECT meeting_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM decisions_outcome_bump_meetings(ARRAY(
            SELECT meeting_id FROM new_rows UNION SELECT meeting_id FROM old_rows));
    ELSE
        PERFORM decisions_outcome_bump_meetings(ARRAY(SELECT meeting_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

-- A person renamed: the meetings they attended and the items they declared a conflict on.
CREATE FUNCTION decisions_outcome_person_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    renamed bigint[];
BEGIN
    renamed := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.honorific_prefix, n.given_name, n.family_name, n.post_nominals)
              IS DISTINCT FROM
              (o.honorific_prefix, o.given_name, o.family_name, o.post_nominals));
    IF cardinality(renamed) > 0 THEN
        PERFORM decisions_outcome_bump_meetings(ARRAY(
            SELECT DISTINCT meeting_id FROM decisions_attendance WHERE person_id = ANY(renamed)));
        PERFORM decisions_outcome_bump_decisions(ARRAY(
            SELECT DISTINCT decision_id FROM decisions_conflictdeclaration
            WHERE person_id = ANY(renamed)));
    END IF;
    RETURN NULL;
END $$;

-- A membership changed or deleted: the meetings attended in it (own seat or deputising).
CREATE FUNCTION decisions_outcome_membership_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        changed := ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.start, n."end", n.seat_id, n.committee_id)
                  IS DISTINCT FROM (o.start, o."end", o.seat_id, o.committee_id));
    ELSE
        changed := ARRAY(SELECT id FROM old_rows);
    END IF;
    IF cardinality(changed) > 0 THEN
        PERFORM decisions_outcome_bump_meetings(ARRAY(
            SELECT meeting_id FROM decisions_attendance WHERE membership_id = ANY(changed)
            UNION
            SELECT meeting_id FROM decisions_attendance WHERE deputising_for_id = ANY(changed)));
    END IF;
    RETURN NULL;
END $$;

-- The delegation graph and standing orders: every outcome.
CREATE FUNCTION decisions_outcome_epoch_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM new_rows) THEN
            PERFORM decisions_outcome_bump_epoch();
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
                   WHERE n IS DISTINCT FROM o) THEN
            PERFORM decisions_outcome_bump_epoch();
        END IF;
    ELSIF EXISTS (SELECT 1 FROM old_rows) THEN
        PERFORM decisions_outcome_bump_epoch();
    END IF;
    RETURN NULL;
END $$;
"""

# (table, function, events)
TRIGGERS = [
    ("decisions_decision", "decisions_outcome_decision_changed", ("INSERT", "UPDATE")),
    ("decisions_vote", "decisions_outcome_item_changed", ("INSERT", "UPDATE", "DELETE")),
    (
        "decisions_conflictdeclaration",
        "decisions_outcome_conflict_changed",
        ("INSERT", "UPDATE", "DELETE"),
    ),
    ("decisions_meeting", "decisions_outcome_meeting_changed", ("INSERT", "UPDATE")),
    (
        "decisions_attendance",
        "decisions_outcome_attendance_changed",
        ("INSERT", "UPDATE", "DELETE"),
    ),
    ("memberships_person", "decisions_outcome_person_changed", ("UPDATE",)),
    ("memberships_membership", "decisions_outcome_membership_changed", ("UPDATE", "DELETE")),
    *(
        (table, "decisions_outcome_epoch_changed", ("INSERT", "UPDATE", "DELETE"))
        for table in (
            "bodies_organisation",
            "bodies_integratedcaresystem",
            "bodies_organisation_systems",
            "bodies_body",
            "bodies_body_convening_organisations",
            "committees_committee",
            "committees_seat",
            "committees_standingorders",
            "committees_quorumcondition",
            "decisions_delegation",
            "decisions_functionholding",
        )
    ),
]

FUNCTIONS = [
    "decisions_outcome_bump_decisions(bigint[])",
    "decisions_outcome_bump_meetings(bigint[])",
    "decisions_outcome_bump_epoch()",
    "decisions_outcome_decision_changed()",
    "decisions_outcome_item_changed()",
    "decisions_outcome_conflict_changed()",
    "decisions_outcome_meeting_changed()",
    "decisions_outcome_attendance_changed()",
    "decisions_outcome_person_changed()",
    "decisions_outcome_membership_changed()",
    "decisions_outcome_epoch_changed()",
]


def create_trigger(table, function, event):
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }[event]
    return (
        f"CREATE TRIGGER decisions_outcome_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
    )


INSTALL = "\n".join(
    [
        SQL,
        *(create_trigger(t, f, e) for t, f, events in TRIGGERS for e in events),
        # Every decision and meeting there already is: stale until first read.
        "INSERT INTO decisions_storedoutcome (decision_id, stamp, computed_stamp, "
        "computed_meeting_stamp, computed_epoch, rules_version, outcome) "
        "SELECT id, 1, NULL, NULL, NULL, '', NULL FROM decisions_decision;",
        "INSERT INTO decisions_meetingoutcomestamp (meeting_id, stamp) "
        "SELECT id, 1 FROM decisions_meeting;",
        "INSERT INTO decisions_outcomeepoch (id, epoch) VALUES (1, 1);",
    ]
)

UNINSTALL = "\n".join(
    [
        *(
            f"DROP TRIGGER decisions_outcome_{e.lower()} ON {t};"
            for t, _, events in TRIGGERS
            for e in events
        ),
        *(f"DROP FUNCTION {f};" for f in FUNCTIONS),
    ]
)


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0007_organisation_successor_to_succession"),
        ("committees", "0011_seat_terms_and_carry_over"),
        ("memberships", "0005_memberships_latest_first_index"),
        ("decisions", "0003_decision_cover_sheet"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeetingOutcomeStamp",
            fields=[
                (
                    "meeting",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="outcome_stamp",
                        serialize=False,
                        to="decisions.meeting",
                    ),
                ),
                ("stamp", models.BigIntegerField(default=1)),
            ],
            options={
                "verbose_name": "meeting outcome stamp",
            },
        ),
        migrations.CreateModel(
            name="StoredOutcome",
            fields=[
                (
                    "decision",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stored_outcome",
                        serialize=False,
                        to="decisions.decision",
                    ),
                ),
                (
                    "stamp",
                    models.BigIntegerField(
                        default=1,
                        help_text="Bumped by every change to the decision, its votes or conflicts.",
                    ),
                ),
                (
                    "computed_stamp",
                    models.BigIntegerField(
                        help_text="The decision's stamp the stored outcome was computed at.",
                        null=True,
                    ),
                ),
                (
                    "computed_meeting_stamp",
                    models.BigIntegerField(
                        help_text="The meeting's stamp the stored outcome was computed at.",
                        null=True,
                    ),
                ),
                (
                    "computed_epoch",
                    models.BigIntegerField(
                        help_text="The registry's epoch the stored outcome was computed at.",
                        null=True,
                    ),
                ),
                (
                    "rules_version",
                    models.CharField(
                        blank=True,
                        help_text="A digest of the code that computed it: new rules compute it again.",
                        max_length=32,
                    ),
                ),
                ("outcome", models.JSONField(help_text="The DecisionOutcome, as JSON.", null=True)),
            ],
            options={
                "verbose_name": "stored decision outcome",
            },
        ),
        migrations.CreateModel(
            name="OutcomeEpoch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("epoch", models.BigIntegerField(default=1)),
            ],
            options={
                "verbose_name": "outcome epoch",
            },
        ),
        migrations.RunSQL(INSTALL, UNINSTALL),
    ]
