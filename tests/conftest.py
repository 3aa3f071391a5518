from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction

from core.versioning import DERIVED_CACHE


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


def run_command(command: str, *args, **options) -> str:
    """Run a management command and return what it printed."""
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The reference data and the demo, loaded once for a class, rolled back after it.

    Yields what load_demo printed.
    """

    def build():
        run_command("import_ods")
        return run_command("load_demo")

    with shared_data(django_db_blocker, build) as output:
        yield output


@pytest.fixture(autouse=True)
def _derived_cache_cleared():
    """Results kept under the registry's version (the "derived" cache) start empty in each
    test: a test's writes are rolled back, so a later test reaches the same versions with
    other data."""
    caches[DERIVED_CACHE].clear()
    yield
