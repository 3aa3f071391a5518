"""The named constraints of committees in common and joint committees, proved in the
database and explained to an officer.

Committees in common are one committee per participating body, meeting together: a
committee of kind committee_in_common is in a group (and only such a committee is), and
the committees of a group belong to different bodies. A joint committee is one row
established by several bodies: only a joint committee has joint bodies, and its own body
is not one of them. The mechanism is ``tests/constraint_proofs.py``.
"""

import datetime
import importlib
import pkgutil

import pytest
from django.apps import apps
from django.db import connection

import committees.migrations
from bodies.models import BodyKind
from committees.models import Committee, CommitteeKind, CommitteesInCommon
from committees.services import (
    committee_create,
    committee_update,
    committees_in_common_create,
    committees_in_common_join,
)
from core.services import record_create
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import BodyFactory, CommitteeFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def icb():
    return BodyFactory(kind=BodyKind.ICB)


@pytest.fixture
def group():
    return CommitteesInCommon.objects.create(name="People Committees in Common")


# A committee in common is in a group, and only it is --------------------------------------


@proves("committees_committee_in_common_iff_kind")
def test_database_refuses_a_committee_in_common_without_a_group_and_a_group_on_another(group):
    with refused_by("committees_committee_in_common_iff_kind"):
        CommitteeFactory(kind=CommitteeKind.COMMITTEE_IN_COMMON, in_common_with=None)
    with refused_by("committees_committee_in_common_iff_kind"):
        CommitteeFactory(kind=CommitteeKind.ASSURANCE, in_common_with=group)


@explains("committees_committee_in_common_iff_kind")
def test_an_assurance_committee_put_in_a_group_is_refused_with_a_clear_message(group):
    with refused_with_message_of("committees_committee_in_common_iff_kind"):
        committee_create(
            body=icb(), name="Audit", kind=CommitteeKind.ASSURANCE, in_common_with=group
        )
    assert not Committee.objects.filter(name="Audit").exists()


# The committees of a group belong to different bodies -------------------------------------


@proves("committees_committee_one_per_body_in_common")
def test_database_refuses_two_committees_of_one_body_in_one_group(group):
    body = icb()
    CommitteeFactory(body=body, kind=CommitteeKind.COMMITTEE_IN_COMMON, in_common_with=group)
    with refused_by("committees_committee_one_per_body_in_common"):
        CommitteeFactory(body=body, kind=CommitteeKind.COMMITTEE_IN_COMMON, in_common_with=group)


@explains("committees_committee_one_per_body_in_common")
def test_a_body_given_twice_for_committees_in_common_is_refused_and_nothing_is_written():
    body = icb()
    with refused_with_message_of("committees_committee_one_per_body_in_common"):
        committees_in_common_create(name="People", bodies=[body, body])
    assert not CommitteesInCommon.objects.exists()
    assert not Committee.objects.filter(kind=CommitteeKind.COMMITTEE_IN_COMMON).exists()


def test_a_second_body_joins_the_group_with_its_own_committee(group):
    first, second = icb(), icb()
    committees_in_common_join(group=group, body=first)
    committees_in_common_join(group=group, body=second, name="People Committee")
    assert sorted(c.body_id for c in group.committees.all()) == [first.pk, second.pk]


# Committees in common are abolished after they are established ----------------------------


@proves("committees_committeesincommon_abolished_after_established")
def test_database_refuses_committees_in_common_abolished_before_established(group):
    group.established, group.abolished = D(2025, 4, 1), D(2025, 3, 31)
    with refused_by("committees_committeesincommon_abolished_after_established"):
        group.save()


@explains("committees_committeesincommon_abolished_after_established")
def test_committees_in_common_abolished_before_established_are_refused_clearly():
    with refused_with_message_of("committees_committeesincommon_abolished_after_established"):
        record_create(
            CommitteesInCommon, name="X", established=D(2025, 4, 1), abolished=D(2025, 3, 1)
        )


# Only a joint committee has joint bodies, and not its own ----------------------------------


