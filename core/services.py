"""Shared write path: validate, write atomically, turn database refusals into messages.

Every service in the apps saves through :func:`save_validated` so that the admin, the
HTML forms, the API and the management commands give the same clear message for the
same broken rule, whether Django's validation or PostgreSQL caught it first.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pghistory
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from core.db import in_force_on, is_dated_link
from core.models import ApiToken

# Multi-column foreign keys added by migrations (core.db.AddCompositeForeignKey) and
# constraint triggers: Django does not know them, so their messages live here.
COMPOSITE_KEY_MESSAGES = {
    "committees_committee_joint_bodies_of_joint_committee": "Only a joint committee has joint "
    "bodies, and its own body is not one of them.",
    "committees_committee_joint_committee_keeps_kind": "This committee has joint bodies: it "
    "stays a joint committee, and its body cannot be one of its joint bodies. Remove the joint "
    "bodies first.",
    "committees_committee_body_same_ics": "A committee belongs to the same system as its body.",
    "committees_committee_parent_same_ics": "A parent committee must belong to the same system.",
    "committees_seat_committee_body_same_ics": "A seat's committee and body must belong to the "
    "same system.",
    "memberships_membership_seat_committee_same_ics": "A membership's committee and system must "
    "be those of its seat.",
    "decisions_vote_decision_same_meeting": "A vote is cast by someone at the meeting of the "
    "decision.",
    "decisions_vote_attendance_same_meeting": "A vote is cast by someone at the meeting of the "
    "decision.",
    "reminders_milestone_body_same_ics": "The body must belong to the milestone's system.",
}


def constraint_messages() -> dict[str, str]:
    """Every named constraint in the project, with the message an officer should see."""
    messages = dict(COMPOSITE_KEY_MESSAGES)
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            messages[constraint.name] = str(constraint.get_violation_error_message())
    return messages


def integrity_error_message(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        message = constraint_messages().get(name)
        if message and "%(name)s" not in message:
            return message
    return f"The database refused this change: {getattr(diag, 'message_primary', None) or exc}"


@contextmanager
def database_errors_as_validation_errors() -> Iterator[None]:
    """Run a write in a savepoint; a constraint violation becomes a ValidationError."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError(integrity_error_message(exc)) from exc


def audit_context(by=None, **extra):
    """Attach who made a change (and why) to the audit events written inside it."""
    if by is not None and getattr(by, "pk", None) is not None:
        extra["user"] = by.pk
    return pghistory.context(**extra)


def save_validated(instance: models.Model, *, by=None, exclude=None) -> models.Model:
    """full_clean() then save, atomically, recording ``by`` in the audit trail."""
    instance.full_clean(exclude=exclude)
    with audit_context(by), database_errors_as_validation_errors():
        instance.save()
    return instance


# -- the plain update and delete most models' services call --------------------------------

_TODAY = object()  # record_update's default for links_from: the day of the change


def record_create(model, *, by=None, **fields) -> models.Model:
    """Create a ``model`` from ``fields`` (many-to-many fields included), validated.

    Dated links made with the record have no start: they are as old as it is."""
    many = {f.name for f in model._meta.many_to_many}
    links = {name: fields.pop(name) for name in list(fields) if name in many}
    instance = model(**fields)
    return record_update(instance, by=by, links_from=None, **links)


def set_links_on(instance: models.Model, name: str, targets, *, on) -> None:
    """Make ``targets`` the organisations (or systems) linked by ``name`` from ``on``.

    For a dated link (issue 11), a link running on ``on`` to a target no longer listed
    ends the day before (or is deleted if it had not started yet), and a target not linked
    on ``on`` gets a link from ``on``: the links of earlier dates stay, so compliance on
    those dates reads them. ``on=None`` (a new record) adds links with no start. An
    undated link table is simply set.
    """
    manager = getattr(instance, name)
    through = manager.through
    if not is_dated_link(through) or on is None:
        manager.set(targets)
        return
    field = instance._meta.get_field(name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    wanted = {t.pk if isinstance(t, models.Model) else t for t in targets}
    running = through.objects.filter(in_force_on(on, "start", "end"), **{source: instance})
    linked = set()
    for link in running:
        target_id = getattr(link, f"{target}_id")
        if target_id in wanted:
            linked.add(target_id)
        elif link.start is not None and link.start >= on:
            link.delete()
        else:
            link.end = on - datetime.timedelta(days=1)
            link.full_clean()
            link.save()
    for target_id in sorted(wanted - linked):
        link = through(**{source: instance, f"{target}_id": target_id, "start": on})
        link.full_clean()
        link.save()


def record_update(
    instance: models.Model, *, by=None, check=None, links_from=_TODAY, **changes
) -> models.Model:
    """Set ``changes`` (many-to-many fields included), validate and save, atomically: the
    shared part of the apps' ``<noun>_update`` services.

    ``check(instance)``, when given, runs the service's own rules on the changed record
    before it is saved (e.g. ``validate_vote``). A misspelt field is an error, not a silent
    attribute; a refused change leaves ``instance`` as it was, as well as the database.
    Dated links change from ``links_from`` (today unless given): :func:`set_links_on`.
    """
    for name in changes:
        instance._meta.get_field(name)
    many = {f.name for f in instance._meta.many_to_many}
    # A many-to-many field given as None is left as it is ("change only when given").
    links = {name: changes.pop(name) for name in list(changes) if name in many}
    links = {name: targets for name, targets in links.items() if targets is not None}
    previous = {name: getattr(instance, name) for name in changes}
    for name, value in changes.items():
        setattr(instance, name, value)
    try:
        if check is not None:
            check(instance)
        with transaction.atomic(), audit_context(by):
            save_validated(instance, by=by)
            if links:
                with database_errors_as_validation_errors():
                    on = timezone.localdate() if links_from is _TODAY else links_from
                    for name, targets in links.items():
                        set_links_on(instance, name, targets, on=on)
    except ValidationError:
        for name, value in previous.items():
            setattr(instance, name, value)
        raise
    return instance


def record_delete(instance: models.Model, *, by=None) -> None:
    """Delete ``instance``, audited. A row others still refer to raises Django's
    ProtectedError, which the admin and the API (409) explain."""
    with transaction.atomic(), audit_context(by):
        try:
            with transaction.atomic():
                instance.delete()
        except (models.ProtectedError, models.RestrictedError):
            raise
        except IntegrityError as exc:
            raise ValidationError(integrity_error_message(exc)) from exc


# -- API tokens ---------------------------------------------------------------------------

API_TOKEN_SCHEME = "icsr"


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, organisation, name: str, by=None, user=None, expires=None):
    """Issue a token to ``organisation``; returns ``(token, key)``.

    The key is returned here and nowhere else: only its SHA-256 hash and its prefix are
    stored, so whoever creates the token must hand the key over now.
    """
    prefix = secrets.token_hex(4)
    key = f"{API_TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        organisation=organisation,
        name=name,
        user=user,
        expires=expires,
        prefix=prefix,
        key_hash=api_token_hash(key),
        created_by=by if getattr(by, "pk", None) else None,
    )
    return save_validated(token, by=by), key


def api_token_revoke(*, token, by=None):
    """Revoke ``token`` from now on; requests carrying it get 401. Revoking twice is refused."""
    if token.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    return save_validated(token, by=by)
