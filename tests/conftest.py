from contextlib import contextmanager

import pytest
from django.db import transaction


@pytest.fixture
def officer(django_user_model):
    """A staff user with every permission, for admin pages."""
    return django_user_model.objects.create_superuser("officer", "officer@example.nhs.uk", "pw")


@contextmanager
def shared_data(django_db_blocker, build):
    """Data built once for a whole module or class, rolled back when it is done.

    ``build`` runs inside an outer transaction that every test's own transaction nests
    in; whatever it returns is yielded to the fixture.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            result = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield result
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