@proves("committees_committee_joint_bodies_of_joint_committee")
def test_database_refuses_joint_bodies_on_another_kind_and_the_committees_own_body():
    other = icb()
    committee = CommitteeFactory(kind=CommitteeKind.ASSURANCE)
    with refused_by("committees_committee_joint_bodies_of_joint_committee"):
        committee.joint_bodies.add(other)
    joint = CommitteeFactory(kind=CommitteeKind.JOINT_COMMITTEE)
    with refused_by("committees_committee_joint_bodies_of_joint_committee"):
        joint.joint_bodies.add(joint.body)
    joint.joint_bodies.add(other)
    assert list(joint.joint_bodies.all()) == [other]


@explains("committees_committee_joint_bodies_of_joint_committee")
def test_joint_bodies_on_an_assurance_committee_are_refused_with_a_clear_message():
    with refused_with_message_of("committees_committee_joint_bodies_of_joint_committee"):
        committee_create(
            body=icb(), name="Audit", kind=CommitteeKind.ASSURANCE, joint_bodies=[icb()]
        )
    assert not Committee.objects.filter(name="Audit").exists()


@proves("committees_committee_joint_committee_keeps_kind")
def test_database_refuses_a_joint_committee_with_joint_bodies_changing_kind_or_body():
    first, second = icb(), icb()
    joint = CommitteeFactory(body=first, kind=CommitteeKind.JOINT_COMMITTEE)
    joint.joint_bodies.add(second)
    with refused_by("committees_committee_joint_committee_keeps_kind"):
        Committee.objects.filter(pk=joint.pk).update(kind=CommitteeKind.ASSURANCE)
    with refused_by("committees_committee_joint_committee_keeps_kind"):
        Committee.objects.filter(pk=joint.pk).update(body=second, ics=second.ics)


@explains("committees_committee_joint_committee_keeps_kind")
def test_a_joint_committee_made_an_assurance_committee_is_refused_with_a_clear_message():
    first, second = icb(), icb()
    joint = committee_create(
        body=first, name="Joint", kind=CommitteeKind.JOINT_COMMITTEE, joint_bodies=[second]
    )
    with refused_with_message_of("committees_committee_joint_committee_keeps_kind"):
        committee_update(committee=joint, kind=CommitteeKind.ASSURANCE)
    joint.refresh_from_db()
    assert joint.kind == CommitteeKind.JOINT_COMMITTEE


# Migrating the committees in common recorded before groups existed ------------------------


def test_each_committee_in_common_recorded_before_groups_gets_a_group_of_its_own():
    """The migration that brought groups in: a committee in common was one row of one body (the
    demo's Somerset People Board); each gets a group named after it, and after its body
    too when two share a name. The check is lifted inside this test's transaction only, to
    write the rows as they were before the migration."""
    # Found by name, whatever number the migration has after merges.
    (name,) = [
        m.name
        for m in pkgutil.iter_modules(committees.migrations.__path__)
        if m.name.endswith("_committees_in_common_and_joint_bodies")
    ]
    migration = importlib.import_module(f"committees.migrations.{name}")
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE committees_committee "
            "DROP CONSTRAINT committees_committee_in_common_iff_kind"
        )
    first, second = icb(), icb()
    old = [
        CommitteeFactory(body=body, name="People Board", purpose="Workforce")
        for body in (first, second)
    ]
    other = CommitteeFactory(body=first, name="Audit")
    Committee.objects.filter(pk__in=[c.pk for c in old]).update(
        kind=CommitteeKind.COMMITTEE_IN_COMMON
    )

    migration.each_committee_in_common_its_own_group(apps, None)

    migrated = Committee.objects.filter(pk__in=[c.pk for c in old])
    groups = {c.body_id: c.in_common_with for c in migrated}
    assert groups[first.pk].name == f"People Board ({first.name})"
    assert groups[second.pk].name == f"People Board ({second.name})"
    assert groups[first.pk].purpose == "Workforce"
    other.refresh_from_db()
    assert other.in_common_with is None
