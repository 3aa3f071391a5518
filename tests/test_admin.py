"""The admin as a governance officer uses it: every page opens, lists stay fast, the
filters and searches find the right rows, the History button shows who changed what, and
a broken rule (R22) comes back as a form error, never a server error."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_totp.models import TOTPDevice

from bodies.models import (
    Body,
    BodyMemberLink,
    BodySuccession,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    OrganisationSuccession,
    Region,
    SuccessionKind,
    SystemSuccession,
)
from committees.models import (
    Committee,
    CommitteeKind,
    CommitteesInCommon,
    Constitution,
    QuorumCondition,
    Role,
    Seat,
    StandingOrders,
)
from core.services import api_token_create, constraint_messages
from memberships.models import EndReason, Membership, Person
from tests.appointments_builders import appointments_rows
from tests.decisions_factories import decisions_rows
from tests.documents_factories import documents_rows
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
from tests.reminders_factories import reminders_rows

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.date(2022, 7, 1)
CLUSTERED = datetime.date(2025, 10, 1)
MERGED = datetime.date(2026, 4, 1)
REGISTRY_MODELS = [
    Region,
    Organisation,
    IntegratedCareSystem,
    Body,
    Committee,
    Seat,
    Person,
    Membership,
    Constitution,
    StandingOrders,
]
REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
ONE_HOLDER_PER_SEAT = constraint_messages()["memberships_membership_one_holder_per_seat"]
ONE_SEAT_PER_COMMITTEE = constraint_messages()["memberships_membership_one_seat_per_committee"]
ONE_CHAIR = constraint_messages()["committees_seat_one_chair"]
END_AFTER_START = constraint_messages()["memberships_membership_end_after_start"]


def admin_url(model_or_obj, view: str, *args) -> str:
    opts = model_or_obj._meta
    if view in ("change", "history", "delete") and not args:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def registry_rows():
    """At least one row of every registered model, linked the way real data is."""
    ics = IntegratedCareSystemFactory(name="Somerset", code="QSL")
    council = OrganisationFactory(
        name="Somerset Council", kind=OrganisationKind.LOCAL_AUTHORITY, ods_code="E0001"
    )
    council.systems.add(ics)
    ccg = OrganisationFactory(name="NHS Somerset CCG", kind=OrganisationKind.CCG)
    OrganisationSuccession.objects.create(
        predecessor=ccg,
        successor=ics.icb,
        kind=SuccessionKind.TRANSFER_OF_FUNCTIONS,
        effective=GO_LIVE,
    )
    board_body = BodyFactory(ics=ics, name="NHS Somerset ICB", kind="icb", lead_provider=None)
    board_body.member_organisations.add(council)
    board = CommitteeFactory(body=board_body, name="ICB Board", kind=CommitteeKind.BOARD)
    CommitteeFactory(body=board_body, name="Audit Committee", parent=board)
    seat = SeatFactory(committee=board, role=Role.LOCAL_AUTHORITY_PARTNER_MEMBER)
    seat.nominating_organisations.add(council)
    MembershipFactory(seat=seat, on_behalf_of=council, start=GO_LIVE)
    decisions_rows()
    reminders_rows()
    appointments_rows()
    api_token_create(organisation=council, name="Trust intranet")
    orders = StandingOrders.objects.create(committee=board, quorum_voting_members=1)
    QuorumCondition.objects.create(
        standing_orders=orders, description="partner member", roles=[Role.CHAIR]
    )

    reorganisation_rows(ics, board_body)
    committees_in_common_rows(board_body)
    documents_rows(board_body)

    Group.objects.create(name="Governance officers")
    every_day = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    CrontabSchedule.objects.create(minute="0", hour="7")
    SolarSchedule.objects.create(event="sunrise", latitude=51.02, longitude=-3.10)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    PeriodicTask.objects.create(
        name="Term-end reminders", task="memberships.tasks.remind", interval=every_day
    )
    # django-axes: failed sign-ins, the log of sign-ins, and a lockout an officer clears.
    attempt = {"username": "officer", "ip_address": "192.0.2.1", "user_agent": "test"}
    AccessAttempt.objects.create(**attempt, failures_since_start=5, get_data="", post_data="")
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt, path_info="/sign-in/", locked_out=True)
    # django-otp: an officer's authenticator app, which an administrator removes when lost.
    holder = get_user_model().objects.create_user("app_holder", is_staff=True)
    TOTPDevice.objects.create(user=holder, name="Phone")


def committees_in_common_rows(body):
    """Committees in common of two bodies, one committee each, and a joint committee."""
    partner = BodyFactory(ics=body.ics, name="Somerset People Partnership", kind="system_group")
    group = CommitteesInCommon.objects.create(name="Somerset People Committees in Common")
    for member in (body, partner):
        CommitteeFactory(
            body=member,
            name="People Committee",
            kind=CommitteeKind.COMMITTEE_IN_COMMON,
            in_common_with=group,
        )
    joint = CommitteeFactory(
        body=body, name="Joint Commissioning Committee", kind=CommitteeKind.JOINT_COMMITTEE
    )
    joint.joint_bodies.add(partner)


def reorganisation_rows(ics, body):
    """A merger into a successor system, body and ICB, and a cluster of the two systems."""
    successor = IntegratedCareSystemFactory(name="Somerset and Dorset", code="QZZ")
    SystemSuccession.objects.create(
        predecessor=ics, successor=successor, kind=SuccessionKind.MERGER, effective=MERGED
    )
    OrganisationSuccession.objects.create(
        predecessor=ics.icb, successor=successor.icb, kind=SuccessionKind.MERGER, effective=MERGED
    )
    BodySuccession.objects.create(
        predecessor=body,
        successor=BodyFactory(ics=successor, kind="icb", lead_provider=None),
        kind=SuccessionKind.MERGER,
        effective=MERGED,
    )
    cluster = Cluster.objects.create(name="Somerset and Dorset cluster", start=CLUSTERED)
    ClusterMember.objects.create(cluster=cluster, system=ics, start=CLUSTERED)


def form_data(response) -> dict:
    """What the browser would post back from an admin change form, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {"_save": "Save"}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def inline_prefix(response, model) -> str:
    return next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def add_inline_rows(data: dict, prefix: str, *rows: dict) -> dict:
    """Fill the formset's blank rows (and add more) with ``rows``."""
    first = int(data[f"{prefix}-INITIAL_FORMS"])
    for offset, row in enumerate(rows):
        data.update({f"{prefix}-{first + offset}-{name}": value for name, value in row.items()})
    total = max(int(data[f"{prefix}-TOTAL_FORMS"]), first + len(rows))
    data[f"{prefix}-TOTAL_FORMS"] = str(total)
    return data


