"""The apps depend one way, and import-linter holds them to it (``[tool.importlinter]`` in
pyproject.toml): ``ics_registry`` over ``publishing`` and ``demo``, over
``reorganisations``, over ``reminders``,
``decisions``, ``memberships``, ``committees``, ``bodies``, and ``core`` at the bottom.

The contracts are checked on the code as it is, and shown to fail on a copy of it with a
back-edge added, so a contract that could never fail would be caught too.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = CONFIG["root_packages"]


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path):
    """The project's packages and pyproject.toml, copied so a test may add a back-edge."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_every_app_is_in_the_contracts():
    from django.apps import apps

    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT) and "site-packages" not in config.path
    }
    assert ours <= set(PACKAGES)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_app_importing_a_later_app_breaks_the_layers_contract(copy_of_the_code):
    add_line(copy_of_the_code / "bodies" / "models.py", "from memberships import selectors")

    result = lint_imports(copy_of_the_code)

    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert "bodies.models -> memberships.selectors" in result.stdout


def test_a_lazy_import_in_core_breaks_the_foundation_contract(copy_of_the_code):
    add_line(
        copy_of_the_code / "core" / "dates.py",
        "def systems():\n    from bodies.models import IntegratedCareSystem\n\n"
        "    return IntegratedCareSystem.objects.all()",
    )

    result = lint_imports(copy_of_the_code)

    assert result.returncode == 1
    assert "core imports no app of ours BROKEN" in result.stdout
    assert "core.dates -> bodies.models" in result.stdout


def test_reminders_importing_reorganisations_breaks_the_layers_contract(copy_of_the_code):
    # Reorganisation plans sit above reminders: a plan generates milestones, not the reverse.
    add_line(copy_of_the_code / "reminders" / "models.py", "from reorganisations import plan")

    result = lint_imports(copy_of_the_code)

    assert result.returncode == 1
    assert "reminders.models -> reorganisations.plan" in result.stdout


def test_reorganisations_sit_between_publishing_and_reminders():
    layers = next(c for c in CONFIG["contracts"] if c["id"] == "layers")["layers"]
    (reorganisations,) = [layer for layer in layers if "reorganisations" in layer]
    assert layers.index("publishing | demo") < layers.index(reorganisations)
    assert layers.index(reorganisations) < layers.index("reminders")


def test_privacy_sits_above_every_app_holding_personal_data():
    """A person's erasure reaches their reminders, appointments, documents, declarations
    and memberships; the pages and the API assembly above call it."""
    layers = next(c for c in CONFIG["contracts"] if c["id"] == "layers")["layers"]
    (privacy,) = [layer for layer in layers if "privacy" in layer]
    assert layers.index("web") < layers.index(privacy) < layers.index("reminders")


def test_documents_sit_between_reminders_and_decisions():
    """Documents are approved by decisions and their reviews are reminded: reminders (and
    publishing, for the compliance report) read documents; documents read decisions."""
    layers = next(c for c in CONFIG["contracts"] if c["id"] == "layers")["layers"]
    (documents,) = [layer for layer in layers if "documents" in layer]
    assert layers.index("reminders") < layers.index(documents) < layers.index("decisions")


def test_appointments_sit_between_reminders_and_decisions():
    """Reminders read appointment rounds' deadlines; rounds appoint through memberships."""
    layers = next(c for c in CONFIG["contracts"] if c["id"] == "layers")["layers"]
    (appointments,) = [layer for layer in layers if "appointments" in layer]
    assert layers.index("reminders") < layers.index(appointments) < layers.index("decisions")
