"""Two compliant ICBs ready to merge, as the example plan
(``tests/fixtures/reorganisation_plan.yaml``, the one in
``docs/reorganisation-plan-format.md``) names them."""

import datetime
from pathlib import Path
from types import SimpleNamespace

from bodies.models import IntegratedCareSystem, Organisation
from committees.models import Seat
from tests.builders import compliant_icb
from tests.factories import RegionFactory

FIXTURE = Path(__file__).parent / "fixtures" / "reorganisation_plan.yaml"
PLAN_TEXT = FIXTURE.read_text(encoding="utf-8")

EFFECTIVE = datetime.date(2026, 4, 1)
EVE = datetime.date(2026, 3, 31)
DAY_AFTER = datetime.date(2026, 4, 2)


def predecessor(code: str, name: str) -> SimpleNamespace:
    """A compliant ICB known by ``code``, its non-executive seats titled as boards do."""
    s = compliant_icb()
    IntegratedCareSystem.objects.filter(pk=s.ics.pk).update(code=code, name=name)
    Organisation.objects.filter(pk=s.ics.icb_id).update(
        ods_code=code, name=f"NHS {name} Integrated Care Board"
    )
    Seat.objects.filter(pk=s.ned_deputy[0].pk).update(title="Deputy chair")
    Seat.objects.filter(pk=s.ned_sim[0].pk).update(title="Senior independent member")
    s.ics.refresh_from_db()
    return s


def merger_ready() -> SimpleNamespace:
    RegionFactory(code="Y59", name="South East", ons_code="E40000005")
    return SimpleNamespace(
        north=predecessor("Q9A", "Northshire"), south=predecessor("Q9B", "Southshire")
    )