def row_errors(response, model) -> list[str]:
    """The messages on the rows the officer filled in or changed in the inline for ``model``."""
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )
    return [" ".join(form.non_field_errors()) for form in formset.forms if form.has_changed()]


def results(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# -- every page opens ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", REGISTERED_MODELS, ids=[model._meta.label for model in REGISTERED_MODELS]
)
def test_every_registered_admin_lists_its_rows_and_opens_its_add_page(
    officer_client, officer, registry_rows, model
):
    model_admin = admin.site._registry[model]

    changelist = officer_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count > 0

    request = RequestFactory().get("/")
    request.user = officer
    # Read-only admins (the audit events) refuse to add, as they should.
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert officer_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda model: model.__name__)
def test_every_registry_record_opens_its_change_and_history_pages(
    officer_client, registry_rows, model
):
    obj = model.objects.first()
    assert officer_client.get(admin_url(obj, "change")).status_code == 200
    history = officer_client.get(admin_url(obj, "history"))
    assert history.status_code == 200
    # Newest first: the creation is the last entry.
    assert history.context["audit_entries"][-1].action == "Created"


# -- list pages run a fixed number of queries ---------------------------------------------


def build_regions(n):
    RegionFactory.create_batch(n)


def build_organisations(n):
    for _ in range(n):
        ics = IntegratedCareSystemFactory()
        organisation = OrganisationFactory(region=ics.region)
        organisation.systems.add(ics)
        OrganisationSuccession.objects.create(
            predecessor=OrganisationFactory(),
            successor=organisation,
            kind=SuccessionKind.MERGER,
            effective=GO_LIVE,
        )
        OrganisationSuccession.objects.create(
            predecessor=organisation,
            successor=OrganisationFactory(),
            kind=SuccessionKind.MERGER,
            effective=MERGED,
        )


def build_systems(n):
    IntegratedCareSystemFactory.create_batch(n)


def build_bodies(n):
    BodyFactory.create_batch(n, lead_provider=factory_organisation())


