"""Meetings and decisions, the register of interests and the functions and decisions map
(journeys 5, 6 and 8).

- ``/systems/<code>/meetings/``: a system's meetings (the API's MeetingFilterSet, CSV).
- ``/meetings/<id>/``: who came, each item with its votes, and the computed quorum, result
  and validity with their reasons (the same outcome as the API's decisions).
- ``/meetings/<id>/attendance/`` and ``/decisions/<id>/votes/``: officers of the system
  record attendance and votes, one service call per row, in one transaction.
- ``/bodies/<id>/register/``: the published register of interests on a date, and
  ``/people/<id>/declarations/add/`` to record a declaration.
- ``/systems/<code>/functions/``: who holds each function by statute and delegation, and
  the decisions taken under each delegation.

Part B (private) items are shown only to officers of the meeting's system, and private
notes on register entries only to officers of a system the person sits in: the API's
rules (``decisions.selectors.visible_decisions``, ``web.access``).
"""

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from bodies.models import Body, IntegratedCareSystem, Organisation
from committees.models import Committee
from core.admin import add_service_errors
from decisions import services
from decisions.filtersets import MeetingFilterSet
from decisions.models import (
    AttendanceStatus,
    Capacity,
    Decision,
    DecisionType,
    InterestType,
    Meeting,
    Vote,
    VoteValue,
)
from decisions.rules import presiding
from decisions.selectors import (
    attendances_of,
    attendee,
    decisions_under_delegations,
    functions_and_decisions_map,
    meeting_members,
    meeting_record,
    private_register_notes,
    published_register,
    visible_decisions,
)
from memberships.models import Membership, Person
from web.access import access_for, officer_only
from web.concurrency import VersionedForm
from web.forms import AsOfForm, Form, UKDateField
from web.links import committee_url
from web.lists import Column, ListPage, csv_response

# -- meetings -----------------------------------------------------------------------------


