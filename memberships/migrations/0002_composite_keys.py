from django.db import migrations

from core.db import AddCompositeForeignKey


class Migration(migrations.Migration):
    """A membership's committee and ICS are its seat's, so R22 can be checked per committee."""

    dependencies = [("memberships", "0001_initial"), ("committees", "0002_composite_keys")]

    operations = [
        AddCompositeForeignKey(
            model_name="membership",
            name="memberships_membership_seat_committee_same_ics",
            columns=["seat_id", "committee_id", "ics_id"],
            to_model="committees.Seat",
            to_columns=["id", "committee_id", "ics_id"],
        ),
    ]