def build_committees(n):
    for _ in range(n):
        board = CommitteeFactory(kind=CommitteeKind.BOARD)
        CommitteeFactory(body=board.body, parent=board)


def build_seats(n):
    for seat in SeatFactory.create_batch(n):
        MembershipFactory(seat=seat)


def build_people(n):
    for person in PersonFactory.create_batch(n, employing_organisation=factory_organisation()):
        MembershipFactory(person=person)


def build_memberships(n):
    MembershipFactory.create_batch(n, on_behalf_of=factory_organisation())


def factory_organisation():
    return OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)


def build_constitutions(n):
    for committee in CommitteeFactory.create_batch(n):
        Constitution.objects.create(
            code=f"own-{committee.pk}",
            name=f"Constitution of {committee.name}",
            source="constitution",
            committee=committee,
            effective_from=GO_LIVE,
        )


def build_standing_orders(n):
    for committee in CommitteeFactory.create_batch(n):
        StandingOrders.objects.create(committee=committee, quorum_voting_members=2)


BUILDERS = {
    Constitution: build_constitutions,
    StandingOrders: build_standing_orders,
    Region: build_regions,
    Organisation: build_organisations,
    IntegratedCareSystem: build_systems,
    Body: build_bodies,
    Committee: build_committees,
    Seat: build_seats,
    Person: build_people,
    Membership: build_memberships,
}
MAX_CHANGELIST_QUERIES = 10


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda model: model.__name__)
def test_list_page_query_count_does_not_grow_with_rows(
    officer_client, django_assert_max_num_queries, model
):
    url = admin_url(model, "changelist")
    officer_client.get(url)  # the session and the content types are warm from here on

    BUILDERS[model](3)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES) as few:
        few_rows = results(officer_client.get(url))

    BUILDERS[model](27)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES) as many:
        many_rows = results(officer_client.get(url))

    assert len(many_rows) >= 30 > len(few_rows) >= 3
    assert len(many.captured_queries) == len(few.captured_queries)


# -- search and filters -------------------------------------------------------------------


def test_organisation_search_finds_a_trust_by_its_ods_code(officer_client):
    trust = OrganisationFactory(name="Somerset NHS Foundation Trust", ods_code="RH5")
    OrganisationFactory(name="Royal United Hospitals Bath", ods_code="RD1")

    found = results(officer_client.get(admin_url(Organisation, "changelist"), {"q": "RH5"}))

    assert found == [trust]


def test_organisation_list_names_each_ones_successors(officer_client):
    """R30: the CCG's row names the ICB that took over its functions."""
    ccg = OrganisationFactory(name="NHS Somerset CCG", kind=OrganisationKind.CCG)
    icb = OrganisationFactory(name="NHS Somerset ICB", kind=OrganisationKind.ICB)
    OrganisationSuccession.objects.create(
        predecessor=ccg, successor=icb, kind=SuccessionKind.TRANSFER_OF_FUNCTIONS, effective=GO_LIVE
    )

    rows = {o.name: o for o in results(officer_client.get(admin_url(Organisation, "changelist")))}

    model_admin = admin.site._registry[Organisation]
    assert model_admin.successors(rows["NHS Somerset CCG"]) == "NHS Somerset ICB"
    assert model_admin.successors(rows["NHS Somerset ICB"]) == ""


def test_officer_records_an_organisations_successor_on_its_page(officer_client):
    ccg = OrganisationFactory(name="NHS Somerset CCG", kind=OrganisationKind.CCG)
    icb = OrganisationFactory(name="NHS Somerset ICB", kind=OrganisationKind.ICB)
    page = officer_client.get(admin_url(ccg, "change"))
    data = add_inline_rows(
        form_data(page),
        inline_prefix(page, OrganisationSuccession),
        {"successor": icb.pk, "kind": "transfer_of_functions", "effective": "2022-07-01"},
    )

    response = officer_client.post(admin_url(ccg, "change"), data)

    assert response.status_code == 302
    link = OrganisationSuccession.objects.get()
    assert (link.predecessor, link.successor, link.effective) == (ccg, icb, GO_LIVE)


