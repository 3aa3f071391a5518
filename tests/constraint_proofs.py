"""The one mechanism behind the ``tests/test_constraints*.py`` files.

``@proves`` and ``@explains`` record which named constraint each test covers and check
that the test really saw that constraint refuse something: PostgreSQL by the constraint's
name (``refused_by``), or an officer's message that is the constraint's own
(``refused_with_message_of``). The completeness test in ``tests/test_constraints.py``
compares what the decorators recorded with the constraints the database holds.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

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
