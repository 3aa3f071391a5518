"""The governance structure diagram of a system: its bodies, boards, committees and the
delegations between them on a date, as an SVG drawn on the server with a text alternative.

Public: the structure of a system is public information.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from bodies.models import IntegratedCareSystem
from decisions.selectors import system_structure
from web.diagram import delegation_summary, layout, render_svg
from web.forms import AsOfForm


def committee_url(committee) -> str:
    return reverse("web:committee", args=[committee.pk])


def _tree(committee) -> dict:
    """A committee with its link and its sub-committees, for the nested list."""
    return {
        "committee": committee,
        "url": committee_url(committee),
        "sub_committees": [_tree(sub) for sub in committee.sub_committees],
    }


@require_GET
def structure(request, code):
    ics = get_object_or_404(IntegratedCareSystem, code=code)
    form = AsOfForm(request.GET or None)
    context = {"ics": ics, "form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "web/structure.html", context, status=400)
    facts = system_structure(ics=ics, as_of=form.chosen_date())
    system_url = reverse("web:system", args=[ics.code])
    plan = layout(
        facts,
        body_url=lambda body: f"{system_url}#body-{body.pk}",
        committee_url=committee_url,
        organisation_url=lambda pk: "#delegations",
    )
    context |= {
        "structure": facts,
        "svg": render_svg(facts, plan),
        "bodies": [
            {
                "body": body,
                "url": f"{system_url}#body-{body.pk}",
                "committees": [
                    _tree(c) for c in ((body.board,) if body.board else ()) + body.committees
                ],
            }
            for body in facts.bodies
        ],
        "delegations": [delegation_summary(d) for d in facts.delegations],
    }
    return render(request, "web/structure.html", context)


urlpatterns = [path("systems/<str:code>/structure/", structure, name="structure")]