def test_an_organisation_recorded_as_its_own_successor_gets_the_constraint_message(
    officer_client,
):
    ccg = OrganisationFactory(name="NHS Somerset CCG", kind=OrganisationKind.CCG)
    page = officer_client.get(admin_url(ccg, "change"))
    data = add_inline_rows(
        form_data(page),
        inline_prefix(page, OrganisationSuccession),
        {"successor": ccg.pk, "kind": "rename", "effective": "2022-07-01"},
    )

    response = officer_client.post(admin_url(ccg, "change"), data)

    assert response.status_code == 200
    assert row_errors(response, OrganisationSuccession) == [
        "An organisation cannot be its own successor."
    ]
    assert not OrganisationSuccession.objects.exists()


def test_membership_search_finds_a_holder_by_family_name(officer_client):
    held = MembershipFactory(person=PersonFactory(given_name="Jane", family_name="Kennedy"))
    MembershipFactory(person=PersonFactory(given_name="Paul", family_name="von der Heyde"))

    found = results(officer_client.get(admin_url(Membership, "changelist"), {"q": "Kennedy"}))

    assert found == [held]


def test_seat_search_finds_the_seat_a_person_holds(officer_client):
    held = MembershipFactory(person=PersonFactory(family_name="Kennedy"))
    SeatFactory()

    found = results(officer_client.get(admin_url(Seat, "changelist"), {"q": "Kennedy"}))

    assert found == [held.seat]


def test_person_search_finds_people_by_name(officer_client):
    jane = PersonFactory(given_name="Jane", family_name="Kennedy")
    PersonFactory(given_name="Paul", family_name="Kennedy-Smith")
    PersonFactory(given_name="Maria", family_name="Heyde")

    found = results(officer_client.get(admin_url(Person, "changelist"), {"q": "Jane Kennedy"}))

    assert found == [jane]


def test_ics_filter_lists_only_that_systems_memberships(officer_client):
    somerset = MembershipFactory()
    MembershipFactory()

    found = results(
        officer_client.get(admin_url(Membership, "changelist"), {"ics__id__exact": somerset.ics_id})
    )

    assert found == [somerset]


@pytest.mark.parametrize("model", [Body, Committee, Seat], ids=lambda model: model.__name__)
def test_ics_filter_lists_only_that_systems_bodies_committees_and_seats(officer_client, model):
    seat, other = SeatFactory(), SeatFactory()
    wanted = {Body: seat.body, Committee: seat.committee, Seat: seat}[model]
    assert other.ics_id != seat.ics_id

    found = results(
        officer_client.get(admin_url(model, "changelist"), {"ics__id__exact": seat.ics_id})
    )

    assert found == [wanted]


def test_organisation_filter_by_ics_footprint(officer_client):
    ics = IntegratedCareSystemFactory()
    council = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    council.systems.add(ics)
    OrganisationFactory()

    found = results(
        officer_client.get(admin_url(Organisation, "changelist"), {"systems__id__exact": ics.pk})
    )

    assert found == [council]


def test_current_filter_counts_the_last_day_in_the_seat_as_current_r23(officer_client):
    today = timezone.localdate()
    open_ended = MembershipFactory(start=GO_LIVE)
    last_day_today = MembershipFactory(start=GO_LIVE, end=today, end_reason=EndReason.TERM_EXPIRED)
    ended_yesterday = MembershipFactory(
        start=GO_LIVE, end=today - datetime.timedelta(days=1), end_reason=EndReason.RESIGNED
    )
    url = admin_url(Membership, "changelist")

    current = results(officer_client.get(url, {"state": "current"}))
    ended = results(officer_client.get(url, {"state": "ended"}))

    assert set(current) == {open_ended, last_day_today}
    assert ended == [ended_yesterday]


@pytest.mark.parametrize(
    "model", [Body, Committee, Seat, Organisation], ids=lambda model: model.__name__
)
def test_current_filter_separates_abolished_and_closed_records_r30(officer_client, model):
    end_field = "closed" if model is Organisation else "abolished"
    factory = {
        Body: BodyFactory,
        Committee: CommitteeFactory,
        Seat: SeatFactory,
        Organisation: OrganisationFactory,
    }[model]
    in_force = factory()
    gone = factory(**{end_field: GO_LIVE + datetime.timedelta(days=365)})
    url = admin_url(model, "changelist")

    current = results(officer_client.get(url, {"state": "current"}))
    ended = results(officer_client.get(url, {"state": "ended"}))

    assert in_force in current and gone not in current
    assert ended == [gone]


def test_dates_are_listed_in_long_en_gb_form(officer_client):
    MembershipFactory(start=GO_LIVE)

    response = officer_client.get(admin_url(Membership, "changelist"))

    assert "1 July 2022" in response.content.decode()


