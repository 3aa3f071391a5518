"""The audit trail: every change to governance data is recorded, with who made it.

django-pghistory writes the events from database triggers, so a change is recorded
whatever made it; the services attach the acting user (``by=``) to the events' context.
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from pghistory.models import Event, MiddlewareEvents

from bodies.models import BodyKind, Organisation, OrganisationKind
from bodies.services import organisation_create
from committees.models import CommitteeKind, Role, Seat
from committees.services import body_create, committee_create, seat_create
from core.services import audit_context, record_update
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.services import (
    membership_end,
    membership_replace,
    membership_start,
    person_create,
    seat_abolish,
)
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db


GO_LIVE = datetime.date(2022, 7, 1)
JUNE_30_2023 = datetime.date(2023, 6, 30)
JULY_1_2023 = datetime.date(2023, 7, 1)

GOVERNANCE_APPS = (
    "bodies",
    "committees",
    "memberships",
    "documents",
    "reorganisations",
    "appointments",
)


def events_of(obj, label: str | None = None):
    """The events recorded for ``obj``, oldest first."""
    found = obj.events.select_related("pgh_context").order_by("pgh_id")
    return found.filter(pgh_label=label) if label else found


def by_whom(event) -> int | None:
    return event.pgh_context.metadata.get("user") if event.pgh_context else None


# Every tracked model, every kind of change ---------------------------------------------


def _governance_tables(*, links: bool) -> set[str]:
    """The governance models' tables, or their many-to-many link tables (those Django
    creates and the dated ones declared as through models, issue 11)."""
    models = [
        model
        for app in GOVERNANCE_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if not issubclass(model, Event)
    ]
    if links:
        return {
            m2m.remote_field.through._meta.db_table
            for model in models
            for m2m in model._meta.local_many_to_many
        }
    return {model._meta.db_table for model in models if not model._meta.auto_created}


def _tables_with_audit_triggers() -> set[str]:
    """Tables on which PostgreSQL really has pghistory's triggers, not just Python's say-so."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname LIKE 'pgtrigger_%%' AND NOT tgisinternal"
        )
        return {table for (table,) in cursor.fetchall()}


def link_events(through):
    """The event model recording additions to and removals from a many-to-many link (R4)."""
    (model,) = [
        model
        for model in apps.get_models()
        if issubclass(model, Event)
        and model.pgh_tracked_model is not None
        and model.pgh_tracked_model._meta.concrete_model is through
    ]
    return model.objects.select_related("pgh_context")


def test_every_governance_table_has_audit_triggers_in_the_database():
    tables = _governance_tables(links=False)
    assert "memberships_membership" in tables
    assert sorted(tables - _tables_with_audit_triggers()) == []


def test_every_many_to_many_link_table_has_audit_triggers_in_the_database_r4():
    tables = _governance_tables(links=True)
    assert Seat.nominating_organisations.through._meta.db_table in tables
    assert sorted(tables - _tables_with_audit_triggers()) == []


# A harmless change for each model, made without save(): triggers see every write.
CHANGES = [
    (RegionFactory, {"name": "South West"}),
    (OrganisationFactory, {"name": "Somerset NHS Foundation Trust"}),
    (IntegratedCareSystemFactory, {"name": "Somerset"}),
    (BodyFactory, {"description": "Hosted by the ICB board."}),
    (CommitteeFactory, {"purpose": "Assurance on quality."}),
    (SeatFactory, {"title": "Non-executive director (audit chair)"}),
    (PersonFactory, {"post_nominals": "OBE"}),
    (MembershipFactory, {"status": MembershipStatus.ACTING}),
]


