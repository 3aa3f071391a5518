from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets exclusion constraints combine equality on ids with range overlap."""

    initial = True
    dependencies = []
    operations = [BtreeGistExtension()]
