"""Governance at a glance: every system (/), and one system (/systems/<code>/).

Public: signed out, the pages show the public registry. Milestones are private to a
system's officers (as in the API), and so is who made each recent change; edit links
appear only for officers of the system (``access|administers``).
"""

from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

from bodies.filtersets import SystemFilterSet
from bodies.models import IntegratedCareSystem
from bodies.selectors import (
    cluster_of,
    in_force,
    predecessors,
    successors,
    systems_with_lineage,
)
from core.dates import en_gb
from documents.selectors import documents_on
from publishing.selectors import recent_changes, system_overview, systems_at_a_glance
from web.access import access_for
from web.forms import AsOfForm, SystemFiltersForm
from web.lineage import cluster_sentence, lineage_sentences
from web.links import committee_url, person_url
from web.lists import Column, csv_response

TERMS_WITHIN_DAYS = 90
RECENT_CHANGES = 20

COLUMNS = [
    Column("System", "ics.name"),
    Column("ICB ODS code", "ics.code"),
    Column("Region", "ics.region.name"),
    Column("Governance", "verdict"),
    Column("Boards and committees", lambda s: s.committees if s.recorded else ""),
    Column("Not compliant", lambda s: s.not_compliant if s.recorded else ""),
    Column("Statutory breaches", lambda s: s.total_statutory_breaches if s.recorded else ""),
    Column(
        "Missing statutory bodies and committees",
        lambda s: "; ".join(f"{f.rule}: {f.message}" for f in s.missing),
    ),
    Column("Vacant seats", lambda s: s.vacancies if s.recorded else ""),
    Column(f"Terms ending within {TERMS_WITHIN_DAYS} days", "terms_ending"),
]
MILESTONE_COLUMNS = [
    Column(
        f"Milestones due within {TERMS_WITHIN_DAYS} days",
        lambda s: s.milestones.due if s.milestones else "",
    ),
    Column("Milestones overdue", lambda s: s.milestones.overdue if s.milestones else ""),
]


@require_GET
def overview(request):
    access = access_for(request)
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    filters_form = SystemFiltersForm(request.GET or None)
    invalid = (form.is_bound and not form.is_valid()) or (
        filters_form.is_bound and not filters_form.is_valid()
    )
    if invalid and request.htmx:
        # The errors show beside the fields, which the table's fragment does not hold.
        return HttpResponse(headers={"HX-Redirect": request.get_full_path()})
    # The systems in force on the date (R30): an abolished system is gone after its last
    # day, a successor there from its go-live, as in GET /api/v1/systems/?as_of=.
    systems = in_force(IntegratedCareSystem.objects.all(), as_of)
    if filters_form.is_valid():
        # The same FilterSet as GET /api/v1/systems/ (?region=Y58&status=established).
        systems = SystemFilterSet(filters_form.cleaned_data, queryset=systems).qs
    # Milestones are the governance team's own: counted only in the systems one administers.
    milestones_of = (
        systems.values_list("pk", flat=True) if access.superuser else access.administered
    )
    summaries = systems_at_a_glance(
        as_of=as_of,
        within_days=TERMS_WITHIN_DAYS,
        systems=systems,
        unrecorded=True,
        milestones_of=milestones_of,
    )
    if request.GET.get("format") == "csv":
        columns = COLUMNS + (MILESTONE_COLUMNS if access.is_officer else [])
        return csv_response(summaries, columns, "systems")
    by_region = sorted(summaries, key=lambda s: (s.ics.region.name, s.ics.name))
    regions = [
        (region, list(rows)) for region, rows in groupby(by_region, key=lambda s: s.ics.region)
    ]
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "form": form,
        "filters_form": filters_form,
        "as_of": as_of,
        "dated": form.is_bound and form.is_valid() and form.cleaned_data["as_of"],
        "regions": regions,
        "summaries": summaries,
        "within": TERMS_WITHIN_DAYS,
        "show_milestones": access.is_officer,
        "csv_url": f"?{query.urlencode()}",
    }
    template = "web/pages/overview.html"
    return render(request, f"{template}#systems" if request.htmx else template, context)


def not_in_force(ics, as_of) -> str:
    """Why a system shows nothing on a date outside its life (R30), or ''."""
    if ics.go_live and as_of < ics.go_live:
        why = f"its go-live date is {en_gb(ics.go_live)}"
    elif ics.abolished and as_of > ics.abolished:
        why = f"it is abolished, its last day being {en_gb(ics.abolished)}"
    else:
        return ""
    return f"{ics.name} is not in force on {en_gb(as_of)}: {why}."


@require_GET
def system(request, code):
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    ics = get_object_or_404(systems_with_lineage(as_of).select_related("region"), code=code)
    officer = access_for(request).administers(ics.pk)
    overview = system_overview(
        ics=ics, as_of=as_of, within_days=TERMS_WITHIN_DAYS, with_milestones=officer
    )
    changes = recent_changes(ics=ics, limit=RECENT_CHANGES, private=officer)
    if not officer:
        # Who made a change names a staff account: officers of the system only.
        for entry in changes:
            entry.user = None
    for entry in changes:
        entry.url = None
    dated = form.is_bound and form.is_valid() and form.cleaned_data["as_of"]
    date_query = f"?as_of={as_of.isoformat()}" if dated else ""
    facts = [
        ("Region", ics.region),
        ("ICB ODS code", ics.code),
        ("Status", ics.get_status_display()),
        ("Established", en_gb(ics.go_live)),
    ]
    if ics.abolished:
        facts.append(("Abolished", en_gb(ics.abolished)))
    pages = [
        (text, reverse(f"web:{name}", args=[ics.code]))
        for text, name in (
            ("Governance structure diagram", "structure"),
            ("Milestones and readiness checklist", "milestones"),
            ("Appointments: rounds under way and terms ending", "appointments"),
            ("Meetings and decisions", "meetings"),
            ("Functions and decisions map", "functions"),
        )
        if officer or name != "milestones"
    ]
    for committee, _ in overview.reports:
        committee.page_url = committee_url(committee)
    memberships = [h.membership for h in overview.board_members if h.membership]
    for membership in memberships + overview.terms_ending:
        membership.person_url = person_url(membership.person_id)
    context = {
        "form": form,
        "overview": overview,
        "facts": facts,
        "lineage": lineage_sentences(
            ics,
            predecessors=predecessors(ics),
            successors=successors(ics),
            today=timezone.localdate(),
        ),
        "cluster": cluster_sentence(cluster_of(ics), as_of=as_of),
        "not_in_force": not_in_force(ics, as_of),
        "officer": officer,
        "documents": documents_on(access=access_for(request), as_of=as_of, ics=ics),
        "changes": changes,
        "date_query": date_query,
        "pages": [(text, f"{url}{date_query}") for text, url in pages if url],
    }
    return render(request, "web/pages/system.html", context)


urlpatterns = [
    path("", overview, name="overview"),
    path("systems/", RedirectView.as_view(pattern_name="web:overview", query_string=True)),
    path("systems/<str:code>/", system, name="system"),
]