def test_autocomplete_finds_the_nominating_organisation_by_ods_code(officer_client):
    OrganisationFactory(name="Somerset NHS Foundation Trust", ods_code="RH5")
    OrganisationFactory(name="Royal United Hospitals Bath", ods_code="RD1")

    response = officer_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "memberships",
            "model_name": "membership",
            "field_name": "on_behalf_of",
            "term": "RH5",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Somerset NHS Foundation Trust (RH5)"
    ]


# -- history ------------------------------------------------------------------------------


def test_membership_history_shows_who_ended_the_term_and_what_changed(officer_client):
    membership = MembershipFactory(start=GO_LIVE)
    data = {"end": "2025-03-31", "end_reason": EndReason.RESIGNED}

    saved = officer_client.post(admin_url(membership, "end", membership.pk), data)

    assert saved.status_code == 302
    history = officer_client.get(admin_url(membership, "history"))
    assert history.status_code == 200
    newest, *_, oldest = history.context["audit_entries"]
    assert (newest.action, newest.user) == ("Changed", "officer")
    assert {(c.label, c.before, c.after) for c in newest.changes} == {
        ("End", "—", "31 March 2025"),
        ("End reason", "—", "Resigned"),
    }
    assert (oldest.action, oldest.user) == ("Created", None)
    content = history.content.decode()
    assert "officer" in content and "31 March 2025" in content and "End reason" in content


def test_body_history_shows_member_organisations_added_in_the_admin(officer_client, officer):
    officer.first_name, officer.last_name = "Ada", "Officer"
    officer.save()
    body = BodyFactory(name="Somerset Provider Collaborative", kind="provider_collaborative")
    trust = OrganisationFactory(name="Somerset NHS Foundation Trust", ods_code="RH5")
    page = officer_client.get(admin_url(body, "change"))
    data = form_data(page)
    # A member from a date (issue 11): the inline's row carries the link's dates.
    add_inline_rows(
        data,
        inline_prefix(page, BodyMemberLink),
        {"organisation": str(trust.pk), "start": "2023-04-01"},
    )

    assert officer_client.post(admin_url(body, "change"), data).status_code == 302
    (link,) = BodyMemberLink.objects.filter(body=body)
    assert (link.organisation, link.start, link.end) == (trust, datetime.date(2023, 4, 1), None)

    newest = officer_client.get(admin_url(body, "history")).context["audit_entries"][0]
    assert newest.action == "Link added"
    assert newest.user == "Ada Officer (officer)"
    assert [(c.label, c.after) for c in newest.changes] == [
        ("Member organisations", "Somerset NHS Foundation Trust (RH5)")
    ]


# -- R22 refusals are form errors ---------------------------------------------------------


