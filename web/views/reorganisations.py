"""Reorganisation plans (R30; journey 7, "Prepare a merger"): a merger as a YAML plan,
checked without writing anything, its checklist generated, and applied on the day.

- ``/reorganisations/``: every plan (public, as in the API).
- ``/reorganisations/<id>/``: a plan, its document and the systems it involves.
- ``/reorganisations/new/``, ``/reorganisations/<id>/edit/``: record or change a draft
  by pasting its document or choosing its ``.yaml`` file.
- ``/reorganisations/<id>/dry-run/``: every change the plan would make and the successor
  board's compliance on the effective date; nothing is written.
- ``/reorganisations/<id>/checklist/``: the "ICB merger" checklist as milestones.
- ``/reorganisations/<id>/apply/``: the what-if summary again, then applying it.

Reading is public. Changing, checking and applying a plan is for an officer of every
system it involves (the API's rule, ``ReorganisationPlanViewSet``), with the model
permission; an officer of other systems does not find those pages (404). Every write is
one service call of ``reorganisations.services``; a refusal names its place in the file
and writes nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from bodies.models import IntegratedCareSystem
from committees.rules import Severity
from core.dates import en_gb
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.plan import PlanError, parse
from reorganisations.services import (
    MERGER_CHECKLIST,
    dry_run,
    merger_checklist,
    merger_checklist_generate,
    plan_apply,
    reorganisation_plan_create,
    reorganisation_plan_update,
)
from web.access import access_for, officer_only
from web.concurrency import VersionedForm
from web.forms import Form
from web.views.edits import render_form, stale_message

ADD = "reorganisations.add_reorganisationplan"
CHANGE = "reorganisations.change_reorganisationplan"
ADD_MILESTONE = "reminders.add_milestone"
MAX_FILE_BYTES = 200_000
CODE = "nhsuk-u-font-monospace nhsuk-u-font-size-16"
NOT_ALL_YOURS = (
    "You are not an officer of {systems}: a reorganisation plan is recorded and changed only "
    "by an officer of every system it involves."
)


def plans():
    systems = IntegratedCareSystem.objects.order_by("name")
    return ReorganisationPlan.objects.select_related("applied_by").prefetch_related(
        Prefetch("systems", queryset=systems)
    )


def may_change(access, plan: ReorganisationPlan) -> bool:
    """The API's rule: an officer of every system the plan involves (or a superuser)."""
    return access.administers_all(s.pk for s in plan.systems.all())


def officer_plan(request, pk, *permissions):
    """The plan, and None when the person asking may change it; else a redirect to sign
    in (returned), 404 for an officer of other systems, 403 without the permissions."""
    plan = get_object_or_404(plans(), pk=pk)
    if not request.user.is_authenticated:
        return plan, redirect_to_login(request.get_full_path())
    access = access_for(request)
    if not may_change(access, plan):
        raise Http404("No such plan among the systems you administer.")
    if not all(access.may(p) for p in permissions):
        raise PermissionDenied("You may not change reorganisation plans.")
    return plan, None


def officer_draft(request, pk, *permissions, if_applied: str):
    """:func:`officer_plan` for the pages that change a draft: an applied plan sends the
    officer back to its page saying ``if_applied``."""
    plan, refused = officer_plan(request, pk, *permissions)
    if refused is None and plan.status == PlanStatus.APPLIED:
        messages.info(request, if_applied)
        refused = redirect(plan_url(plan))
    return plan, refused


def status_colour(plan) -> str:
    return "green" if plan.status == PlanStatus.APPLIED else "blue"


def plan_url(plan) -> str:
    return reverse("web:reorganisation", args=[plan.pk])


# -- The list and a plan ------------------------------------------------------------------


@require_GET
def plan_list(request):
    access = access_for(request)
    context = {
        "plans": [(p, status_colour(p)) for p in plans()],
        "may_add": access.may(ADD),
    }
    return render(request, "web/reorganisations/list.html", context)


def _named_systems(document) -> dict:
    codes = {p.system for p in document.predecessors} | {document.successor.code}
    return {s.code: s for s in IntegratedCareSystem.objects.filter(code__in=codes)}


@require_GET
def plan_detail(request, pk):
    plan = get_object_or_404(plans(), pk=pk)
    access = access_for(request)
    officer = may_change(access, plan) and access.may(CHANGE)
    try:
        document = parse(plan.document)
    except PlanError:  # recorded before the format changed: the page still shows it
        document = None
    named = _named_systems(document) if document else {}
    predecessors = [(p, named.get(p.system)) for p in (document.predecessors if document else ())]
    successor = named.get(document.successor.code) if document else None
    checklist = None
    if officer and document:
        lead = named.get(document.checklist_lead)
        if lead is not None:
            checklist = {
                "ics": lead,
                "count": merger_checklist(lead).count(),
            }
    context = {
        "plan": plan,
        "document": document,
        "predecessors": predecessors,
        "successor": successor,
        "status_colour": status_colour(plan),
        "officer": officer,
        # Who applied it names a staff account: officers of a system involved only.
        "show_who": any(access.administers(ics.pk) for ics in plan.systems.all()),
        "successor_milestones": successor is not None and access.administers(successor.pk),
        "draft": plan.status == PlanStatus.DRAFT,
        "checklist": checklist,
    }
    return render(request, "web/reorganisations/plan.html", context)


