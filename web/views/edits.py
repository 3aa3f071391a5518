"""The officers' edit pages for seats and memberships (issue 10; journeys 3 and 4).

- ``/seats/<id>/appoint/``: appoint a person (found by name, or added) to a seat.
- ``/memberships/<id>/end/``: end a membership (last day and reason).
- ``/seats/<id>/edit/``, ``/committees/<id>/seats/add/``: a seat's details.
- ``/seats/<id>/abolish/``: abolish a seat (ends its holder's membership).
- ``/people/search/?q=``: the people matching a name (htmx live search on the appoint page).

Officers only, in the systems they administer (``web.access``, the API's rule); signed
out, the pages send to sign in. Each POST is one service call inside a transaction that
first checks the page was not stale; a refusal is shown beside the field it concerns and
writes nothing; a success goes back to the committee's page with a message.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from committees.models import Committee, Seat
from committees.services import seat_create, seat_update
from core.admin import add_service_errors
from core.dates import en_gb
from core.services import audit_context
from memberships.models import Membership
from memberships.selectors import held_on, people_matching, seat_timeline
from memberships.services import membership_end, membership_start, person_create, seat_abolish
from web.access import access_for, officer_only
from web.edit_forms import (
    FIELD_OF_CONSTRAINT,
    NEW_PERSON,
    AppointForm,
    MembershipEndForm,
    SeatAbolishForm,
    SeatEditForm,
    SeatForm,
)
from web.links import committee_url

SEARCH_LIMIT = 20


def saved(form, service, **arguments):
    """Refuse a stale page, else call ``service``: its result, or None when it refused
    (the refusal is then on ``form``). The whole write happens or nothing does."""
    try:
        with transaction.atomic():
            form.check_version()
            return service(**arguments)
    except ValidationError as exc:
        add_service_errors(form, exc, FIELD_OF_CONSTRAINT)
        return None


def stale_message(form) -> str:
    """The explanation when ``form`` was refused because its page was stale, else ""."""
    if not form.is_bound:
        return ""
    errors = form.non_field_errors().as_data()
    return next((" ".join(e.messages) for e in errors if e.code == "stale"), "")


def kept(form) -> dict:
    """What the officer typed, to start the refreshed form from (not its stale version)."""
    return {k: v for k, v in form.cleaned_data.items() if k != "version" and v is not None}


def render_form(request, template: str, context: dict, form, stale: str = "") -> object:
    """The page with its form; 400 when the form has errors, 409 when the page was stale."""
    status = 409 if stale else 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "stale": stale}, status=status)


# -- Appoint ------------------------------------------------------------------------------


def _seat(pk: int) -> Seat:
    return get_object_or_404(
        Seat.objects.select_related("committee__body", "committee__ics", "ics"), pk=pk
    )


def _people(query: str, chosen=None) -> list:
    people = people_matching(query=query, as_of=timezone.localdate(), limit=SEARCH_LIMIT)
    if chosen is not None and chosen != NEW_PERSON and chosen not in people:
        chosen.current_memberships = []
        people.insert(0, chosen)
    return people


def _appoint(*, seat: Seat, data: dict, by) -> Membership:
    """Add the person when new, and appoint them: both or neither."""
    with transaction.atomic(), audit_context(by):
        person = data["person"]
        if person == NEW_PERSON:
            person = person_create(
                given_name=data["given_name"],
                family_name=data["family_name"],
                work_email=data["work_email"],
                by=by,
            )
        return membership_start(
            seat=seat,
            person=person,
            start=data["start"],
            status=data["status"],
            on_behalf_of=data.get("on_behalf_of"),
            by=by,
        )


@require_http_methods(["GET", "POST"])
def seat_appoint(request, pk):
    seat = _seat(pk)
    if refused := officer_only(request, [seat.ics_id], "memberships.add_membership"):
        return refused
    nominating = seat.nominating_organisations.order_by("name")
    query = request.GET.get("q", "").strip()
    form = AppointForm(request.POST or None, seat=seat, nominating=nominating)
    if form.is_bound and form.is_valid():
        membership = saved(form, _appoint, seat=seat, data=form.cleaned_data, by=request.user)
        if membership:
            messages.success(
                request,
                f"{membership.person_name} is appointed to {seat.label} from "
                f"{en_gb(membership.start)}.",
            )
            return redirect(committee_url(seat.committee))
    chosen = form.cleaned_data.get("person") if form.is_bound else None
    if stale := stale_message(form):
        form = AppointForm(initial=kept(form), seat=seat, nominating=nominating)
    context = {
        "seat": seat,
        "form": form,
        "query": query,
        "people": _people(query, chosen),
        "chosen": chosen,
        "new_person": NEW_PERSON,
        "timeline": seat_timeline(seat=seat),
        "committee_url": committee_url(seat.committee),
    }
    return render_form(request, "web/edits/appoint.html", context, form, stale)


@require_GET
def people_search(request):
    """The people whose name matches ``?q=``, as the appoint page's list of choices."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access_for(request).is_officer:
        raise PermissionDenied("Only governance officers may search people.")
    query = request.GET.get("q", "").strip()
    context = {"people": _people(query), "query": query, "new_person": NEW_PERSON}
    return render(request, "web/edits/appoint.html#people", context)


