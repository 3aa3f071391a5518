"""Which service writes each model: the one table the admin and the API both read.

Services are the only writers. Each app declares, next to its services, the service that
creates, updates and deletes each of its models, and its *lifecycle fields*: fields that
change only through an action because the action does more than set the field (ending a
membership records its reason; abolishing a seat ends its holder's membership). The API's
generic PUT/PATCH/DELETE and the admin's save and delete call these services, and refuse
a generic change of a lifecycle field, naming the action to use instead.

    writes(
        Membership,
        create=membership_start,
        update=membership_update,
        delete=record_delete,
        lifecycle={"end": "end", "end_reason": "end"},
    )

An update service is called as ``<noun>_update(<noun>=instance, by=user, **changes)`` and
a delete service as ``<noun>_delete(<noun>=instance, by=user)``, where ``<noun>`` is the
model's name in snake case (``interest_declaration``). A model with no delete service
cannot be deleted through the admin or the API.

A write with no rule of its own beyond the model's validation and constraints is declared
as the plain one, ``core.services.record_create``, ``record_update`` or ``record_delete``,
rather than through a ``<noun>_<verb>`` service that only calls it:

    writes(ReminderPolicy, create=record_create, update=record_update, delete=record_delete)

One writer is not a service: ``manage.py import_registry`` (``core.registry_export``)
restores an export, putting back the rows services once wrote exactly as they were, with
their audit trail, into an empty database. Running the services again would apply today's
rules to history and record a second trail. It is declared once, as :data:`RESTORE_WRITER`,
and writes only the models ``core.registry_export.exported_models()`` lists.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

from core.models import ApiToken
from core.services import record_create, record_delete, record_update


def noun_of(model) -> str:
    """``InterestDeclaration`` -> ``interest_declaration``: the name services use."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


@dataclass(frozen=True)
class Writes:
    model: type[models.Model]
    create: Callable | None = None
    update: Callable | None = None
    delete: Callable | None = None
    # Lifecycle field -> the action (API action, admin action) that changes it.
    lifecycle: Mapping[str, str] = field(default_factory=dict)

    @property
    def noun(self) -> str:
        return noun_of(self.model)

    def do_create(self, *, by=None, **fields):
        if self.create is None:
            raise ValidationError(f"A {self.model._meta.verbose_name} cannot be added here.")
        if self.create is record_create:
            return record_create(self.model, by=by, **fields)
        return self.create(by=by, **fields)

    def do_update(self, instance, *, by=None, **changes):
        if self.update is None:
            raise ValidationError(f"A {self.model._meta.verbose_name} cannot be changed here.")
        if self.update is record_update:
            return record_update(instance, by=by, **changes)
        return self.update(**{self.noun: instance}, by=by, **changes)

    def do_delete(self, instance, *, by=None) -> None:
        if self.delete is None:
            raise ValidationError(f"A {self.model._meta.verbose_name} cannot be deleted.")
        if self.delete is record_delete:
            record_delete(instance, by=by)
            return
        self.delete(**{self.noun: instance}, by=by)

    def lifecycle_message(self, name: str) -> str:
        action = self.lifecycle[name]
        return (
            f"This changes only through the '{action}' action, which does more than set "
            f"the field: use POST .../{action}/ (or the admin's '{action}' action)."
        )


_WRITES: dict[type[models.Model], Writes] = {}

# The documented exception to "services are the only writers" (see the module's notes).
RESTORE_WRITER = "core.registry_export.import_registry"


def writes(model, **declared) -> Writes:
    """Declare the services that write ``model`` (see the module docstring)."""
    entry = Writes(model=model, **declared)
    _WRITES[model] = entry
    return entry


def writes_for(model) -> Writes:
    """The services of ``model``; a model without them may not be written at all."""
    model = (getattr(model, "_meta", None) and model._meta.concrete_model) or model
    try:
        return _WRITES[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"No services are declared for {model.__name__}: declare them with "
            "core.writes.writes() next to the app's services."
        ) from None


def declared_models() -> set[type[models.Model]]:
    return set(_WRITES)


# core's own model. Tokens are issued by core.services.api_token_create, which hands the key
# over once; renaming one or changing its expiry is the plain update.
writes(ApiToken, update=record_update, lifecycle={"revoked_at": "revoke"})