@pytest.mark.parametrize(
    ("factory", "change"), CHANGES, ids=[f._meta.model.__name__ for f, _ in CHANGES]
)
def test_insert_update_and_delete_of_each_tracked_model_are_recorded_with_who(
    factory, change, officer
):
    with audit_context(officer):
        obj = factory()
        type(obj).objects.filter(pk=obj.pk).update(**change)
        pk = obj.pk
        obj.delete()

    recorded = type(obj).events.rel.related_model.objects.filter(pgh_obj_id=pk)
    events = list(recorded.select_related("pgh_context").order_by("pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update", "delete"]
    assert {by_whom(e) for e in events} == {officer.pk}
    field, value = next(iter(change.items()))
    assert getattr(events[1], field) == value


def test_saving_without_a_change_records_nothing():
    person = PersonFactory()
    person.save()
    assert [e.pgh_label for e in events_of(person)] == ["insert"]


# Each service records its writes with the acting user -----------------------------------


def test_organisation_create_records_who(officer):
    trust = organisation_create(
        name="Somerset NHS Foundation Trust",
        kind=OrganisationKind.NHS_FOUNDATION_TRUST,
        by=officer,
    )
    assert [(e.pgh_label, by_whom(e)) for e in events_of(trust)] == [("insert", officer.pk)]


def test_organisation_create_records_the_systems_it_serves_with_who(officer):
    system = IntegratedCareSystemFactory()
    trust = organisation_create(
        name="Somerset NHS Foundation Trust",
        kind=OrganisationKind.NHS_FOUNDATION_TRUST,
        systems=[system],
        by=officer,
    )
    insert = events_of(trust).get()
    link = link_events(Organisation.systems.through).get(organisation=trust)
    assert (link.pgh_label, link.integratedcaresystem_id) == ("add", system.pk)
    assert link.pgh_context_id == insert.pgh_context_id


def test_body_create_records_the_body_and_its_board_as_one_change_with_who(officer):
    icb = body_create(
        ics=IntegratedCareSystemFactory(), name="NHS Somerset ICB", kind=BodyKind.ICB, by=officer
    )
    body_event = events_of(icb).get()
    board_event = events_of(icb.committees.get()).get()
    assert by_whom(body_event) == officer.pk
    assert board_event.pgh_context_id == body_event.pgh_context_id


def test_committee_create_records_who(officer):
    committee = committee_create(
        body=BodyFactory(), name="Audit Committee", kind=CommitteeKind.ASSURANCE, by=officer
    )
    assert [(e.pgh_label, by_whom(e)) for e in events_of(committee)] == [("insert", officer.pk)]


def test_person_create_records_who(officer):
    person = person_create(given_name="Lena", family_name="Samuels", by=officer)
    assert [(e.pgh_label, by_whom(e)) for e in events_of(person)] == [("insert", officer.pk)]


def test_membership_start_and_end_record_who_r23(officer, django_user_model):
    clerk = django_user_model.objects.create_user("clerk")
    membership = membership_start(
        seat=SeatFactory(), person=PersonFactory(), start=GO_LIVE, by=officer
    )
    membership_end(membership=membership, end=JUNE_30_2023, reason=EndReason.RESIGNED, by=clerk)

    events = list(events_of(membership))
    assert [(e.pgh_label, by_whom(e)) for e in events] == [
        ("insert", officer.pk),
        ("update", clerk.pk),
    ]
    assert (events[1].end, events[1].end_reason) == (JUNE_30_2023, EndReason.RESIGNED)


def test_membership_replace_records_both_memberships_as_one_change_with_who_r22(officer):
    holder = MembershipFactory(start=GO_LIVE)
    successor = membership_replace(
        membership=holder,
        person=PersonFactory(),
        start=JULY_1_2023,
        status=MembershipStatus.SUBSTANTIVE,
        by=officer,
    )
    ended = events_of(holder, "update").get()
    started = events_of(successor, "insert").get()
    assert by_whom(ended) == by_whom(started) == officer.pk
    assert ended.pgh_context_id == started.pgh_context_id


def test_a_refused_replacement_records_nothing(officer):
    holder = MembershipFactory(start=GO_LIVE)
    with pytest.raises(ValidationError):
        membership_replace(
            membership=holder,
            person=PersonFactory(),
            start=GO_LIVE,
            status=MembershipStatus.SUBSTANTIVE,
            by=officer,
        )
    assert [e.pgh_label for e in events_of(holder)] == ["insert"]


def test_seat_abolish_records_the_seat_and_the_ended_membership_with_who(officer):
    holder = MembershipFactory(start=GO_LIVE)
    seat_abolish(seat=holder.seat, on=JUNE_30_2023, by=officer)

    seat_event = events_of(holder.seat, "update").get()
    membership_event = events_of(holder, "update").get()
    assert seat_event.abolished == JUNE_30_2023
    assert membership_event.end_reason == EndReason.SEAT_ABOLISHED
    assert by_whom(seat_event) == by_whom(membership_event) == officer.pk
    assert seat_event.pgh_context_id == membership_event.pgh_context_id


def test_the_audit_log_names_the_user_who_made_the_change(officer):
    person = person_create(given_name="Maggie", family_name="MacIsaac", by=officer)
    (event,) = MiddlewareEvents.objects.tracks(person)
    assert (event.pgh_label, event.user) == ("insert", officer)


# Writes that bypass save() and the services ---------------------------------------------


def test_a_queryset_update_is_recorded_with_who(officer):
    memberships = MembershipFactory.create_batch(2)
    with audit_context(officer):
        updated = Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(
            status=MembershipStatus.INTERIM
        )
    assert updated == 2
    for membership in memberships:
        event = events_of(membership, "update").get()
        assert (event.status, by_whom(event)) == (MembershipStatus.INTERIM, officer.pk)


def test_a_queryset_update_outside_any_service_is_still_recorded():
    membership = MembershipFactory()
    Membership.objects.filter(pk=membership.pk).update(status=MembershipStatus.ACTING)
    event = events_of(membership, "update").get()
    assert event.status == MembershipStatus.ACTING
    assert by_whom(event) is None


def test_bulk_create_and_raw_sql_are_recorded():
    (person,) = Person.objects.bulk_create([Person(given_name="Lena", family_name="Samuels")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE memberships_person SET post_nominals = %s WHERE id = %s", ["MBE", person.pk]
        )
    events = list(events_of(person))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[1].post_nominals == "MBE"


# Nominating organisations (R4) -----------------------------------------------------------


def test_seat_nominations_added_and_removed_are_recorded_with_who_r4(officer):
    trust, foundation_trust = OrganisationFactory.create_batch(2)
    seat = seat_create(
        committee=CommitteeFactory(kind=CommitteeKind.BOARD),
        role=Role.TRUST_PARTNER_MEMBER,
        nominating_organisations=[trust, foundation_trust],
        by=officer,
    )
    with audit_context(officer):
        seat.nominating_organisations.remove(trust)

    links = link_events(Seat.nominating_organisations.through).filter(seat=seat)
    recorded = sorted((e.pgh_label, e.organisation_id, by_whom(e)) for e in links)
    assert recorded == sorted(
        [
            ("add", trust.pk, officer.pk),
            ("add", foundation_trust.pk, officer.pk),
            ("remove", trust.pk, officer.pk),
        ]
    )
    seat_insert = events_of(seat, "insert").get()
    added = links.filter(pgh_label="add").values_list("pgh_context_id", flat=True)
    assert set(added) == {seat_insert.pgh_context_id}


def test_a_nomination_ended_by_a_new_list_is_recorded_as_a_change_with_its_end_r4(officer):
    trust, council = OrganisationFactory.create_batch(2)
    seat = seat_create(
        committee=CommitteeFactory(kind=CommitteeKind.BOARD),
        role=Role.TRUST_PARTNER_MEMBER,
        nominating_organisations=[trust],
        by=officer,
    )
    record_update(seat, nominating_organisations=[council], links_from=JULY_1_2023, by=officer)
    links = link_events(Seat.nominating_organisations.through).filter(seat=seat)
    recorded = [
        (e.pgh_label, e.organisation_id, e.start, e.end, by_whom(e))
        for e in links.order_by("pgh_id")
    ]
    assert recorded == [
        ("add", trust.pk, None, None, officer.pk),
        ("change", trust.pk, None, JUNE_30_2023, officer.pk),
        ("add", council.pk, JULY_1_2023, None, officer.pk),
    ]
