"""The rules catalogue as pages: every rule the registry cites, in plain English.

``/rules/`` lists the rules by area; ``/rules/<code>/`` explains one, with its legal or
policy source and where the registry checks it. Both are public: the rules are the law,
national policy and good practice, not anyone's data. The text comes from
``core/rules_catalogue.yaml``; the checks are generated from the code and the rule sets.
"""

import functools

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

# Imported so that every function that checks a rule has declared it (core.rules_catalogue
# .checks) before a page asks which checks use a rule.
import committees.rules
import committees.system_rules  # noqa: F401
import decisions.rules  # noqa: F401
import memberships.rules  # noqa: F401
import reminders.selectors  # noqa: F401
from committees.models import Requirement
from core.rules_catalogue import catalogue, checks_of, cited_codes
from core.services import constraint_messages


@functools.cache
def _constraint_messages() -> dict[str, tuple[str, ...]]:
    """The message of every database constraint, by the rule codes it cites."""
    found: dict[str, list[str]] = {}
    for message in constraint_messages().values():
        for code in dict.fromkeys(cited_codes(message)):
            found.setdefault(code, []).append(message)
    return {code: tuple(dict.fromkeys(messages)) for code, messages in found.items()}


@require_GET
def rule_list(request):
    return render(request, "web/rules/list.html", {"areas": catalogue().areas})


@require_GET
def rule_detail(request, code):
    rule = catalogue().get(code)
    if rule is None:
        raise Http404(f"No rule {code}.")
    area = next(area for area in catalogue().areas if area.code == rule.area)
    # The requirements of the rule sets shipped with the registry that cite the rule.
    requirements = (
        Requirement.objects.filter(rule=code, constitution__is_builtin=True)
        .select_related("constitution")
        .order_by("constitution__code", "-constitution__version", "order", "id")
    )
    context = {
        "rule": rule,
        "area": area,
        "checks": checks_of(code),
        "requirements": requirements,
        "constraints": _constraint_messages().get(code, ()),
    }
    return render(request, "web/rules/detail.html", context)


urlpatterns = [
    path("rules/", rule_list, name="rules"),
    path("rules/<str:code>/", rule_detail, name="rule"),
]
