from django.db import migrations

from core.db import AddCompositeForeignKey


class Migration(migrations.Migration):
    """A vote's voter was at the meeting of the decision voted on."""

    dependencies = [("decisions", "0001_initial")]

    operations = [
        AddCompositeForeignKey(
            model_name="vote",
            name="decisions_vote_decision_same_meeting",
            columns=["decision_id", "meeting_id"],
            to_model="decisions.Decision",
            to_columns=["id", "meeting_id"],
        ),
        AddCompositeForeignKey(
            model_name="vote",
            name="decisions_vote_attendance_same_meeting",
            columns=["attendance_id", "meeting_id"],
            to_model="decisions.Attendance",
            to_columns=["id", "meeting_id"],
        ),
    ]