# -- End a membership ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def membership_end_page(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("seat__committee__body", "person", "on_behalf_of"),
        pk=pk,
    )
    if refused := officer_only(request, [membership.ics_id], "memberships.change_membership"):
        return refused
    form = MembershipEndForm(request.POST or None, versioned=membership)
    if form.is_bound and form.is_valid():
        ended = saved(
            form,
            membership_end,
            membership=membership,
            end=form.cleaned_data["end"],
            reason=form.cleaned_data["end_reason"],
            by=request.user,
        )
        if ended:
            messages.success(
                request,
                f"{membership.person_name}'s membership ends on {en_gb(membership.end)}: "
                f"{membership.seat.label} is vacant from the next day.",
            )
            return redirect(committee_url(membership.seat.committee))
    if stale := stale_message(form):
        membership.refresh_from_db()
        form = MembershipEndForm(initial=kept(form), versioned=membership)
    context = {
        "membership": membership,
        "seat": membership.seat,
        "form": form,
        "held_today": Membership.objects.filter(held_on(timezone.localdate()), pk=pk).exists(),
        "committee_url": committee_url(membership.seat.committee),
    }
    return render_form(request, "web/edits/membership_end.html", context, form, stale)


# -- Change, add and abolish a seat -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def seat_edit(request, pk):
    seat = _seat(pk)
    if refused := officer_only(request, [seat.ics_id], "committees.change_seat"):
        return refused
    form = SeatEditForm(request.POST or None, instance=seat, ics_id=seat.ics_id)
    if (
        form.is_bound
        and form.is_valid()
        and saved(form, seat_update, seat=seat, by=request.user, **form.changes())
    ):
        messages.success(request, f"The seat {seat.label} is changed.")
        return redirect(committee_url(seat.committee))
    if stale := stale_message(form):
        # The seat as it is now, with the explanation: the officer makes their change again.
        seat = _seat(pk)
        form = SeatEditForm(instance=seat, ics_id=seat.ics_id)
    context = {
        "seat": seat,
        "committee": seat.committee,
        "form": form,
        "committee_url": committee_url(seat.committee),
    }
    return render_form(request, "web/edits/seat_form.html", context, form, stale)


@require_http_methods(["GET", "POST"])
def seat_add(request, pk):
    committee = get_object_or_404(Committee.objects.select_related("body", "ics"), pk=pk)
    if refused := officer_only(request, [committee.ics_id], "committees.add_seat"):
        return refused
    form = SeatForm(request.POST or None, ics_id=committee.ics_id)
    if form.is_bound and form.is_valid():
        try:
            seat = seat_create(committee=committee, by=request.user, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc, FIELD_OF_CONSTRAINT)
        else:
            messages.success(request, f"The seat {seat.label} is added to {committee.name}.")
            return redirect(committee_url(committee))
    context = {
        "committee": committee,
        "form": form,
        "committee_url": committee_url(committee),
    }
    return render_form(request, "web/edits/seat_form.html", context, form)


@require_http_methods(["GET", "POST"])
def seat_abolish_page(request, pk):
    seat = _seat(pk)
    if refused := officer_only(request, [seat.ics_id], "committees.change_seat"):
        return refused
    form = SeatAbolishForm(request.POST or None, versioned=seat)
    if (
        form.is_bound
        and form.is_valid()
        and saved(form, seat_abolish, seat=seat, on=form.cleaned_data["on"], by=request.user)
    ):
        messages.success(
            request, f"The seat {seat.label} is abolished from {en_gb(seat.abolished)}."
        )
        return redirect(committee_url(seat.committee))
    if stale := stale_message(form):
        seat = _seat(pk)
        form = SeatAbolishForm(initial=kept(form), versioned=seat)
    holder = seat.memberships.filter(held_on(timezone.localdate())).first()
    context = {
        "seat": seat,
        "form": form,
        "holder": holder,
        "committee_url": committee_url(seat.committee),
    }
    return render_form(request, "web/edits/seat_abolish.html", context, form, stale)


urlpatterns = [
    path("seats/<int:pk>/appoint/", seat_appoint, name="seat_appoint"),
    path("seats/<int:pk>/edit/", seat_edit, name="seat_edit"),
    path("seats/<int:pk>/abolish/", seat_abolish_page, name="seat_abolish"),
    path("committees/<int:pk>/seats/add/", seat_add, name="seat_add"),
    path("memberships/<int:pk>/end/", membership_end_page, name="membership_end"),
    path("people/search/", people_search, name="people_search"),
]
