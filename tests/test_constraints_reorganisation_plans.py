"""The named constraint of reorganisation plans, proved in the database and explained.

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import pytest
from django.utils import timezone

from reorganisations.models import PlanStatus, ReorganisationPlan
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.reorganisation_builders import PLAN_TEXT

pytestmark = pytest.mark.django_db


def draft() -> ReorganisationPlan:
    return ReorganisationPlan.objects.create(
        name="Merger", kind="merger", effective="2026-04-01", document=PLAN_TEXT
    )


@proves("reorganisations_plan_applied_has_when")
def test_database_refuses_an_applied_plan_without_its_time_and_a_draft_with_one():
    plan = draft()
    with refused_by("reorganisations_plan_applied_has_when"):
        ReorganisationPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPLIED)
    with refused_by("reorganisations_plan_applied_has_when"):
        ReorganisationPlan.objects.filter(pk=plan.pk).update(applied_at=timezone.now())


@explains("reorganisations_plan_applied_has_when")
def test_an_applied_plan_without_its_time_is_refused_with_a_clear_message():
    plan = draft()
    plan.status = PlanStatus.APPLIED
    with refused_with_message_of("reorganisations_plan_applied_has_when"):
        plan.full_clean()
