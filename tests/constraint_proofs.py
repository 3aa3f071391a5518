"""The one mechanism behind the ``tests/test_constraints*.py`` files.

``@proves`` and ``@explains`` record which named constraint each test covers and check
that the test really saw that constraint refuse something: PostgreSQL by the constraint's
name (``refused_by``), or an officer's message that is the constraint's own
(``refused_with_message_of``). :func:`database_constraints` asks the models and the
database for every named constraint of every app of ours, for the completeness test in
``tests/test_constraints.py`` to compare with what the decorators recorded.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import AppConfig
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from core import versioning
from core.apps import project_apps
from core.services import constraint_messages

PROVED: set[str] = set()
EXPLAINED: set[str] = set()
_refusals: list[tuple[str, str]] = []


def _covers(registry: set[str], how: str, constraint: str):
    def decorate(test):
        registry.add(constraint)

        @functools.wraps(test)
        def run(*args, **kwargs):
            _refusals.clear()
            test(*args, **kwargs)
            assert (how, constraint) in _refusals, f"{constraint} never refused anything here"

        return run

    return decorate


def proves(constraint: str):
    """The test shows PostgreSQL refusing a row by ``constraint``."""
    return _covers(PROVED, "database", constraint)


def explains(constraint: str):
    """The test shows an officer getting ``constraint``'s message."""
    return _covers(EXPLAINED, "message", constraint)


def _constraint_name(exc: IntegrityError) -> str | None:
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)


@contextmanager
def refused_by(constraint: str) -> Iterator[None]:
    """PostgreSQL refuses what runs inside, and by ``constraint``, not some other rule."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    assert _constraint_name(excinfo.value) == constraint
    _refusals.append(("database", constraint))


@contextmanager
def refused_with_message_of(constraint: str) -> Iterator[None]:
    """What runs inside raises a ValidationError carrying ``constraint``'s own message.

    When the message comes from a database refusal (the shared write path), it must be
    ``constraint`` that refused: two constraints may share one message.
    """
    message = constraint_messages()[constraint]
    assert "%(name)s" not in message, f"{constraint} has no message for officers"
    with pytest.raises(ValidationError) as excinfo:
        yield
    assert message in excinfo.value.messages
    if isinstance(excinfo.value.__cause__, IntegrityError):
        assert _constraint_name(excinfo.value.__cause__) == constraint
    _refusals.append(("message", constraint))


# -- what there is to prove ---------------------------------------------------------------


def our_apps() -> list[AppConfig]:
    """The installed apps whose code lives in this repository (not a dependency's)."""
    return project_apps()


def _models() -> list[type[models.Model]]:
    return [model for app in our_apps() for model in app.get_models(include_auto_created=True)]


def _includes_primary_key(model: type[models.Model], constraint) -> bool:
    return (
        isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is None
        and model._meta.pk.name in constraint.fields
    )


def unbreakable_keys() -> set[str]:
    """Unique keys that include the primary key, so that no row can break them.

    They are there as targets of the composite foreign keys, which are proved instead.
    """
    return {
        constraint.name
        for model in _models()
        for constraint in model._meta.constraints
        if _includes_primary_key(model, constraint)
    }


def foreign_key_targets(keys: set[str]) -> set[str]:
    """Those of ``keys`` that some foreign key references (through the key's index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT target.conname FROM pg_constraint target "
            "WHERE target.conname = ANY(%s) AND EXISTS ("
            "SELECT 1 FROM pg_constraint fk WHERE fk.contype = 'f' "
            "AND fk.conindid = target.conindid)",
            [sorted(keys)],
        )
        return {name for (name,) in cursor.fetchall()}


def database_constraints() -> set[str]:
    """Every named constraint on our apps' tables: those the models declare (check,
    unique, exclusion), and those migrations add that Django does not know (multi-column
    foreign keys from ``core.db.AddCompositeForeignKey``, constraint triggers)."""
    declared = {constraint.name for model in _models() for constraint in model._meta.constraints}
    tables = [model._meta.db_table for model in _models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint "
            "WHERE ((contype = 'f' AND cardinality(conkey) > 1) OR contype = 't') "
            "AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        added_by_migrations = {name for (name,) in cursor.fetchall()}
    # The registry version's trigger (core.versioning) counts commits; it refuses nothing,
    # and tests/test_registry_version.py proves it on every table.
    return (declared | added_by_migrations) - {versioning.TRIGGER}
