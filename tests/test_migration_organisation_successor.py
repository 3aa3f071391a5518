"""Organisation.successor, a single link used for CCG -> ICB, became OrganisationSuccession
rows with a kind and an effective date (R30); the migration carries every link over."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("bodies", "0006_dated_links")
AFTER = ("bodies", "0007_organisation_successor_to_succession")
# Migrating needs real commits; the rows the migrations load (rule sets, checklists) are
# put back after each test.
MIGRATES = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def migrate(target):
    """Migrate as ``manage.py migrate`` does, with its signals (the registry version's
    triggers are taken off before and put back after: core.versioning)."""
    call_command("migrate", *target, verbosity=0)
    executor = MigrationExecutor(connection)
    return executor.loader.project_state([target]).apps


@pytest.fixture(autouse=True)
def latest_schema_after():
    """Each test moves the schema back; every app's latest migrations are reapplied after."""
    yield
    call_command("migrate", verbosity=0)


@MIGRATES
def test_every_successor_link_becomes_a_dated_transfer_of_functions():
    old = migrate(BEFORE)
    Organisation = old.get_model("bodies", "Organisation")
    OrganisationSuccession = old.get_model("bodies", "OrganisationSuccession")
    icb = Organisation.objects.create(name="NHS Somerset ICB", kind="icb")
    opened_icb = Organisation.objects.create(
        name="NHS Dorset ICB", kind="icb", opened=datetime.date(2022, 7, 1)
    )
    closed_ccg = Organisation.objects.create(
        name="NHS Somerset CCG", kind="ccg", closed=datetime.date(2022, 6, 30), successor=icb
    )
    open_ccg = Organisation.objects.create(name="NHS Dorset CCG", kind="ccg", successor=opened_icb)
    undated = Organisation.objects.create(name="Old trust", kind="nhs_trust", successor=icb)
    already = Organisation.objects.create(name="Merged trust", kind="nhs_trust", successor=icb)
    OrganisationSuccession.objects.create(
        predecessor=already, successor=icb, kind="merger", effective=datetime.date(2020, 4, 1)
    )
    Organisation.objects.create(name="Somerset Council", kind="local_authority")

    new = migrate(AFTER)

    Succession = new.get_model("bodies", "OrganisationSuccession")
    links = {
        (s.predecessor_id, s.successor_id): (s.kind, s.effective) for s in Succession.objects.all()
    }
    assert links == {
        (closed_ccg.pk, icb.pk): ("transfer_of_functions", datetime.date(2022, 7, 1)),
        (open_ccg.pk, opened_icb.pk): ("transfer_of_functions", datetime.date(2022, 7, 1)),
        (undated.pk, icb.pk): ("transfer_of_functions", datetime.date(2022, 7, 1)),
        (already.pk, icb.pk): ("merger", datetime.date(2020, 4, 1)),
    }
    field_names = {f.name for f in new.get_model("bodies", "Organisation")._meta.fields}
    assert "successor" not in field_names


@MIGRATES
def test_the_effective_date_is_the_day_after_closing_else_the_successor_opening():
    old = migrate(BEFORE)
    Organisation = old.get_model("bodies", "Organisation")
    icb = Organisation.objects.create(
        name="NHS Kent ICB", kind="icb", opened=datetime.date(2023, 1, 1)
    )
    closed = Organisation.objects.create(
        name="Kent trust", kind="nhs_trust", closed=datetime.date(2021, 3, 31), successor=icb
    )
    still_open = Organisation.objects.create(name="Kent CCG", kind="ccg", successor=icb)

    new = migrate(AFTER)

    Succession = new.get_model("bodies", "OrganisationSuccession")
    effective = dict(Succession.objects.values_list("predecessor_id", "effective"))
    assert effective == {
        closed.pk: datetime.date(2021, 4, 1),
        still_open.pk: datetime.date(2023, 1, 1),
    }


@MIGRATES
def test_going_back_restores_the_successor_field():
    migrate(BEFORE)
    old = migrate(AFTER)
    Organisation = old.get_model("bodies", "Organisation")
    Succession = old.get_model("bodies", "OrganisationSuccession")
    icb = Organisation.objects.create(name="NHS Devon ICB", kind="icb")
    ccg = Organisation.objects.create(name="NHS Devon CCG", kind="ccg")
    Succession.objects.create(
        predecessor=ccg,
        successor=icb,
        kind="transfer_of_functions",
        effective=datetime.date(2022, 7, 1),
    )

    back = migrate(BEFORE)

    restored = back.get_model("bodies", "Organisation").objects.get(pk=ccg.pk)
    assert restored.successor_id == icb.pk
