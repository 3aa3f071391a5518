"""Appointment rounds (issue 12): how a system's seats are being filled.

- ``/systems/<code>/appointments/``: the rounds under way (seat, committee, stage, next
  deadline, lead), the terms ending within 180 days with no round started, and how long
  each seat stood vacant over the last year.
- ``/appointments/<id>/``: one round, every step dated with who did it, and the officers'
  forms for the next steps.
- ``/seats/<id>/appointments/new/``: open a round for a seat.

Reading is public, but the candidates (who applied and how they fared) and the staff
accounts that entered each step are shown to the system's officers only. Every write is
one call of ``appointments.services`` with the officer as ``by``, inside a transaction
that first checks the page was not stale; a refusal is shown beside the field it
concerns and writes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.models import OPEN_STAGES, AppointmentRound, Outcome, Party, Stage
from appointments.rules import approvals_missing, approvals_required
from appointments.selectors import (
    days_vacant,
    deadlines_ahead,
    open_rounds,
    terms_ending_without_round,
)
from appointments.services import (
    approval_record,
    candidate_add,
    candidate_select,
    candidate_withdraw,
    nomination_record,
    round_appoint,
    round_cancel,
    round_close,
    round_open,
    seat_facts,
)
from bodies.models import IntegratedCareSystem
from committees.models import Seat
from core.admin import add_service_errors
from core.dates import en_gb
from core.services import audit_context
from memberships.models import Membership
from memberships.selectors import held_on
from memberships.services import person_create
from web.access import access_for, officer_only
from web.appointment_forms import (
    FIELD_OF_CONSTRAINT,
    AppointForm,
    ApprovalForm,
    CandidateChoiceForm,
    CandidateForm,
    FinishForm,
    NominationForm,
    OpenRoundForm,
)
from web.links import committee_url
from web.views.edits import kept, render_form, stale_message

WITHIN_DAYS = 180
VACANCY_PERIOD_DAYS = 365
CHANGE = "appointments.change_appointmentround"
ADD = "appointments.add_appointmentround"
STAGE_COLOURS = {
    Stage.NOMINATING: "blue",
    Stage.SELECTING: "purple",
    Stage.AWAITING_APPROVAL: "orange",
    Stage.AGREED: "aqua-green",
    Stage.APPOINTED: "green",
    Stage.CLOSED: "grey",
    Stage.CANCELLED: "grey",
}


def stage_colour(round: AppointmentRound) -> str:
    return STAGE_COLOURS[round.stage]


def round_url(round: AppointmentRound) -> str:
    return reverse("web:appointment", args=[round.pk])


# -- A system's appointments --------------------------------------------------------------


@require_GET
def system_appointments(request, code):
    ics = get_object_or_404(IntegratedCareSystem, code=code.upper())
    today = timezone.localdate()
    officer = access_for(request).administers(ics.pk)
    rounds = []
    for round in open_rounds(ics=ics):
        ahead = deadlines_ahead(round, today=today)
        rounds.append((round, ahead[0] if ahead else None))
    ending = list(terms_ending_without_round(as_of=today, within_days=WITHIN_DAYS, ics=ics))
    for membership in ending:
        membership.committee_url = committee_url(membership.seat.committee)
    since = today - datetime.timedelta(days=VACANCY_PERIOD_DAYS - 1)
    vacancies = [v for v in days_vacant(start=since, end=today, ics=ics) if v.days_vacant]
    under_way = {round.seat_id for round, _ in rounds}
    held_today = set(
        Membership.objects.filter(held_on(today), seat__in=[v.seat for v in vacancies]).values_list(
            "seat_id", flat=True
        )
    )
    rows = []
    for vacancy in vacancies:
        # Only a seat vacant today, with no round under way, is offered a new round.
        seat = vacancy.seat
        state = "round" if seat.pk in under_way else "held" if seat.pk in held_today else "vacant"
        rows.append((vacancy, committee_url(seat.committee), state))
    context = {
        "ics": ics,
        "today": today,
        "officer": officer and access_for(request).may(ADD),
        "rounds": [(r, d, stage_colour(r)) for r, d in rounds],
        "ending": ending,
        "within": WITHIN_DAYS,
        "vacancies": rows,
        "since": since,
    }
    return render(request, "web/appointments/system.html", context)


# -- One round ----------------------------------------------------------------------------


def _round(pk) -> AppointmentRound:
    return get_object_or_404(
        AppointmentRound.objects.select_related(
            "ics",
            "seat__committee__body",
            "lead",
            "replaces",
            "membership",
            "designate_membership",
            "opened_by",
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Action:
    """A form on a round's page: its name (the URL's last part and the form's prefix),
    heading, button, the stages it belongs to, and how it calls the service."""

    name: str
    heading: str
    button: str
    stages: tuple
    warning: bool = False


ACTIONS = {
    a.name: a
    for a in (
        Action("nominate", "Record a nomination", "Record nomination", (Stage.NOMINATING,)),
        Action(
            "candidate",
            "Add a candidate",
            "Add candidate",
            (Stage.NOMINATING, Stage.SELECTING),
        ),
        Action(
            "select", "Select a candidate", "Select candidate", (Stage.NOMINATING, Stage.SELECTING)
        ),
        Action(
            "withdraw",
            "Record a withdrawal",
            "Record withdrawal",
            (Stage.NOMINATING, Stage.SELECTING),
        ),
        Action("approve", "Record an approval", "Record approval", (Stage.AWAITING_APPROVAL,)),
        Action("appoint", "Make the appointment", "Appoint", (Stage.AGREED,)),
        Action(
            "close",
            "Close without an appointment",
            "Close round",
            OPEN_STAGES,
            warning=True,
        ),
        Action("cancel", "Cancel the round", "Cancel round", OPEN_STAGES, warning=True),
    )
}


def _approvals(round: AppointmentRound) -> tuple[tuple, list]:
    required = approvals_required(seat_facts(round.seat))
    given = [a.party for a in round.approvals.all()]
    return required, approvals_missing(required, given)


def _form(name: str, round: AppointmentRound, today, data=None):
    """The form of action ``name`` for ``round``, bound to ``data`` when given."""
    common = {"round": round, "prefix": name}
    if name == "nominate":
        return NominationForm(data, on=today, initial={"nominated_on": today}, **common)
    if name == "candidate":
        return CandidateForm(data, initial={"added_on": today}, **common)
    if name == "select":
        return CandidateChoiceForm(
            data,
            label="Who is selected?",
            date_label="Date of the selection",
            initial={"on": today},
            **common,
        )
    if name == "withdraw":
        return CandidateChoiceForm(
            data,
            label="Who withdrew?",
            date_label="Date of the withdrawal",
            initial={"on": today},
            **common,
        )
    if name == "approve":
        return ApprovalForm(
            data, parties=_approvals(round)[1], initial={"given_on": today}, **common
        )
    if name == "appoint":
        return AppointForm(data, versioned=round, initial={"on": today}, prefix=name)
    return FinishForm(data, versioned=round, initial={"on": today}, prefix=name)


def _person(data: dict, by):
    """The person chosen, or the new person added (inside the step's transaction)."""
    if data.get("person"):
        return data["person"]
    return person_create(given_name=data["given_name"], family_name=data["family_name"], by=by)


def _apply(name: str, round: AppointmentRound, data: dict, by) -> str:
    """Call the action's service; the message to show when it is done."""
    with audit_context(by):
        if name == "nominate":
            person = _person(data, by)
            nomination_record(
                round=round,
                organisation=data["organisation"],
                person=person,
                nominated_on=data["nominated_on"],
                by=by,
            )
            return f"{data['organisation'].name}'s nomination of {person.name} is recorded."
        if name == "candidate":
            person = _person(data, by)
            candidate_add(
                round=round,
                person=person,
                added_on=data["added_on"],
                nominated_by=data.get("nominated_by"),
                by=by,
            )
            return f"{person.name} is a candidate."
        if name == "select":
            candidate = candidate_select(candidate=data["candidate"], on=data["on"], by=by)
            return f"{candidate.person.name} is selected on {en_gb(data['on'])}."
        if name == "withdraw":
            candidate = candidate_withdraw(candidate=data["candidate"], on=data["on"], by=by)
            return f"{candidate.person.name} withdrew on {en_gb(data['on'])}."
        if name == "approve":
            approval = approval_record(
                round=round,
                party=data["party"],
                organisation=data.get("organisation"),
                agreed_by=data.get("agreed_by"),
                given_on=data["given_on"],
                reference=data.get("reference", ""),
                by=by,
            )
            return f"The approval of {approval.get_party_display()} is recorded."
        if name == "appoint":
            membership = round_appoint(round=round, on=data["on"], start=data["start"], by=by)
            return (
                f"{membership.person_name} is appointed to {round.seat.label} from "
                f"{en_gb(membership.start)}."
            )
        finish = round_close if name == "close" else round_cancel
        finish(round=round, on=data["on"], note=data.get("note", ""), by=by)
        done = "closed without an appointment" if name == "close" else "cancelled"
        return f"The round is {done} on {en_gb(data['on'])}."


def _page(request, round: AppointmentRound, *, bound=None, stale: str = ""):
    """A round's page, with the officer's forms (``bound``: the one just sent)."""
    today = timezone.localdate()
    access = access_for(request)
    officer = access.administers(round.ics_id)
    nominations = list(round.nominations.select_related("organisation", "person", "recorded_by"))
    candidates = list(round.candidates.select_related("person", "nominated_by", "recorded_by"))
    approvals = list(round.approvals.select_related("organisation", "agreed_by", "recorded_by"))
    required, missing = _approvals(round)
    forms = []
    sent = bound.prefix if bound is not None else None
    if officer and access.may(CHANGE):
        shortlisted = any(c.outcome == Outcome.SHORTLISTED for c in candidates)
        for action in ACTIONS.values():
            if action.name == sent:
                # The form just sent is shown with its errors, even if the round has moved on.
                forms.append((action, bound))
            elif round.stage in action.stages and (
                shortlisted or action.name not in {"select", "withdraw"}
            ):
                form = _form(action.name, round, today)
                if action.name == "nominate" and not form.fields["organisation"].queryset:
                    # Nobody may nominate for this seat: its candidates are added directly.
                    continue
                forms.append((action, form))
    context = {
        "round": round,
        "ics": round.ics,
        "seat": round.seat,
        "committee_url": committee_url(round.seat.committee),
        "stage_colour": stage_colour(round),
        "officer": officer,
        "nominations": nominations,
        "candidates": candidates,
        "approvals": approvals,
        "required": [(Party(party).label, party not in missing) for party in required],
        "deadlines": deadlines_ahead(round, today=today) if round.is_open else [],
        "steps": forms,
        "bound": bound,
    }
    status = 409 if stale else 400 if bound is not None and bound.errors else 200
    return render(request, "web/appointments/round.html", context | {"stale": stale}, status=status)


@require_GET
def round_detail(request, pk):
    return _page(request, _round(pk))


@require_POST
def round_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404("No such step.")
    round = _round(pk)
    if refused := officer_only(request, [round.ics_id], CHANGE):
        return refused
    form = _form(action, round, timezone.localdate(), request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                form.check_version()
                done = _apply(action, round, form.cleaned_data, request.user)
        except ValidationError as exc:
            add_service_errors(form, exc, FIELD_OF_CONSTRAINT)
        else:
            messages.success(request, done)
            return redirect(round_url(round))
    if stale := stale_message(form):
        # The round as it is now, with the explanation: the officer makes their change again.
        round = _round(pk)
        # Nothing typed is carried over: the choices offered may have changed (a
        # candidate selected, an approval given).
        form = _form(action, round, timezone.localdate())
    return _page(request, round, bound=form, stale=stale)


# -- Opening a round ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def round_new(request, pk):
    seat = get_object_or_404(
        Seat.objects.select_related("committee__body", "committee__ics", "ics"), pk=pk
    )
    if refused := officer_only(request, [seat.ics_id], ADD):
        return refused
    today = timezone.localdate()
    initial = {"opened_on": today, "reason": request.GET.get("reason") or None}
    if replaces := request.GET.get("replaces"):
        initial["replaces"] = replaces
    form = OpenRoundForm(request.POST or None, seat=seat, initial=initial)
    if form.is_bound and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            with transaction.atomic():
                form.check_version()
                round = round_open(seat=seat, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc, FIELD_OF_CONSTRAINT)
        else:
            messages.success(
                request,
                f"An appointment round for {seat.label} is open from {en_gb(round.opened_on)}.",
            )
            return redirect(round_url(round))
    if stale := stale_message(form):
        seat.refresh_from_db()
        form = OpenRoundForm(initial=kept(form), seat=seat)
    under_way = AppointmentRound.objects.filter(seat=seat, stage__in=OPEN_STAGES).first()
    context = {
        "seat": seat,
        "ics": seat.ics,
        "form": form,
        "under_way": under_way,
        "committee_url": committee_url(seat.committee),
    }
    return render_form(request, "web/appointments/open.html", context, form, stale)


urlpatterns = [
    path("systems/<str:code>/appointments/", system_appointments, name="appointments"),
    path("appointments/<int:pk>/", round_detail, name="appointment"),
    path("appointments/<int:pk>/<str:action>/", round_action, name="appointment_action"),
    path("seats/<int:pk>/appointments/new/", round_new, name="appointment_new"),
]
