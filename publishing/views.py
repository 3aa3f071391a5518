"""Officers' overview pages: governance at a glance, across systems and for one system."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, render

from bodies.filtersets import SystemFilterSet
from bodies.models import IntegratedCareSystem
from core.forms import AsOfForm
from publishing.selectors import system_overview, systems_at_a_glance

TERMS_WITHIN_DAYS = 90


@staff_member_required
def system_list(request):
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    # The same FilterSet as GET /api/v1/systems/ (?region=Y58&status=established).
    filters = SystemFilterSet(request.GET or None, queryset=IntegratedCareSystem.objects.all())
    summaries = systems_at_a_glance(as_of=as_of, within_days=TERMS_WITHIN_DAYS, systems=filters.qs)
    context = {
        "form": form,
        "filters": filters,
        "as_of": as_of,
        "summaries": summaries,
        "within": TERMS_WITHIN_DAYS,
    }
    return render(request, "publishing/system_list.html", context)


@staff_member_required
def system_detail(request, code):
    ics = get_object_or_404(IntegratedCareSystem.objects.select_related("region"), code=code)
    form = AsOfForm(request.GET or None)
    overview = system_overview(ics=ics, as_of=form.chosen_date(), within_days=TERMS_WITHIN_DAYS)
    return render(request, "publishing/system_detail.html", {"form": form, "overview": overview})
