"""A system's transition milestones and readiness checklist (R31), and marking one done or
reopening it.

Private: milestones are the system's own governance work (owners, at-risk statuses,
evidence notes), so, as in the API (``MilestoneViewSet.visible``), only the system's
officers and superusers find these pages; anyone else gets 404. Completing and reopening
go through ``milestone_complete`` and ``milestone_reopen``, the API's actions.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from bodies.models import Body, IntegratedCareSystem
from core.admin import add_service_errors
from core.dates import en_gb
from memberships.models import Person
from reminders.filtersets import MilestoneFilterSet
from reminders.models import Category, Milestone, Status
from reminders.selectors import READINESS_STATES, readiness_state, system_milestones
from reminders.selectors import system_readiness as readiness_of
from reminders.services import milestone_complete, milestone_reopen
from web.access import access_for
from web.concurrency import STALE, VersionedForm
from web.forms import Form, UKDateField
from web.lists import Column, ListPage

CHANGE_PERMISSION = "reminders.change_milestone"
STATE_LABELS = dict(READINESS_STATES)
STATE_COLOURS = {
    "overdue": "red",
    "at_risk": "orange",
    "in_progress": "blue",
    "not_started": "grey",
    "done": "green",
    "not_applicable": "white",
}


def status_text(milestone) -> str:
    """How the milestone stands: its status, or "Overdue" with the status it records."""
    state = readiness_state(milestone)
    if state == "overdue":
        return f"Overdue ({milestone.get_status_display().lower()})"
    return STATE_LABELS[state]


def officer_system(request, code) -> IntegratedCareSystem:
    """The system, if the person asking administers it; 404 otherwise (the API's rule)."""
    ics = get_object_or_404(IntegratedCareSystem, code=code.upper())
    if not access_for(request).administers(ics.pk):
        raise Http404("No such system's milestones.")
    return ics


def officer_milestone(request, pk) -> Milestone:
    """The milestone, if the person asking may change it: 404 unless they administer its
    system, 403 without the permission to change milestones."""
    milestone = get_object_or_404(Milestone.objects.select_related("ics", "owner"), pk=pk)
    access = access_for(request)
    if not access.administers(milestone.ics_id):
        raise Http404("No such milestone.")
    if not access.may(CHANGE_PERMISSION):
        raise PermissionDenied("You may not change milestones.")
    return milestone


# -- the list -----------------------------------------------------------------------------


class SystemMilestoneFilterSet(MilestoneFilterSet):
    """The API's milestone filters (same names and meanings) for one system's page: the
    owner and body lists offer that system's only, dates are typed day, month and year
    (``?due_before=2026-04-01`` still works) and the labels are officers' words."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        del self.filters["system"]
        # The page's queryset is one system's milestones: offer that system's choices.
        systems = self.queryset.order_by().values("ics_id")
        self.filters["owner"].queryset = (
            Person.objects.filter(milestones__ics_id__in=systems)
            .distinct()
            .order_by("family_name", "given_name", "pk")
        )
        self.filters["body"].queryset = Body.objects.filter(ics_id__in=systems).select_related(
            "ics"
        )

    def get_form_class(self):
        open_field = forms.NullBooleanField(
            label="Still to be met",
            required=False,
            widget=forms.NullBooleanSelect(),
        )
        open_field.widget.choices = [
            ("unknown", "Any"),
            ("true", "Still to be met (not started, in progress or at risk)"),
            ("false", "Done or not applicable"),
        ]
        fields = {
            "status": forms.ChoiceField(
                label="Status",
                required=False,
                choices=[("", "Any status"), *Status.choices],
                error_messages={"invalid_choice": "Choose a status from the list"},
            ),
            "open": open_field,
            "category": forms.ChoiceField(
                label="Category",
                required=False,
                choices=[("", "Any category"), *Category.choices],
                error_messages={"invalid_choice": "Choose a category from the list"},
            ),
            "owner": forms.ModelChoiceField(
                label="Owner",
                required=False,
                queryset=self.filters["owner"].queryset,
                empty_label="Anyone",
                error_messages={"invalid_choice": "Choose an owner from the list"},
            ),
            "body": forms.ModelChoiceField(
                label="Body",
                required=False,
                queryset=self.filters["body"].queryset,
                empty_label="Any body",
                error_messages={"invalid_choice": "Choose a body from the list"},
            ),
            "due_after": UKDateField(
                label="Due on or after", required=False, help_text="For example, 1 4 2026"
            ),
            "due_before": UKDateField(
                label="Due on or before", required=False, help_text="For example, 31 3 2027"
            ),
        }
        return type("MilestoneFiltersForm", (Form,), fields)


class MilestoneList(ListPage):
    filterset_class = SystemMilestoneFilterSet
    template_name = "web/milestones/list.html"
    csv_filename = "milestones"
    columns = [
        Column("Milestone", "title"),
        Column("Category", "get_category_display"),
        Column("Owner", "owner.name"),
        Column("Due date", "due_date"),
        Column("Status", status_text),
        Column("Completed date", "completed_on"),
        Column("Evidence link", "evidence_url"),
        Column("Evidence note", "evidence_note"),
        Column("Checklist", "template_item.template.name"),
    ]

    def dispatch(self, request, *args, **kwargs):
        self.ics = officer_system(request, kwargs["code"])
        self.today = timezone.localdate()
        self.csv_filename = f"milestones-{self.ics.code}"
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return system_milestones(ics=self.ics, today=self.today, open_first=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = access_for(self.request)
        rows = [
            {
                "milestone": m,
                "state": readiness_state(m),
                "label": STATE_LABELS[readiness_state(m)],
                "colour": STATE_COLOURS[readiness_state(m)],
            }
            for m in context["object_list"]
        ]
        readiness = readiness_of(ics=self.ics, today=self.today)
        yesterday = en_gb(self.today - datetime.timedelta(days=1))
        summary = [
            {
                "state": state,
                "label": label,
                "count": count,
                "colour": STATE_COLOURS[state],
                "href": self.state_filter(state),
            }
            for state, label, count in readiness.by_state()
        ]
        return context | {
            "ics": self.ics,
            "today": self.today,
            "yesterday": yesterday,
            "rows": rows,
            "readiness": readiness,
            "summary": summary,
            "may_change": access.may(CHANGE_PERMISSION),
            "filtered": self.filterset.is_bound,
        }

    def state_filter(self, state) -> str:
        if state == "overdue":
            day = self.today - datetime.timedelta(days=1)
            return f"?open=true&due_before={day.isoformat()}"
        return f"?status={state}"


# -- completing and reopening -------------------------------------------------------------


class CompleteForm(VersionedForm, Form):
    completed_on = UKDateField(
        label="Completed date",
        help_text="For example, 24 9 2021",
        error_messages={"required": "Enter the date the milestone was completed"},
    )
    evidence_url = forms.URLField(
        label="Evidence link",
        required=False,
        assume_scheme="https",
        help_text="A link to the evidence, such as the board paper or the signed agreement.",
    )
    evidence_note = forms.CharField(
        label="Evidence note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Or say what the evidence is and where it is kept. A done milestone "
        "records its evidence, a link or a note (R31).",
    )


class ReopenForm(VersionedForm, Form):
    status = forms.ChoiceField(
        label="Reopen it as",
        choices=[(s.value, s.label) for s in Status if s != Status.DONE],
        initial=Status.IN_PROGRESS,
        widget=forms.RadioSelect,
        help_text="It loses its completed date; its evidence stays on the record.",
    )


def _refresh_after_stale(form_class, request, milestone):
    """The officer's form again, over the record as it is now (so a second try can pass),
    with the stale refusal at the top."""
    current = Milestone.objects.select_related("ics", "owner").get(pk=milestone.pk)
    data = request.POST.copy()
    data["version"] = form_class.current_version(current)
    form = form_class(data, versioned=current)
    form.is_valid()
    form.add_error(None, STALE)
    return current, form


def _transition(request, pk, *, form_class, service, initial, done_message, template):
    milestone = officer_milestone(request, pk)
    if request.method == "POST":
        form = form_class(request.POST, versioned=milestone)
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                with transaction.atomic():
                    form.check_version()
                    service(milestone=milestone, by=request.user, **changes)
            except ValidationError as error:
                if getattr(error, "code", None) == "stale":
                    milestone, form = _refresh_after_stale(form_class, request, milestone)
                else:
                    milestone.refresh_from_db()
                    add_service_errors(form, error)
            else:
                messages.success(request, done_message(milestone))
                url = reverse("web:milestones", args=[milestone.ics.code])
                return redirect(f"{url}#milestone-{milestone.pk}")
    else:
        form = form_class(initial=initial(milestone), versioned=milestone)
    context = {"milestone": milestone, "ics": milestone.ics, "form": form}
    return render(request, template, context, status=400 if form.errors else 200)


def complete(request, pk):
    return _transition(
        request,
        pk,
        form_class=CompleteForm,
        service=milestone_complete,
        initial=lambda m: {
            "completed_on": m.completed_on or timezone.localdate(),
            "evidence_url": m.evidence_url,
            "evidence_note": m.evidence_note,
        },
        done_message=lambda m: f"‘{m.title}’ is done, completed on {en_gb(m.completed_on)}.",
        template="web/milestones/complete.html",
    )


def reopen(request, pk):
    return _transition(
        request,
        pk,
        form_class=ReopenForm,
        service=milestone_reopen,
        initial=lambda m: {"status": Status.IN_PROGRESS},
        done_message=lambda m: f"‘{m.title}’ is reopened: {m.get_status_display().lower()}.",
        template="web/milestones/reopen.html",
    )


urlpatterns = [
    path("systems/<str:code>/milestones/", MilestoneList.as_view(), name="milestones"),
    path("milestones/<int:pk>/complete/", complete, name="milestone_complete"),
    path("milestones/<int:pk>/reopen/", reopen, name="milestone_reopen"),
]