def test_overlapping_holder_added_in_the_admin_gets_the_r22_message(officer_client):
    holder = MembershipFactory(start=GO_LIVE)
    newcomer = PersonFactory()

    response = officer_client.post(
        admin_url(Membership, "add"),
        {
            "seat": holder.seat_id,
            "person": newcomer.pk,
            "start": "2023-01-01",
            "status": "substantive",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert ONE_HOLDER_PER_SEAT in response.content.decode()
    assert ONE_HOLDER_PER_SEAT in response.context["adminform"].form.non_field_errors()
    assert Membership.objects.count() == 1


def test_person_cannot_take_a_second_seat_on_the_same_board_r22(officer_client):
    holder = MembershipFactory(start=GO_LIVE)
    other_seat = SeatFactory(committee=holder.seat.committee, role=Role.MEMBER)

    response = officer_client.post(
        admin_url(Membership, "add"),
        {
            "seat": other_seat.pk,
            "person": holder.person_id,
            "start": "2023-01-01",
            "status": "substantive",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert ONE_SEAT_PER_COMMITTEE in response.content.decode()
    assert Membership.objects.count() == 1


def test_membership_ending_before_it_starts_gets_the_r23_message_on_its_end_date(
    officer_client,
):
    seat = SeatFactory()

    response = officer_client.post(
        admin_url(Membership, "add"),
        {
            "seat": seat.pk,
            "person": PersonFactory().pk,
            "start": "2023-07-01",
            "end": "2023-06-30",
            "end_reason": EndReason.RESIGNED,
            "status": "substantive",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == [END_AFTER_START]
    assert not Membership.objects.exists()


def test_term_ending_before_it_starts_on_the_seat_page_gets_the_r23_message(officer_client):
    holder = MembershipFactory(start=GO_LIVE)
    page = officer_client.get(admin_url(holder.seat, "change"))
    prefix = inline_prefix(page, Membership)
    data = form_data(page) | {f"{prefix}-0-end": "2022-06-30", f"{prefix}-0-end_reason": "resigned"}

    response = officer_client.post(admin_url(holder.seat, "change"), data)

    assert response.status_code == 200
    assert END_AFTER_START in response.content.decode()
    holder.refresh_from_db()
    assert holder.end is None


def test_overlapping_holder_added_on_the_seat_page_gets_the_r22_message(officer_client):
    holder = MembershipFactory(start=GO_LIVE)
    page = officer_client.get(admin_url(holder.seat, "change"))
    prefix = inline_prefix(page, Membership)
    data = add_inline_rows(
        form_data(page), prefix, {"person": PersonFactory().pk, "start": "2023-01-01"}
    )

    response = officer_client.post(admin_url(holder.seat, "change"), data)

    assert response.status_code == 200
    assert ONE_HOLDER_PER_SEAT in response.content.decode()
    assert row_errors(response, Membership) == [ONE_HOLDER_PER_SEAT]
    assert Membership.objects.count() == 1


def test_two_overlapping_new_holders_in_one_save_get_the_r22_message(officer_client):
    seat = SeatFactory()
    page = officer_client.get(admin_url(seat, "change"))
    data = add_inline_rows(
        form_data(page),
        inline_prefix(page, Membership),
        {"person": PersonFactory().pk, "start": "2022-07-01", "status": "substantive"},
        {"person": PersonFactory().pk, "start": "2023-07-01", "status": "substantive"},
    )

    response = officer_client.post(admin_url(seat, "change"), data)

    assert response.status_code == 200
    assert ONE_HOLDER_PER_SEAT in response.content.decode()
    assert row_errors(response, Membership) == [ONE_HOLDER_PER_SEAT, ONE_HOLDER_PER_SEAT]
    assert not Membership.objects.exists()


def test_officer_ends_a_term_and_appoints_the_successor_in_one_save(officer_client):
    holder = MembershipFactory(start=GO_LIVE)
    successor = PersonFactory()
    page = officer_client.get(admin_url(holder.seat, "change"))
    prefix = inline_prefix(page, Membership)
    data = form_data(page) | {f"{prefix}-0-end": "2025-06-30", f"{prefix}-0-end_reason": "resigned"}
    add_inline_rows(data, prefix, {"person": successor.pk, "start": "2025-07-01"})

    response = officer_client.post(admin_url(holder.seat, "change"), data)

    assert response.status_code == 302
    terms = list(holder.seat.memberships.order_by("start").values_list("person", "start", "end"))
    assert terms == [
        (holder.person_id, GO_LIVE, datetime.date(2025, 6, 30)),
        (successor.pk, datetime.date(2025, 7, 1), None),
    ]


def test_second_chair_seat_added_on_the_committee_page_gets_the_constraint_message(
    officer_client,
):
    chair = SeatFactory(role=Role.CHAIR, is_chair=True)
    page = officer_client.get(admin_url(chair.committee, "change"))
    data = add_inline_rows(
        form_data(page),
        inline_prefix(page, Seat),
        {"role": Role.CHAIR, "is_chair": "on", "voting": "on", "participation": "participant"},
    )

    response = officer_client.post(admin_url(chair.committee, "change"), data)

    assert response.status_code == 200
    assert row_errors(response, Seat) == [ONE_CHAIR]
    assert chair.committee.seats.count() == 1


def test_two_chair_seats_added_together_get_the_database_message_not_a_server_error(
    officer_client,
):
    committee = CommitteeFactory()
    chair_row = {
        "role": Role.CHAIR,
        "is_chair": "on",
        "voting": "on",
        "participation": "participant",
    }
    page = officer_client.get(admin_url(committee, "change"))
    data = add_inline_rows(form_data(page), inline_prefix(page, Seat), chair_row, chair_row)

    response = officer_client.post(admin_url(committee, "change"), data)

    assert response.status_code == 200
    assert ONE_CHAIR in response.context["adminform"].form.non_field_errors()
    assert not committee.seats.exists()
    # What the officer typed is still on the page to correct.
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == 2
