"""Writes for organisations.

Bodies are created by ``committees.services.body_create``: every body is created with its
board, a committee.
"""

from django.db import transaction

from bodies.models import (
    BodyConvenorLink,
    BodyMemberLink,
    BodySuccession,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    Organisation,
    OrganisationSuccession,
    OrganisationSystemLink,
    Region,
    SystemSuccession,
)
from core.services import (
    audit_context,
    database_errors_as_validation_errors,
    record_create,
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


# An organisation recorded by mistake is deleted; one that is referred to is refused.
writes(Organisation, create=organisation_create, update=organisation_update, delete=record_delete)
# Regions and systems are national reference data (manage.py import_ods): corrected, never
# added or removed by hand.
writes(Region, update=record_update)
writes(IntegratedCareSystem, update=record_update)
# Reorganisation (R30): who followed whom, and which ICBs share posts in a cluster.
for model in (SystemSuccession, BodySuccession, OrganisationSuccession, Cluster, ClusterMember):
    writes(model, create=record_create, update=record_update, delete=record_delete)
# Dated links (issue 11): an officer adds a link from a date, ends it on its last day, or
# deletes one recorded by mistake; compliance on a date reads the links then in force.
for model in (OrganisationSystemLink, BodyMemberLink, BodyConvenorLink):
    writes(model, create=record_create, update=record_update, delete=record_delete)
