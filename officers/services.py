"""Governance officers: the groups that make a user an officer, and of which systems.

An officer (``core.api.access``) is an active staff user who holds
``settings.REGISTRY_OFFICER_PERMISSION`` on a system through django-guardian, and the
model permissions to add, change and view governance records. Both come from groups:

- :data:`OFFICERS_GROUP` holds the model permissions, the same for every officer;
- one group per system (:func:`system_group_name`) holds the system permission on that
  system alone.

Granting a user a system adds them to both; revoking removes the system's group only.
Each function returns what it changed, so a caller (``manage.py officer``, the demo loader)
can report it and a second run changes nothing.
"""

from dataclasses import dataclass, field

import pghistory.models
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from guardian.shortcuts import assign_perm, get_perms

from bodies.models import IntegratedCareSystem, Region
from decisions.models import Attendance, Vote
from documents.models import DocumentVersion
from memberships.models import Person

OFFICERS_GROUP = "Governance officers"
# The apps whose records officers keep.
GOVERNANCE_APPS = (
    "bodies",
    "committees",
    "memberships",
    "decisions",
    "documents",
    "appointments",
    "reminders",
    "reorganisations",
)
# Reference data belongs to import_ods; officers change a system only where they hold
# the object permission on it.
REFERENCE_MODELS = (Region, IntegratedCareSystem)
# A draft document version recorded by mistake is deleted too (an approved one never is);
# deleting is how an officer corrects a mistaken vote or attendance (through its service).
CORRECTED_BY_DELETING = (Vote, Attendance, DocumentVersion)


def system_group_name(ics: IntegratedCareSystem) -> str:
    return f"Officers: {ics.name}"


@dataclass
class Changes:
    """What a call changed: group names created or updated, systems granted or revoked."""

    created_groups: list[str] = field(default_factory=list)
    updated_groups: list[str] = field(default_factory=list)
    granted: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    user_created: bool = False
    user_updated: bool = False

    def __bool__(self) -> bool:
        return any(
            (
                self.created_groups,
                self.updated_groups,
                self.granted,
                self.revoked,
                self.user_created,
                self.user_updated,
            )
        )


def officer_permissions() -> list[Permission]:
    """The model permissions every officer holds (through :data:`OFFICERS_GROUP`)."""
    wanted: list[tuple[type[models.Model], str]] = []
    for label in GOVERNANCE_APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, pghistory.models.Event) or model in REFERENCE_MODELS:
                actions = ("view",)
            else:
                deletable = ("delete",) if model in CORRECTED_BY_DELETING else ()
                actions = ("add", "change", "view", *deletable)
            wanted += [(model, action) for action in actions]
    wanted += [(model, "view") for model in apps.get_app_config("pghistory").get_models()]
    # A person's right to erasure (privacy.services.person_erase).
    wanted.append((Person, "erase"))
    content_types = ContentType.objects.get_for_models(
        *{model for model, _ in wanted}, for_concrete_models=False
    )
    permissions = {
        (p.content_type_id, p.codename): p
        for p in Permission.objects.filter(content_type__in=content_types.values())
    }
    result, missing = [], []
    for model, action in wanted:
        codename = f"{action}_{model._meta.model_name}"
        permission = permissions.get((content_types[model].pk, codename))
        if permission is None:
            missing.append(f"{model._meta.app_label}.{codename}")
        else:
            result.append(permission)
    if missing:
        raise ValidationError(
            f"Permissions {', '.join(missing)} do not exist: run manage.py migrate first."
        )
    return result


def officers_group(changes: Changes | None = None) -> Group:
    """The group of every officer, holding exactly :func:`officer_permissions`."""
    changes = changes if changes is not None else Changes()
    permissions = officer_permissions()
    group, created = Group.objects.get_or_create(name=OFFICERS_GROUP)
    if created:
        group.permissions.set(permissions)
        changes.created_groups.append(group.name)
    elif set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in permissions}:
        group.permissions.set(permissions)
        changes.updated_groups.append(group.name)
    return group


def system_officers_group(ics: IntegratedCareSystem, changes: Changes | None = None) -> Group:
    """The group holding the system permission on ``ics`` alone."""
    changes = changes if changes is not None else Changes()
    group, created = Group.objects.get_or_create(name=system_group_name(ics))
    permission = settings.REGISTRY_OFFICER_PERMISSION
    if permission.split(".")[1] not in get_perms(group, ics):
        assign_perm(permission, group, ics)
        if not created:
            changes.updated_groups.append(group.name)
    if created:
        changes.created_groups.append(group.name)
    return group


def systems_by_code(codes) -> list[IntegratedCareSystem]:
    """The systems of ``codes`` (ODS codes, any case), or a ValidationError naming the
    unknown ones."""
    wanted = {code.strip().upper() for code in codes}
    found = {ics.code.upper(): ics for ics in IntegratedCareSystem.objects.filter(code__in=wanted)}
    unknown = sorted(wanted - found.keys())
    if unknown:
        raise ValidationError(
            f"No integrated care system has the code {', '.join(unknown)} "
            "(manage.py import_ods loads them; codes are ODS codes such as QSL)."
        )
    return [found[code] for code in sorted(found)]


@transaction.atomic
def officer_grant(user, systems, changes: Changes | None = None) -> Changes:
    """Make ``user`` an officer of ``systems``: staff, active, in :data:`OFFICERS_GROUP`
    and in each system's group."""
    changes = changes if changes is not None else Changes()
    groups = [officers_group(changes)]
    groups += [system_officers_group(ics, changes) for ics in systems]
    if not (user.is_staff and user.is_active):
        user.is_staff = user.is_active = True
        user.save(update_fields=["is_staff", "is_active"])
        changes.user_updated = True
    held = set(user.groups.values_list("pk", flat=True))
    missing = [group for group in groups if group.pk not in held]
    user.groups.add(*missing)
    added = {group.name for group in missing}
    changes.granted += [ics.code for ics in systems if system_group_name(ics) in added]
    return changes


@transaction.atomic
def officer_revoke(user, systems) -> Changes:
    """Take ``systems`` from ``user`` (their groups); the user stays an officer of others."""
    changes = Changes()
    names = {system_group_name(ics): ics.code for ics in systems}
    held = user.groups.filter(name__in=names)
    changes.revoked = sorted(names[group.name] for group in held)
    user.groups.remove(*held)
    return changes


def officer_user(username: str, *, email: str = "", password=lambda: None, changes: Changes):
    """The user ``username``, created (staff, with the password ``password()`` gives, asked
    only then, or none usable) if missing; a ValidationError when the password is too weak
    (AUTH_PASSWORD_VALIDATORS)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        password = password()
        if password:
            validate_password(password, user_model(username=username, email=email))
        user = user_model.objects.create_user(
            username, email=email, password=password, is_staff=True
        )
        changes.user_created = True
    return user
