"""generate_national: a deterministic fictional national dataset on top of the reference
data, refused on a database holding any other governance (issue 13)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from bodies.models import Body, BodyKind
from committees.models import Committee, CommitteeKind, Seat
from decisions.models import Decision, InterestDeclaration, Vote
from demo.national import AT_SCALE_ONE, HEADROOM, HISTORY_END, quotas
from memberships.models import EndReason, Membership, MembershipEvent, MembershipStatus, Person
from memberships.selectors import compliance_many, compositions
from reminders.models import Milestone
from reorganisations.plan import SeatSpec
from reorganisations.seating import board_requirements, seats_for
from tests.conftest import run_command, shared_data

SYSTEMS = 2
TINY = 0.005


class RolledBack(Exception):
    """Raised to undo a generated dataset once it has been looked at."""


def generate(**options) -> str:
    err = StringIO()
    call_command("generate_national", systems=SYSTEMS, stdout=StringIO(), stderr=err, **options)
    return err.getvalue()


def counts() -> dict[str, int]:
    return {
        "bodies": Body.objects.count(),
        "seats": Seat.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "decisions": Decision.objects.count(),
        "votes": Vote.objects.count(),
        "milestones": Milestone.objects.count(),
        "interests": InterestDeclaration.objects.count(),
    }


def sample_rows() -> dict[str, list]:
    """Rows named by what they say, not by their ids (which differ from run to run)."""
    return {
        "memberships": list(
            Membership.objects.order_by(
                "committee__name", "seat__role", "start", "person_name"
            ).values_list("committee__name", "seat__role", "person_name", "start", "end")[:40]
        ),
        "milestones": list(
            Milestone.objects.order_by("due_date", "title", "status").values_list(
                "title", "due_date", "status"
            )[:40]
        ),
    }


def generated_then_undone(inspect, **options):
    """Generate, look with ``inspect``, then roll the dataset back."""
    seen = {}
    try:
        with transaction.atomic():
            seen["progress"] = generate(**options)
            seen.update(inspect())
            raise RolledBack
    except RolledBack:
        pass
    return seen


@pytest.fixture(scope="class")
def reference(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, lambda: run_command("import_ods")) as output:
        yield output


@pytest.mark.django_db
@pytest.mark.usefixtures("reference")
class TestGeneratedDataset:
    def test_counts_follow_the_scale_and_meet_each_systems_share(self):
        def look():
            return {"counts": counts()}

        small = generated_then_undone(look, scale=TINY)["counts"]
        large = generated_then_undone(look, scale=TINY * 4)["counts"]
        for scale, found in ((TINY, small), (TINY * 4, large)):
            share = quotas(scale, 48)
            assert found["milestones"] == share["milestones"] * SYSTEMS
            assert found["decisions"] >= share["decisions"] * SYSTEMS
            assert found["votes"] >= share["votes"] * SYSTEMS
            # Several holders per seat over the years, whatever the scale.
            assert found["memberships"] >= found["seats"] * 3
        assert 3.5 <= large["milestones"] / small["milestones"] <= 4.5
        assert 2 <= large["decisions"] / small["decisions"] <= 6
        assert 2 <= large["votes"] / small["votes"] <= 6

    def test_scale_one_asks_for_the_figures_of_the_issue(self):
        share = quotas(1.0, 48)
        for name, total in AT_SCALE_ONE.items():
            assert share[name] * 48 >= total * HEADROOM

    def test_same_seed_gives_the_same_dataset_and_another_seed_another(self):
        def look():
            return {"counts": counts(), "rows": sample_rows()}

        first = generated_then_undone(look, scale=TINY, seed=7)
        again = generated_then_undone(look, scale=TINY, seed=7)
        other = generated_then_undone(look, scale=TINY, seed=8)
        assert first["counts"] == again["counts"]
        assert first["rows"] == again["rows"]
        assert first["rows"] != other["rows"]

    def test_history_has_resignations_interims_vacancies_and_reports_progress(self):
        def look():
            memberships = Membership.objects.all()
            return {
                "reasons": set(memberships.values_list("end_reason", flat=True)),
                "statuses": set(memberships.values_list("status", flat=True)),
                "current": memberships.filter(end__isnull=True).count(),
                "earliest": min(memberships.values_list("start", flat=True)),
                "latest": max(
                    memberships.exclude(end=None).values_list("end", flat=True), default=None
                ),
                "vacant_now": Seat.objects.filter(abolished=None)
                .exclude(memberships__end=None)
                .count(),
            }

        seen = generated_then_undone(look, scale=TINY)
        assert {EndReason.RESIGNED, EndReason.TERM_EXPIRED} <= seen["reasons"]
        assert MembershipStatus.INTERIM in seen["statuses"]
        assert seen["current"] > 0
        assert seen["vacant_now"] > 0
        assert seen["earliest"] < datetime.date(2022, 7, 1)  # partnerships before the ICBs
        assert seen["latest"] <= HISTORY_END
        assert "memberships:" in seen["progress"]

    def test_every_icb_board_has_its_statutory_seats_and_compliance_runs_on_it(self):
        def look():
            boards = list(Committee.objects.filter(body__kind=BodyKind.ICB, kind="board"))
            as_of = datetime.date(2025, 6, 1)
            missing = {}
            for board in boards:
                seats = [
                    SeatSpec(
                        key=str(s.pk),
                        role=s.role,
                        voting=s.voting,
                        independence_required=s.independence_required,
                        is_chair=s.is_chair,
                    )
                    for s in board.seats.all()
                ]
                needed = seats_for(board_requirements(board.established), extra=seats)
                missing[board.pk] = len(needed) - len(seats)
            reports = compliance_many(committees=boards, as_of=as_of)
            holdings = compositions(committees=boards, as_of=as_of)
            return {
                "boards": len(boards),
                "missing": missing,
                "reports": {pk: len(r.findings) for pk, r in reports.items()},
                "filled": sum(1 for hs in holdings.values() for h in hs if h.membership),
                "committees": {
                    body: set(Committee.objects.filter(body_id=body).values_list("kind", flat=True))
                    for body in Body.objects.filter(kind=BodyKind.ICB).values_list("pk", flat=True)
                },
                "audit": Committee.objects.filter(name="Audit Committee").count(),
                "remuneration": Committee.objects.filter(name="Remuneration Committee").count(),
            }

        seen = generated_then_undone(look, scale=TINY)
        assert seen["boards"] == SYSTEMS
        assert set(seen["missing"].values()) == {0}
        assert set(seen["reports"]) == set(seen["missing"])
        assert all(count > 0 for count in seen["reports"].values())
        assert seen["filled"] > 0
        assert seen["audit"] == seen["remuneration"] == SYSTEMS  # R32
        for kinds in seen["committees"].values():
            assert CommitteeKind.BOARD in kinds and CommitteeKind.STATUTORY in kinds

    def test_audit_events_are_left_out_unless_asked_for_and_then_tagged(self):
        def look():
            event = MembershipEvent.objects.select_related("pgh_context").first()
            return {
                "context": event.pgh_context.metadata if event else None,
                "events": MembershipEvent.objects.count(),
            }

        audited = generated_then_undone(look, scale=TINY, seed=3, audit=True)
        assert audited["context"]["command"] == "generate_national"
        assert audited["context"]["seed"] == 3
        unaudited = generated_then_undone(look, scale=TINY)
        assert unaudited["events"] == 0

    def test_a_second_run_on_a_generated_database_is_refused(self):
        def look():
            before = counts()
            with pytest.raises(CommandError, match="already holds a national dataset"):
                generate(scale=TINY)
            return {"before": before, "after": counts()}

        seen = generated_then_undone(look, scale=TINY)
        assert seen["before"] == seen["after"]


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestRefusedOnDemoData:
    def test_the_demo_data_is_never_mixed_with_generated_data(self):
        before = counts()
        with pytest.raises(CommandError, match="already holds governance data"):
            generate(scale=TINY)
        assert counts() == before


@pytest.mark.django_db
def test_refused_without_the_reference_data():
    with pytest.raises(CommandError, match="import_ods"):
        generate(scale=TINY)
    assert Body.objects.count() == Seat.objects.count() == 0