class SystemMeetingFilterSet(MeetingFilterSet):
    """The API's meeting filters, within one system (its bodies and committees only)."""

    def __init__(self, *args, ics, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["system"]
        body, committee = self.filters["body"], self.filters["committee"]
        # Each choice's label names its system or body (their __str__): joined, not one
        # query per choice.
        body.queryset = Body.objects.filter(ics=ics).select_related("ics").order_by("name")
        committee.queryset = (
            Committee.objects.filter(ics=ics).select_related("body").order_by("body__name", "name")
        )
        body.label, committee.label = "Body", "Board or committee"
        body.extra["empty_label"] = "Any body"
        committee.extra["empty_label"] = "Any board or committee"
        self.filters["status"].extra["empty_label"] = "Any status"

    def get_form_class(self):
        """Dates typed day, month and year, as on the other pages (``?date_from=2023-02-15``
        still works)."""
        dates = {
            "date_from": UKDateField(
                label="On or after", required=False, help_text="For example, 1 4 2022"
            ),
            "date_to": UKDateField(
                label="On or before", required=False, help_text="For example, 31 3 2023"
            ),
        }
        return type("MeetingFiltersForm", (super().get_form_class(),), dates)


class MeetingList(ListPage):
    template_name = "web/decisions/meetings.html"
    csv_filename = "meetings"
    columns = [
        Column("Date", "date"),
        Column("Board or committee", "committee.name"),
        Column("Body", "committee.body.name"),
        Column("Title", "title"),
        Column("Status", "get_status_display"),
        Column("Location", "location"),
        Column("Items", "item_count"),
    ]

    def dispatch(self, request, *args, **kwargs):
        self.ics = get_object_or_404(IntegratedCareSystem, code__iexact=kwargs["code"])
        self.csv_filename = f"meetings-{self.ics.code}"
        return super().dispatch(request, *args, **kwargs)

    def filterset_class(self, data, *, queryset, request):
        return SystemMeetingFilterSet(data, queryset=queryset, request=request, ics=self.ics)

    def base_queryset(self):
        # Items the reader may see: Part B ones only for officers of the system.
        visible = visible_decisions(access_for(self.request), prefix="decisions__")
        return (
            Meeting.objects.filter(committee__ics=self.ics)
            .select_related("committee__body")
            .annotate(item_count=Count("decisions", filter=visible))
            .order_by("-date", "committee__name", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"ics": self.ics}


def _attendance_groups(attendances):
    """Attendance as the minutes list it: members present, apologies, absent, others."""
    groups = {"present": [], "apologies": [], "absent": [], "attendance": [], "observers": []}
    for attendance in attendances:
        if attendance.capacity == Capacity.ATTENDEE:
            groups["attendance"].append(attendance)
        elif attendance.capacity == Capacity.OBSERVER:
            groups["observers"].append(attendance)
        else:
            groups[attendance.status].append(attendance)
    return groups


@require_GET
def meeting(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("committee__body", "committee__ics"), pk=pk
    )
    access = access_for(request)
    record = meeting_record(meeting=meeting, visible=visible_decisions(access))
    items = [
        {
            "decision": decision,
            "outcome": record.outcomes[decision.pk],
            "votes": record.votes[decision.pk],
            "conflicts": record.conflicts[decision.pk],
            "voted": decision.decision_type != DecisionType.NOTE and not decision.by_consensus,
        }
        for decision in record.decisions
    ]
    context = {
        "meeting": meeting,
        "record": record,
        "items": items,
        "groups": _attendance_groups(record.attendances),
        "committee_url": committee_url(meeting.committee),
        "officer": access.administers(meeting.committee.ics_id),
    }
    return render(request, "web/decisions/meeting.html", context)


def _save_rows(form, calls) -> bool:
    """Run each ``(field, service call)`` in one transaction after the version check; a
    refusal shows beside its row and nothing is written. Whether all were saved."""
    refused = False
    try:
        with transaction.atomic():
            form.check_version()
            for field, call in calls:
                try:
                    with transaction.atomic():
                        call()
                except ValidationError as error:
                    refused = True
                    if field is None:
                        add_service_errors(form, error)
                    else:
                        form.add_error(field, error.messages)
            if refused:
                transaction.set_rollback(True)
    except ValidationError as stale:
        form.add_error(None, stale)
        return False
    return not refused


ATTENDANCE_CHOICES = [("", "Not recorded"), *AttendanceStatus.choices]


class AttendanceForm(VersionedForm, Form):
    covers = "attendances"

    def __init__(self, *args, meeting, members, recorded, **kwargs):
        super().__init__(*args, versioned=meeting, **kwargs)
        self.members = members
        for membership in members:
            existing = recorded.get(membership.person_id)
            seat = membership.seat
            self.fields[f"person_{membership.person_id}"] = forms.ChoiceField(
                label=membership.person.name,
                help_text=f"{seat.label}, {'voting' if seat.voting else 'non-voting'}",
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=existing.status if existing else "",
            )


def meeting_attendance(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("committee__body", "committee__ics"), pk=pk
    )
    if refused := officer_only(
        request,
        [meeting.committee.ics_id],
        "decisions.add_attendance",
        "decisions.change_attendance",
    ):
        return refused
    members, seen = [], set()
    for membership in meeting_members(meeting):
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            members.append(membership)
    attendances = list(attendances_of([meeting.pk]))
    recorded = {a.person_id: a for a in attendances}
    others = [a for a in attendances if a.person_id not in seen]
    form = AttendanceForm(request.POST or None, meeting=meeting, members=members, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        calls = []
        for membership in members:
            field = f"person_{membership.person_id}"
            status = form.cleaned_data[field]
            existing = recorded.get(membership.person_id)
            if not status or (existing and existing.status == status):
                continue
            calls.append((field, _attendance_call(meeting, membership, existing, status, request)))
        if _save_rows(form, calls):
            messages.success(request, f"Attendance at {meeting} saved.")
            return redirect("web:meeting", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "others": others,
        "committee_url": committee_url(meeting.committee),
    }
    return render(request, "web/decisions/attendance_form.html", context)


def _attendance_call(meeting, membership, existing, status, request):
    """The service call that records ``status`` for the holder of ``membership``."""
    if existing is not None:
        return lambda: services.attendance_update(
            attendance=existing, status=status, by=request.user
        )
    return lambda: services.attendance_record(
        meeting=meeting,
        person=membership.person,
        membership=membership,
        status=status,
        by=request.user,
    )


VOTE_CHOICES = [("", "Did not vote"), *VoteValue.choices]
CASTING_CHOICES = [
    ("", "No casting vote"),
    (VoteValue.FOR, "For"),
    (VoteValue.AGAINST, "Against"),
]


class VotesForm(VersionedForm, Form):
    covers = "votes"

    def __init__(self, *args, decision, voters, ordinary, casting, chair, **kwargs):
        super().__init__(*args, versioned=decision, **kwargs)
        for voter in voters:
            existing = ordinary.get(voter.attendance_id)
            hint = voter.seat_label
            if voter.capacity == Capacity.DEPUTY:
                hint = f"Deputy: {voter.seat_label}"
            self.fields[f"attendance_{voter.attendance_id}"] = forms.ChoiceField(
                label=voter.name,
                help_text=hint,
                choices=VOTE_CHOICES,
                required=False,
                initial=existing.value if existing else "",
            )
        chair_name = chair.name if chair else "nobody recorded as chairing"
        self.fields["casting"] = forms.ChoiceField(
            label="The chair's casting vote",
            help_text=f"Only on an equality of votes, where the standing orders give one; "
            f"given by the person chairing ({chair_name}) (R26).",
            choices=CASTING_CHOICES,
            required=False,
            initial=casting.value if casting else "",
        )


def decision_votes(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("meeting__committee__body", "meeting__committee__ics"),
        pk=pk,
    )
    meeting = decision.meeting
    if refused := officer_only(
        request,
        [meeting.committee.ics_id],
        "decisions.add_vote",
        "decisions.change_vote",
        "decisions.delete_vote",
    ):
        return refused
    attendances = list(attendances_of([meeting.pk]).order_by("person__family_name", "pk"))
    by_id = {a.pk: a for a in attendances}
    everyone = [
        attendee(a, committee_id=meeting.committee_id, day=meeting.date) for a in attendances
    ]
    voters = [
        a
        for a in everyone
        if a.present and a.capacity in (Capacity.MEMBER, Capacity.DEPUTY) and a.voting_seat
    ]
    votes = list(Vote.objects.filter(decision=decision))
    ordinary = {v.attendance_id: v for v in votes if not v.is_casting_vote}
    casting = next((v for v in votes if v.is_casting_vote), None)
    chair = presiding(everyone)
    form = VotesForm(
        request.POST or None,
        decision=decision,
        voters=voters,
        ordinary=ordinary,
        casting=casting,
        chair=chair,
    )
    if request.method == "POST" and form.is_valid():
        calls = []
        for voter in voters:
            field = f"attendance_{voter.attendance_id}"
            calls += _vote_calls(
                field,
                decision,
                by_id[voter.attendance_id],
                ordinary.get(voter.attendance_id),
                form.cleaned_data[field],
                user=request.user,
            )
        value = form.cleaned_data["casting"]
        if value and casting is None and chair is None:
            form.add_error(
                "casting", "Nobody is recorded as chairing this meeting, so no casting vote."
            )
        else:
            chair_attendance = by_id[chair.attendance_id] if chair else None
            calls += _vote_calls(
                "casting", decision, chair_attendance, casting, value, user=request.user
            )
        if not form.errors and _save_rows(form, calls):
            messages.success(request, f"Votes on item {decision.item_number} saved.")
            return redirect(reverse("web:meeting", args=[meeting.pk]) + f"#item-{decision.pk}")
    context = {
        "decision": decision,
        "meeting": meeting,
        "form": form,
        "committee_url": committee_url(meeting.committee),
    }
    return render(request, "web/decisions/votes_form.html", context)


def _vote_calls(field, decision, attendance, existing, value, *, user):
    """The service call that turns ``existing`` (a vote or None) into ``value``."""
    if existing is not None and not value:
        return [(field, lambda: services.vote_delete(vote=existing, by=user))]
    if existing is not None and existing.value != value:
        return [(field, lambda: services.vote_update(vote=existing, value=value, by=user))]
    if existing is None and value:
        casting = field == "casting"
        return [
            (
                field,
                lambda: services.vote_cast(
                    decision=decision,
                    attendance=attendance,
                    value=value,
                    is_casting_vote=casting,
                    by=user,
                ),
            )
        ]
    return []


# -- the register of interests ------------------------------------------------------------


REGISTER_COLUMNS = [
    Column("Name", "name"),
    Column("Roles", "roles"),
    Column("Entry", "entry"),
    Column("Type", "kind"),
    Column("Description", "description"),
    Column("Organisation", "organisation"),
    Column("From", "start"),
    Column("To", "end"),
    Column("Value (£)", "value"),
]


def register_lines(published) -> list[SimpleNamespace]:
    """The published register as flat lines: an interest, a gift or a nil return each."""
    lines = []
    for entry in published.entries:
        person = {"name": entry.name, "roles": "; ".join(entry.roles)}
        for i in entry.interests:
            lines.append(
                SimpleNamespace(
                    **person,
                    entry="Interest",
                    kind=i.interest_type,
                    description=i.description,
                    organisation=i.organisation,
                    start=i.start,
                    end=i.end,
                    value=None,
                )
            )
        for g in entry.gifts:
            lines.append(
                SimpleNamespace(
                    **person,
                    entry="Gift or hospitality",
                    kind=g.kind,
                    description=g.description,
                    organisation=g.offered_by,
                    start=g.date,
                    end=None,
                    value=g.value,
                )
            )
        if entry.nil_return_on and not entry.interests:
            lines.append(
                SimpleNamespace(
                    **person,
                    entry="Nil return",
                    kind="",
                    description="No interests to declare",
                    organisation="",
                    start=entry.nil_return_on,
                    end=None,
                    value=None,
                )
            )
    return lines


@require_GET
def register(request, pk):
    body = get_object_or_404(Body.objects.select_related("ics"), pk=pk)
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    published = published_register(body=body, as_of=as_of)
    if request.GET.get("format") == "csv":
        # What the register publishes (R28), one line per interest, gift or nil return.
        return csv_response(
            register_lines(published), REGISTER_COLUMNS, f"register-of-interests-{body.pk}"
        )
    officer = access_for(request).administers(body.ics_id)
    notes = {}
    if officer:
        notes = private_register_notes(
            person_ids=[e.person_id for e in published.entries], as_of=as_of
        )
    entries = [{"entry": e, "notes": notes.get(e.person_id, ())} for e in published.entries]
    context = {
        "body": body,
        "form": form,
        "register": published,
        "entries": entries,
        "officer": officer,
        "here": request.get_full_path(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "web/decisions/register.html", context, status=status)


class DeclarationForm(VersionedForm, Form):
    nil_return = forms.BooleanField(
        label="Nil return: no interests to declare",
        required=False,
        help_text="Leave the type, description and organisation empty for a nil return.",
    )
    interest_type = forms.ChoiceField(
        label="Type of interest",
        choices=[("", "Choose a type"), *InterestType.choices],
        required=False,
    )
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)
    organisation = forms.ModelChoiceField(
        label="Related organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None",
    )
    start = UKDateField(
        label="When the interest arose",
        help_text="For example, 1 4 2026",
        error_messages={"required": "Enter the date the interest arose"},
    )
    end = UKDateField(
        label="Last day of the interest (optional)",
        required=False,
        help_text="Leave empty while it continues.",
    )
    declared_on = UKDateField(
        label="Declared on",
        help_text="For example, 1 4 2026",
        error_messages={"required": "Enter the date the interest was declared"},
    )
    notes = forms.CharField(
        label="Private notes (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="For the governance team; never published.",
    )

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(systems__in=systems).distinct().order_by("name")
        )


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


def declaration_add(request, pk):
    person = get_object_or_404(Person, pk=pk)
    memberships = list(
        Membership.objects.filter(person=person).select_related("committee").order_by("-start")
    )
    systems = {m.ics_id for m in memberships}
    if refused := officer_only(request, systems, "decisions.add_interestdeclaration"):
        return refused
    form = DeclarationForm(request.POST or None, versioned=person, systems=systems)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                form.check_version()
                services.interest_declaration_create(
                    person=person,
                    nil_return=data["nil_return"],
                    interest_type=data["interest_type"],
                    description=data["description"],
                    organisation=data["organisation"],
                    start=data["start"],
                    end=data["end"],
                    declared_on=data["declared_on"],
                    notes=data["notes"],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Declaration of interest by {person.name} recorded.")
            target = _safe_next(request)
            if target is None and memberships:
                target = reverse("web:register", args=[memberships[0].committee.body_id])
            return redirect(target or "web:overview")
    context = {"person": person, "form": form, "next": _safe_next(request)}
    return render(request, "web/decisions/declaration_form.html", context)


# -- the functions and decisions map ------------------------------------------------------


@require_GET
def functions(request, code):
    ics = get_object_or_404(IntegratedCareSystem, code__iexact=code)
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    chains = functions_and_decisions_map(ics=ics, as_of=as_of)
    delegation_ids = {s.delegation_id for c in chains for s in c.steps if s.delegation_id}
    under = decisions_under_delegations(
        delegation_ids, visible=visible_decisions(access_for(request))
    )
    recorded = []
    for chain in chains:
        if not chain.recorded:
            continue
        taken = [
            decision
            for step in chain.steps
            for decision in under.get(step.delegation_id, ())
            if decision.function_exercised in ("", chain.function)
        ]
        recorded.append({"chain": chain, "decisions": taken})
    context = {
        "ics": ics,
        "form": form,
        "as_of": as_of,
        "functions": recorded,
        "unrecorded": [c.label for c in chains if not c.recorded],
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "web/decisions/functions.html", context, status=status)


urlpatterns = [
    path("systems/<str:code>/meetings/", MeetingList.as_view(), name="meetings"),
    path("systems/<str:code>/functions/", functions, name="functions"),
    path("meetings/<int:pk>/", meeting, name="meeting"),
    path("meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("decisions/<int:pk>/votes/", decision_votes, name="decision_votes"),
    path("bodies/<int:pk>/register/", register, name="register"),
    path("people/<int:pk>/declarations/add/", declaration_add, name="declaration_add"),
]