# -- Checking a plan (nothing is written) -------------------------------------------------


def what_if(plan, user) -> dict:
    """The dry run's report for a page: its sections and compliance, or its refusal."""
    try:
        report = dry_run(plan, by=user)
    except PlanError as exc:
        return {"problems": exc.lines}
    sections = [
        {"name": name, "lines": lines, "id": f"section-{n}"}
        for n, (name, lines) in enumerate(report.changes.items())
        if lines
    ]
    compliance = report.compliance
    return {
        "report": report,
        "sections": sections,
        "compliance": compliance,
        "system": report.system,
        "unmet": [(f, Severity(f.severity).label) for f in compliance.worst_first if not f.met],
        "met": [f for f in compliance.worst_first if f.met],
    }


@require_GET
def plan_dry_run(request, pk):
    plan, refused = officer_draft(
        request,
        pk,
        CHANGE,
        if_applied="This plan has been applied: there is nothing left to check.",
    )
    if refused:
        return refused
    context = {"plan": plan, **what_if(plan, request.user)}
    return render(request, "web/reorganisations/dry_run.html", context)


# -- Recording and changing a plan --------------------------------------------------------


class PlanForm(Form):
    document = forms.CharField(
        label="Plan document",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": CODE}),
        help_text="Paste the plan, in the ics-registry/reorganisation-plan@1 YAML format.",
    )
    file = forms.FileField(
        label="Or choose the plan's file",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
        help_text="A .yaml file. A file chosen here is used instead of the text above.",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_FILE_BYTES:
                self.add_error("file", "The file is too big: a plan is under 200 KB")
                return cleaned
            try:
                cleaned["document"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The file must be a text (UTF-8) YAML file")
                return cleaned
            # What the file holds is shown in the box, to correct it there if refused.
            self.data = self.data.copy()
            self.data["document"] = cleaned["document"]
        if not (cleaned.get("document") or "").strip() and "file" not in self.errors:
            self.add_error("document", "Paste the plan or choose its file")
        return cleaned

    def parsed(self):
        """The document read, or None with every problem beside the document."""
        try:
            return parse(self.cleaned_data["document"])
        except PlanError as exc:
            self.add_error("document", [f"{line}" for line in exc.lines])
            return None

    def check_systems(self, access, document) -> bool:
        """Whether every predecessor is a system of the registry and the officer
        administers each (the API's rule for recording a plan)."""
        codes = [p.system for p in document.predecessors]
        ids = dict(IntegratedCareSystem.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [
            f"predecessors[{n}].system: no system with code '{code}'"
            for n, code in enumerate(codes)
            if code not in ids
        ]
        foreign = sorted({c for c in codes if c in ids and not access.administers(ids[c])})
        if unknown:
            self.add_error("document", unknown)
        if foreign and not access.superuser:
            self.add_error("document", NOT_ALL_YOURS.format(systems=", ".join(foreign)))
            return False
        return not unknown


class PlanEditForm(VersionedForm, PlanForm):
    pass


def _save(form, request, service, **arguments):
    """Read and check the document, then call ``service``: its result, or None when it was
    refused (the refusal is then on the form). Nothing is written on a refusal."""
    document = form.parsed()
    if document is None or not form.check_systems(access_for(request), document):
        return None
    try:
        with transaction.atomic():
            if isinstance(form, VersionedForm):
                form.check_version()
            return service(document=form.cleaned_data["document"], by=request.user, **arguments)
    except PlanError as exc:
        form.add_error("document", exc.lines)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "stale":
            form.add_error(None, exc)
        else:
            document_errors(form, exc)
    return None


def document_errors(form, error: ValidationError) -> None:
    """A service's refusal beside the document: the plan's name, kind and date come from
    it, so a refusal of one of them names its key in the file (``name: ...``)."""
    if not hasattr(error, "error_dict"):
        form.add_error("document", error.messages)
        return
    for name, messages_ in error.message_dict.items():
        place = "" if name in ("__all__", "document") else f"{name}: "
        form.add_error("document", [f"{place}{m}" for m in messages_])


@require_http_methods(["GET", "POST"])
def plan_new(request):
    if refused := officer_only(request, [], ADD):
        return refused
    form = PlanForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        plan = _save(form, request, reorganisation_plan_create)
        if plan:
            messages.success(
                request, f"The plan ‘{plan.name}’ is recorded as a draft: check it next."
            )
            return redirect(plan_url(plan))
    context = {"form": form, "plan": None}
    return render_form(request, "web/reorganisations/form.html", context, form)


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan, refused = officer_draft(
        request, pk, CHANGE, if_applied="This plan has been applied: it can no longer be changed."
    )
    if refused:
        return refused
    form = PlanEditForm(
        request.POST or None,
        request.FILES or None,
        versioned=plan,
        initial={"document": plan.document},
    )
    if form.is_bound and form.is_valid():
        changed = _save(form, request, reorganisation_plan_update, reorganisation_plan=plan)
        if changed:
            messages.success(request, f"The plan ‘{changed.name}’ is changed: check it again.")
            return redirect(plan_url(changed))
    if stale := stale_message(form):
        # The plan as it is now, with the explanation: the officer makes their change again.
        plan = get_object_or_404(plans(), pk=pk)
        form = PlanEditForm(versioned=plan, initial={"document": plan.document})
    context = {"form": form, "plan": plan}
    return render_form(request, "web/reorganisations/form.html", context, form, stale)


# -- The merger checklist -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_checklist(request, pk):
    plan, refused = officer_draft(
        request,
        pk,
        CHANGE,
        ADD_MILESTONE,
        if_applied="This plan has been applied: its checklist is the successor's.",
    )
    if refused:
        return refused
    document = parse(plan.document)
    lead_code = document.checklist_lead
    lead = IntegratedCareSystem.objects.filter(code=lead_code).first()
    problems = []
    if request.method == "POST":
        try:
            created = merger_checklist_generate(plan=plan, by=request.user)
        except PlanError as exc:
            problems = exc.lines
        except ValidationError as exc:
            problems = exc.messages
        else:
            if created:
                first = min(m.due_date for m in created)
                last = max(m.due_date for m in created)
                messages.success(
                    request,
                    f"{len(created)} milestones of the ‘{MERGER_CHECKLIST}’ checklist are added "
                    f"to {lead.name}, due from {en_gb(first)} to {en_gb(last)}.",
                )
            else:
                messages.info(
                    request,
                    f"{lead.name} already has every milestone of the ‘{MERGER_CHECKLIST}’ "
                    "checklist: nothing was added.",
                )
            return redirect(reverse("web:milestones", args=[lead.code]))
    owners = [
        (category.replace("_", " ").capitalize(), ref)
        for category, ref in document.checklist.owners.items()
    ]
    context = {
        "plan": plan,
        "document": document,
        "lead": lead,
        "lead_code": lead_code,
        "owners": owners,
        "problems": problems,
        "checklist_name": MERGER_CHECKLIST,
    }
    status = 400 if problems else 200
    return render(request, "web/reorganisations/checklist.html", context, status=status)


# -- Applying a plan ----------------------------------------------------------------------


class ApplyForm(VersionedForm, Form):
    stale_message = (
        "Someone changed this plan after you opened this page, so it was not applied. The "
        "page now shows what the plan, as it is now, would do: check it and apply it again."
    )


@require_http_methods(["GET", "POST"])
def plan_apply_page(request, pk):
    plan, refused = officer_draft(
        request, pk, CHANGE, if_applied="This plan has already been applied."
    )
    if refused:
        return refused
    form = ApplyForm(request.POST or None, versioned=plan)
    problems, status = [], 200
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                form.check_version()
                report = plan_apply(plan=plan, by=request.user)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                plan = get_object_or_404(plans(), pk=pk)
                form = ApplyForm(versioned=plan)
                problems, status = [ApplyForm.stale_message], 409
            else:
                problems = exc.lines if isinstance(exc, PlanError) else exc.messages
                status = 400
        else:
            successor = parse(plan.document).successor
            if successor.existing:
                done = f"its changes to {successor.code} take effect from {en_gb(report.effective)}"
            else:
                done = (
                    f"{successor.name} ({successor.code}) is established from "
                    f"{en_gb(report.effective)} and its predecessors are abolished from that day"
                )
            messages.success(request, f"‘{plan.name}’ is applied: {done}.")
            return redirect(plan_url(plan))
    context = {"plan": plan, "form": form, "refusals": problems, **what_if(plan, request.user)}
    return render(request, "web/reorganisations/apply.html", context, status=status)


urlpatterns = [
    path("reorganisations/", plan_list, name="reorganisations"),
    path("reorganisations/new/", plan_new, name="reorganisation_new"),
    path("reorganisations/<int:pk>/", plan_detail, name="reorganisation"),
    path("reorganisations/<int:pk>/edit/", plan_edit, name="reorganisation_edit"),
    path("reorganisations/<int:pk>/dry-run/", plan_dry_run, name="reorganisation_dry_run"),
    path("reorganisations/<int:pk>/checklist/", plan_checklist, name="reorganisation_checklist"),
    path("reorganisations/<int:pk>/apply/", plan_apply_page, name="reorganisation_apply"),
]
