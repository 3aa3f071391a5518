"""The demo's appointment round (issue 12): Somerset's vacant Healthwatch seat, with
Healthwatch Somerset's nominee, as ``manage.py load_demo`` loads it (demo/data/)."""

import datetime

import pytest

from appointments.models import AppointmentRound, Reason, Stage
from appointments.selectors import open_rounds_by_system
from tests.conftest import run_command
from tests.test_demo_data import load_broken, reference_data  # noqa: F401

D = datetime.date


@pytest.mark.usefixtures("loaded")
@pytest.mark.django_db
class TestAppointmentsDemo:
    def test_somerset_has_a_round_under_way_for_its_vacant_healthwatch_seat(self):
        (round,) = AppointmentRound.objects.select_related("seat", "lead", "ics")
        assert round.ics.code == "QSL"
        assert (round.seat.role, round.reason, round.stage) == (
            "healthwatch_representative",
            Reason.VACANCY,
            Stage.NOMINATING,
        )
        assert (round.opened_on, round.appointment_by) == (D(2026, 10, 5), D(2027, 1, 15))
        assert round.lead.family_name == "Brimble"
        # The seat was vacant when the round opened: its last holder resigned.
        assert not round.seat.memberships.filter(end__isnull=True).exists()

    def test_healthwatch_somerset_nominated_its_candidate_r4(self):
        round = AppointmentRound.objects.get()
        (nomination,) = round.nominations.select_related("organisation", "person")
        assert nomination.organisation.name.startswith("Healthwatch Somerset")
        assert [c.person for c in round.candidates.all()] == [nomination.person]

    def test_the_round_is_in_the_open_rounds_report(self):
        (rounds,) = open_rounds_by_system().values()
        assert [r.seat.role for r in rounds] == ["healthwatch_representative"]

    def test_loading_the_demo_again_changes_nothing(self, loaded):
        assert "appointment rounds: 1 created, 0 updated" in loaded
        assert "nominations: 1 created" in loaded and "candidates: 1 created" in loaded
        output = run_command("load_demo")
        assert AppointmentRound.objects.count() == 1
        assert "Demo data already loaded: nothing changed." in output


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_round_for_a_seat_key_that_does_not_exist_is_refused(tmp_path):
    message, line = load_broken(
        tmp_path, "appointments.yaml", "seat: som_healthwatch", "seat: som_healthwatc"
    )
    assert (
        f"appointments.yaml, line {line}: no seat with the key 'som_healthwatc' in system QSL "
        "(did you mean 'som_healthwatch'?)"
    ) in message
