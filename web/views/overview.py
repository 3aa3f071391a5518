"""Governance at a glance: every system (/), and one system (/systems/<code>/).

Public: signed out, the pages show the public registry; links into the admin appear
only for officers of the system (``access|administers``).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.generic import RedirectView

from bodies.filtersets import SystemFilterSet
from bodies.models import IntegratedCareSystem
from core.dates import en_gb
from publishing.selectors import system_overview, systems_at_a_glance
from web.forms import AsOfForm, SystemFiltersForm

TERMS_WITHIN_DAYS = 90


def overview(request):
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    filters_form = SystemFiltersForm(request.GET or None)
    systems = IntegratedCareSystem.objects.all()
    if filters_form.is_valid():
        # The same FilterSet as GET /api/v1/systems/ (?region=Y58&status=established).
        systems = SystemFilterSet(filters_form.cleaned_data, queryset=systems).qs
    summaries = systems_at_a_glance(
        as_of=as_of, within_days=TERMS_WITHIN_DAYS, systems=systems, unrecorded=True
    )
    context = {
        "form": form,
        "filters_form": filters_form,
        "as_of": as_of,
        "summaries": summaries,
        "within": TERMS_WITHIN_DAYS,
    }
    return render(request, "web/pages/overview.html", context)


def system(request, code):
    ics = get_object_or_404(IntegratedCareSystem.objects.select_related("region"), code=code)
    form = AsOfForm(request.GET or None)
    overview = system_overview(ics=ics, as_of=form.chosen_date(), within_days=TERMS_WITHIN_DAYS)
    facts = [
        ("Region", ics.region),
        ("ICB ODS code", ics.code),
        ("Status", ics.get_status_display()),
        ("Established", en_gb(ics.go_live)),
    ]
    context = {"form": form, "overview": overview, "facts": facts}
    return render(request, "web/pages/system.html", context)


urlpatterns = [
    path("", overview, name="overview"),
    path("systems/", RedirectView.as_view(pattern_name="web:overview", query_string=True)),
    path("systems/<str:code>/", system, name="system"),
]
