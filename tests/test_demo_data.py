"""The demo data files (``demo/data/``): an officer's mistake in one is reported with its
file and line by ``manage.py load_demo``, which then writes nothing.

Each test loads a copy of the shipped files with one mistake in it, from ``--data-dir``,
on top of the reference data (imported once for the module).
"""

import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError
from pghistory.models import Event

from bodies.models import Body, Organisation
from demo.reading import DATA_DIR, check_demo_data
from memberships.models import Person
from tests.conftest import run_command, shared_data


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, lambda: run_command("import_ods")):
        yield


def event_count() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if issubclass(model, Event) and not model._meta.proxy and model._meta.managed
    )


def database_state() -> tuple:
    return (
        Person.objects.count(),
        Body.objects.count(),
        Organisation.objects.count(),
        event_count(),
    )


def copy_of_the_data(tmp_path):
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    return directory


def mistake(directory, file: str, old: str, new: str) -> int:
    """Replace the first ``old`` in ``file`` by ``new``; the line it starts on."""
    path = directory / file
    text = path.read_text()
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def load_broken(tmp_path, file: str, old: str, new: str) -> tuple[str, int]:
    """Load a copy of the data with one mistake; return the refusal and the line of the
    mistake, once sure that nothing was written."""
    directory = copy_of_the_data(tmp_path)
    line = mistake(directory, file, old, new)
    before = database_state()
    with pytest.raises(CommandError) as refused:
        run_command("load_demo", data_dir=str(directory))
    assert database_state() == before
    return str(refused.value), line


def test_the_shipped_demo_data_has_no_problems():
    assert check_demo_data() == []


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
class TestMistakesInTheDataFiles:
    def test_text_that_is_not_yaml_names_its_file_and_line(self, tmp_path):
        message, line = load_broken(
            tmp_path,
            "people.yaml",
            "  family name: Penrose",
            "  family name: Penrose: chief executive",
        )
        assert f"people.yaml, line {line}: not valid YAML" in message
        assert "put text containing ': ' or ' #' in quotes" in message

    def test_an_unknown_key_is_named_with_the_key_it_resembles(self, tmp_path):
        message, line = load_broken(
            tmp_path, "systems/somerset.yaml", "nominated by: [RH5", "nominated: [RH5"
        )
        assert (
            f"systems/somerset.yaml, line {line}: unknown key 'nominated' in a seat "
            "(did you mean 'nominated by'?)"
        ) in message

    def test_an_unknown_role_is_named_with_the_known_ones(self, tmp_path):
        message, line = load_broken(
            tmp_path, "systems/dorset.yaml", "role: chair\n", "role: chiar\n"
        )
        assert (
            f"systems/dorset.yaml, line {line}: 'chiar' is not a known role "
            "(did you mean 'chair'?); use one of: chair, non_executive_member,"
        ) in message

    def test_an_unknown_end_reason_is_refused(self, tmp_path):
        message, line = load_broken(
            tmp_path, "systems/somerset.yaml", "end reason: resigned", "end reason: retired"
        )
        assert f"systems/somerset.yaml, line {line}: 'retired' is not a known end reason" in (
            message
        )

    def test_a_person_who_does_not_exist_is_refused(self, tmp_path):
        message, line = load_broken(
            tmp_path, "meetings.yaml", "apologies: [som_la_pm]", "apologies: [som_la_pmm]"
        )
        assert (
            f"meetings.yaml, line {line}: no person 'som_la_pmm' in people.yaml "
            "(did you mean 'som_la_pm'?)"
        ) in message

    def test_an_organisation_that_does_not_exist_is_refused(self, tmp_path):
        message, line = load_broken(
            tmp_path, "systems/dorset.yaml", "lead provider: RDY", "lead provider: RDZ"
        )
        assert f"systems/dorset.yaml, line {line}: no organisation 'RDZ' in organisations.yaml" in (
            message
        )

    def test_a_seat_that_follows_no_seat_is_refused(self, tmp_path):
        message, line = load_broken(
            tmp_path, "systems/bsw.yaml", "follows: bsw_ned_deputy", "follows: bsw_ned_depute"
        )
        assert (
            f"systems/bsw.yaml, line {line}: no seat has the key 'bsw_ned_depute' in this system"
        ) in message

    def test_a_day_that_does_not_exist_is_refused(self, tmp_path):
        message, line = load_broken(
            tmp_path, "register.yaml", "date: 2023-02-02", "date: 2023-02-30"
        )
        assert f"register.yaml, line {line}: '2023-02-30' is not a date" in message

    def test_a_date_written_in_words_asks_for_year_month_day(self, tmp_path):
        message, line = load_broken(
            tmp_path, "register.yaml", "date: 2023-02-02", "date: 2 February 2023"
        )
        assert (
            f"register.yaml, line {line}: '2 February 2023' is not a date: write "
            "year-month-day, e.g. 2022-07-01 for 1 July 2022"
        ) in message

    def test_a_missing_value_is_named_at_its_record(self, tmp_path):
        message, line = load_broken(
            tmp_path, "people.yaml", "som_ceo:\n  given name: Jessica\n", "som_ceo:\n"
        )
        assert f"people.yaml, line {line}: person som_ceo needs 'given name'" in message

    def test_every_mistake_is_reported_at_once_then_what_refers_to_nothing(self, tmp_path):
        directory = copy_of_the_data(tmp_path)
        unknown_owner = mistake(
            directory, "milestones.yaml", "owner: som_strategy", "owner: som_stratgy"
        )
        unknown_status = mistake(directory, "milestones.yaml", "status: at_risk", "status: at risk")
        bad_date = mistake(directory, "register.yaml", "start: 2012-04-01", "start: 2012-04")
        with pytest.raises(CommandError) as refused:
            run_command("load_demo", data_dir=str(directory))
        message = str(refused.value)
        assert message.startswith("The demo data has 2 problems:")
        assert f"milestones.yaml, line {unknown_status}: 'at risk' is not a known status" in (
            message
        )
        assert f"register.yaml, line {bad_date}: '2012-04' is not a date" in message

        mistake(directory, "milestones.yaml", "status: at risk", "status: at_risk")
        mistake(directory, "register.yaml", "start: 2012-04\n", "start: 2012-04-01\n")
        with pytest.raises(CommandError) as refused:
            run_command("load_demo", data_dir=str(directory))
        assert str(refused.value) == (
            f"milestones.yaml, line {unknown_owner}: no person 'som_stratgy' in people.yaml "
            "(did you mean 'som_strategy'?)"
        )

    def test_a_missing_file_is_named(self, tmp_path):
        directory = copy_of_the_data(tmp_path)
        (directory / "register.yaml").unlink()
        with pytest.raises(CommandError, match=r"register\.yaml: the file is missing"):
            run_command("load_demo", data_dir=str(directory))
