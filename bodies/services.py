"""Writes for organisations.

Bodies are created by ``committees.services.body_create``: every body is created with its
board, a committee.
"""

from django.db import transaction

from bodies.models import IntegratedCareSystem, Organisation, Region
from core.services import (
    audit_context,
    database_errors_as_validation_errors,
    record_delete,
    record_update,
    save_validated,
)
from core.writes import writes


def organisation_create(*, name: str, kind: str, by=None, systems=(), **fields) -> Organisation:
    """Record a legal entity (trust, council, CCG, ICB...) and the systems it serves."""
    organisation = Organisation(name=name, kind=kind, **fields)
    with transaction.atomic(), audit_context(by):
        save_validated(organisation, by=by)
        if systems:
            with database_errors_as_validation_errors():
                organisation.systems.set(systems)
    return organisation


def organisation_update(*, organisation: Organisation, by=None, **changes) -> Organisation:
    return record_update(organisation, by=by, **changes)


def organisation_delete(*, organisation: Organisation, by=None) -> None:
    """Delete an organisation recorded by mistake; one that is referred to is refused."""
    record_delete(organisation, by=by)


def region_update(*, region: Region, by=None, **changes) -> Region:
    return record_update(region, by=by, **changes)


def integrated_care_system_update(
    *, integrated_care_system: IntegratedCareSystem, by=None, **changes
) -> IntegratedCareSystem:
    return record_update(integrated_care_system, by=by, **changes)


# Regions and systems are national reference data (manage.py import_ods): corrected, never
# added or removed by hand.
writes(
    Organisation, create=organisation_create, update=organisation_update, delete=organisation_delete
)
writes(Region, update=region_update)
writes(IntegratedCareSystem, update=integrated_care_system_update)
