"""Services are the only writers: every admin page and every writable API endpoint writes
through the services its model declares (``core.writes``), so a rule only a service
enforces holds whichever way an officer comes in.

The rule used to show it: abolishing a seat ends its holder's membership, with the reason
"seat abolished" (``memberships.services.seat_abolish``). Setting the field alone would
leave the holder in a seat that no longer exists.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from rest_framework.test import APIClient

from core.admin import ServiceWritesMixin
from core.api.serializers import RegistrySerializer
from core.api.viewsets import RegistryViewSetMixin
from core.writes import writes_for
from decisions.models import Attendance, Vote
from ics_registry.api_urls import ROUTES
from memberships.models import EndReason, Membership
from tests.api_support import api_rates, make_officer  # noqa: F401
from tests.decisions_factories import decide, quorate_meeting
from tests.factories import CommitteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ABOLISHED_ON = datetime.date(2025, 3, 31)
# Admin classes that save through a service of their own, and which one.
OWN_SAVE = {"ApiTokenAdmin": "core.services.api_token_create (the key is shown once)"}


def writable_routes():
    for prefix, viewset, _ in ROUTES:
        methods = {"post", "put", "patch", "delete"} & set(viewset.http_method_names)
        if methods and hasattr(viewset, "create"):
            yield prefix, viewset


# -- every way in is declared ---------------------------------------------------------------


# Django's and the libraries' own admin pages (users, sign-in attempts, authenticator apps,
# periodic tasks, audit events) are not governance data.
LIBRARIES = ("auth", "axes", "otp_totp", "django_celery_beat", "pghistory")
OURS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label not in LIBRARIES
]


@pytest.mark.parametrize("model_admin", OURS, ids=lambda ma: type(ma).__name__)
def test_every_admin_page_saves_and_deletes_through_its_models_services(model_admin):
    writes_for(model_admin.model)  # raises when no service is declared
    assert isinstance(model_admin, ServiceWritesMixin)
    if type(model_admin).__name__ not in OWN_SAVE:
        for method in ("save_model", "delete_model", "delete_queryset", "save_formset"):
            assert getattr(type(model_admin), method) is getattr(ServiceWritesMixin, method)
    for inline in model_admin.inlines:
        writes_for(inline.model)


@pytest.mark.parametrize("prefix,viewset", list(writable_routes()), ids=lambda v: str(v))
def test_every_writable_endpoint_updates_and_deletes_through_its_models_services(prefix, viewset):
    model = viewset.queryset.model
    entry = writes_for(model)
    serializer = viewset.serializer_class
    assert issubclass(serializer, RegistrySerializer)
    assert serializer.update is RegistrySerializer.update
    assert viewset.perform_destroy is RegistryViewSetMixin.perform_destroy
    if "delete" in viewset.http_method_names:
        assert entry.delete is not None, f"DELETE /{prefix}/ has no delete service"


@pytest.mark.parametrize("model_admin", OURS, ids=lambda ma: type(ma).__name__)
def test_every_lifecycle_field_has_its_action_in_the_admin_and_the_api(model_admin):
    """A field read-only in generic edits must be changeable somewhere: the action its
    message names exists as an admin page (or a change-list action) and, where the model
    has an endpoint, as POST .../<action>/."""
    actions = set(writes_for(model_admin.model).lifecycle.values())
    pages = {a.name for a in model_admin.lifecycle_actions}
    changelist = {a for a in model_admin.actions or () if isinstance(a, str)}
    assert actions <= pages | changelist
    for _, viewset, _ in ROUTES:
        if viewset.queryset.model is model_admin.model and "post" in viewset.http_method_names:
            assert actions <= {a.url_path for a in viewset.get_extra_actions()}


def test_lifecycle_fields_are_read_only_in_the_schema_of_a_change():
    from memberships.api.serializers import MembershipSerializer

    fields = MembershipSerializer(partial=True).fields
    assert fields["end"].read_only and fields["end_reason"].read_only
    assert not MembershipSerializer().fields["end"].read_only  # a past term comes whole


# -- the rule holds through the admin ------------------------------------------------------


@pytest.fixture
def held_seat():
    return MembershipFactory(start=datetime.date(2022, 7, 1)).seat


def assert_holder_left_with_seat(seat):
    seat.refresh_from_db()
    membership = Membership.objects.get(seat=seat)
    assert seat.abolished == ABOLISHED_ON
    assert (membership.end, membership.end_reason) == (ABOLISHED_ON, EndReason.SEAT_ABOLISHED)


def test_abolishing_a_seat_in_the_admin_ends_its_holders_membership(client, officer, held_seat):
    client.force_login(officer)

    page = client.post(
        reverse("admin:committees_seat_abolish", args=[held_seat.pk]), {"on": "2025-03-31"}
    )

    assert page.status_code == 302
    assert_holder_left_with_seat(held_seat)


def test_the_seat_form_cannot_set_abolished_around_the_service(client, officer, held_seat):
    client.force_login(officer)
    url = reverse("admin:committees_seat_change", args=[held_seat.pk])

    page = client.get(url)

    assert "abolished" not in page.context["adminform"].form.fields
    assert reverse("admin:committees_seat_abolish", args=[held_seat.pk]) in page.content.decode()


def test_a_refused_abolition_in_the_admin_says_why_and_changes_nothing(client, officer):
    later = MembershipFactory(start=datetime.date(2025, 6, 1))
    client.force_login(officer)

    page = client.post(
        reverse("admin:committees_seat_abolish", args=[later.seat.pk]), {"on": "2025-03-31"}
    )

    assert page.status_code == 200
    assert "after it is abolished on 31 March 2025" in page.content.decode()
    later.seat.refresh_from_db()
    assert later.seat.abolished is None


# -- and through the API -------------------------------------------------------------------


def officer_api(seat) -> APIClient:
    client = APIClient()
    client.force_login(make_officer(seat.ics, username="api-officer"))
    return client


@pytest.mark.parametrize("resource", ["seats", "committees", "bodies"])
def test_abolishing_through_the_api_ends_the_holders_membership(held_seat, resource):
    record = {"seats": held_seat, "committees": held_seat.committee, "bodies": held_seat.body}
    client = officer_api(held_seat)
    url = f"/api/v1/{resource}/{record[resource].pk}/"
    etag = client.get(url)["ETag"]

    answer = client.post(f"{url}abolish/", {"on": "2025-03-31"}, format="json", HTTP_IF_MATCH=etag)

    assert answer.status_code == 200, answer.json()
    assert_holder_left_with_seat(held_seat)


@pytest.mark.parametrize(
    "resource,field,value,action",
    [
        ("seats", "abolished", "2025-03-31", "abolish"),
        ("memberships", "end", "2025-03-31", "end"),
        ("memberships", "end_reason", "resigned", "end"),
        ("memberships", "status", "interim", "replace"),
    ],
)
def test_a_generic_patch_of_a_lifecycle_field_is_refused_naming_the_action(
    held_seat, resource, field, value, action
):
    record = held_seat if resource == "seats" else Membership.objects.get(seat=held_seat)
    client = officer_api(held_seat)
    url = f"/api/v1/{resource}/{record.pk}/"
    etag = client.get(url)["ETag"]

    answer = client.patch(url, {field: value}, format="json", HTTP_IF_MATCH=etag)

    assert answer.status_code == 400
    message = answer.json()["errors"][field][0]
    assert f"'{action}' action" in message and f".../{action}/" in message
    held_seat.refresh_from_db()
    assert held_seat.abolished is None
    assert Membership.objects.get(seat=held_seat).end is None


def test_a_patch_sending_a_lifecycle_field_unchanged_is_accepted(held_seat):
    client = officer_api(held_seat)
    url = f"/api/v1/seats/{held_seat.pk}/"
    etag = client.get(url)["ETag"]

    answer = client.patch(
        url, {"abolished": None, "title": "Partner member"}, format="json", HTTP_IF_MATCH=etag
    )

    assert answer.status_code == 200, answer.json()
    assert answer.json()["title"] == "Partner member"


# -- corrections: officers delete a mistaken vote or attendance, audited -------------------


def test_an_officer_deletes_a_mistaken_vote_and_attendance_through_the_api():
    meeting = quorate_meeting(CommitteeFactory())
    decision = decide(meeting)
    vote = Vote.objects.filter(decision=decision).first()
    attendance = vote.attendance
    officer = make_officer(meeting.committee.ics, username="api-officer")
    client = APIClient()
    client.force_login(officer)

    for resource, record in (("votes", vote), ("attendances", attendance)):
        url = f"/api/v1/{resource}/{record.pk}/"
        etag = client.get(url)["ETag"]
        assert client.delete(url, HTTP_IF_MATCH=etag).status_code == 204

    assert not Vote.objects.filter(pk=vote.pk).exists()
    assert not Attendance.objects.filter(pk=attendance.pk).exists()
    for model, pk in ((Vote, vote.pk), (Attendance, attendance.pk)):
        events = model.events.rel.related_model.objects.filter(pgh_obj_id=pk)
        deleted = events.select_related("pgh_context").get(pgh_label="delete")
        assert deleted.pgh_context.metadata["user"] == officer.pk


def test_a_milestone_is_marked_done_and_reopened_on_its_admin_pages_only(client, officer):
    from reminders.models import Status
    from tests.reminders_factories import MilestoneFactory

    milestone = MilestoneFactory(status=Status.IN_PROGRESS)
    client.force_login(officer)
    change = client.get(reverse("admin:reminders_milestone_change", args=[milestone.pk]))
    assert "completed_on" not in change.context["adminform"].form.fields

    refused = client.post(
        reverse("admin:reminders_milestone_complete", args=[milestone.pk]),
        {"completed_on": "2026-01-05"},
    )
    assert refused.status_code == 200
    assert "evidence" in refused.content.decode()
    done = client.post(
        reverse("admin:reminders_milestone_complete", args=[milestone.pk]),
        {"completed_on": "2026-01-05", "evidence_note": "Minutes of 5 January 2026"},
    )
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (Status.DONE, datetime.date(2026, 1, 5))

    client.post(
        reverse("admin:reminders_milestone_reopen", args=[milestone.pk]), {"status": "at_risk"}
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (Status.AT_RISK, None)
    assert milestone.evidence_note == "Minutes of 5 January 2026"


def test_an_interim_holder_made_substantive_is_a_new_appointment_through_the_api(held_seat):
    interim = Membership.objects.get(seat=held_seat)
    client = officer_api(held_seat)
    url = f"/api/v1/memberships/{interim.pk}/replace/"

    answer = client.post(url, {"start": "2025-04-01", "status": "substantive"}, HTTP_IF_MATCH="*")

    assert answer.status_code == 201, answer.json()
    successor = Membership.objects.get(pk=answer.json()["id"])
    assert (successor.person, successor.start, successor.status) == (
        interim.person,
        datetime.date(2025, 4, 1),
        "substantive",
    )
    interim.refresh_from_db()
    assert (interim.end, interim.end_reason) == (ABOLISHED_ON, EndReason.REPLACED)


def test_a_refused_replacement_through_the_api_changes_nothing(held_seat):
    current = Membership.objects.get(seat=held_seat)
    client = officer_api(held_seat)

    answer = client.post(
        f"/api/v1/memberships/{current.pk}/replace/",
        {"start": "2022-01-01", "status": "substantive"},
        HTTP_IF_MATCH="*",
    )

    assert answer.status_code == 400
    current.refresh_from_db()
    assert current.end is None
    assert Membership.objects.filter(seat=held_seat).count() == 1


def test_a_holders_status_changes_from_a_date_on_its_admin_page(client, officer, held_seat):
    interim = Membership.objects.get(seat=held_seat)
    client.force_login(officer)
    change = client.get(reverse("admin:memberships_membership_change", args=[interim.pk]))
    assert "status" not in change.context["adminform"].form.fields

    page = client.post(
        reverse("admin:memberships_membership_replace", args=[interim.pk]),
        {"start": "2025-04-01", "status": "substantive"},
    )

    assert page.status_code == 302
    assert list(Membership.objects.filter(seat=held_seat).values_list("status", "end")) == [
        ("substantive", None),
        (interim.status, ABOLISHED_ON),
    ]


def test_a_refused_status_change_in_the_admin_says_why_and_changes_nothing(
    client, officer, held_seat
):
    current = Membership.objects.get(seat=held_seat)
    client.force_login(officer)

    page = client.post(
        reverse("admin:memberships_membership_replace", args=[current.pk]),
        {"start": "2022-01-01", "status": "substantive"},
    )

    assert page.status_code == 200
    assert "cannot end before it starts" in page.content.decode()
    assert list(Membership.objects.filter(seat=held_seat)) == [current]
    assert Membership.objects.get(pk=current.pk).end is None


def test_the_lifecycle_page_date_field_has_the_admins_calendar(client, officer, held_seat):
    client.force_login(officer)
    page = client.get(reverse("admin:committees_seat_abolish", args=[held_seat.pk]))
    html = page.content.decode()
    for script in (
        "admin/js/core.js",
        "admin/js/calendar.js",
        "admin/js/admin/DateTimeShortcuts.js",
    ):
        assert script in html
    assert 'class="vDateField"' in html
