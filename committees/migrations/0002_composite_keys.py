from django.db import migrations

from core.db import AddCompositeForeignKey


class Migration(migrations.Migration):
    """A committee's ICS is its body's; a seat's body and ICS are its committee's."""

    dependencies = [("committees", "0001_initial"), ("bodies", "0001_initial")]

    operations = [
        AddCompositeForeignKey(
            model_name="committee",
            name="committees_committee_body_same_ics",
            columns=["body_id", "ics_id"],
            to_model="bodies.Body",
            to_columns=["id", "ics_id"],
        ),
        AddCompositeForeignKey(
            model_name="committee",
            name="committees_committee_parent_same_ics",
            columns=["parent_id", "ics_id"],
            to_model="committees.Committee",
            to_columns=["id", "ics_id"],
        ),
        AddCompositeForeignKey(
            model_name="seat",
            name="committees_seat_committee_body_same_ics",
            columns=["committee_id", "body_id", "ics_id"],
            to_model="committees.Committee",
            to_columns=["id", "body_id", "ics_id"],
        ),
    ]
