"""The audit trail of one record, worded for an officer.

Database triggers (django-pghistory) record every insert, update and delete of governance
data, whoever made it and however (admin, API, web pages, imports, SQL), with the user and
the URL of the request (``core.services.audit_context`` and the middleware). This module
reads those events back for one record and words them: who, when, which fields changed
from what to what, links added and removed. The admin's History page shows it;
:func:`word_events` words events of several models at once (the web pages' "recent
changes" of a system).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from pghistory.models import Event, MiddlewareEvents

from core.dates import en_gb

DATETIME_FORMAT = "j F Y, H:i"
EMPTY = "—"


def format_date(value: datetime.date | None) -> str:
    """A date as an officer writes it: ``1 July 2022``."""
    return en_gb(value) if value else EMPTY


@dataclass
class FieldChange:
    label: str
    before: str | None  # None for a value set on creation or a link added or removed
    after: str


@dataclass
class AuditEntry:
    when: datetime.datetime
    user: str | None
    action: str
    url: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    order: tuple = ()
    # What the event is about, for lists of events of many records (word_events).
    subject: str = ""
    kind: str = ""


ACTIONS = {
    "insert": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "add": "Link added",
    "remove": "Link removed",
}


class AuditTrail:
    """Reads one object's pghistory events and words them for an officer.

    Update events carry ``pgh_diff`` (``{column: [before, after]}``); creation events
    show the values set. Many-to-many links (e.g. a body's member organisations) are
    tracked on their through tables, which have no ``pgh_obj``; they are found by
    ``references()`` and shown as links added or removed.
    """

    def __init__(self, obj: models.Model | type[models.Model], *, related_to_name=lambda model: ()):
        # ``obj`` may be a model class: the trail then only words events given to it.
        self.obj = obj
        self.model = obj._meta.concrete_model
        # What each model's ``__str__`` follows, to name the rows an event points at in
        # one query per model (e.g. a seat's committee).
        self.related_to_name = related_to_name
        self.columns = {f.attname: f for f in self.model._meta.concrete_fields}
        self.links = {}
        throughs = {m2m.remote_field.through: m2m for m2m in self.model._meta.local_many_to_many}
        # The link table may be tracked directly or through a proxy of it.
        for event_model in apps.get_models():
            tracked = getattr(event_model, "pgh_tracked_model", None)
            m2m = throughs.get(tracked._meta.concrete_model) if tracked else None
            if m2m is not None and issubclass(event_model, Event):
                target = m2m.remote_field.through._meta.get_field(m2m.m2m_reverse_field_name())
                self.links[event_model._meta.label] = (m2m, target.attname)

    def entries(self) -> list[AuditEntry]:
        events = list(MiddlewareEvents.objects.tracks(self.obj))
        if self.links:
            events += MiddlewareEvents.objects.across(*self.links).references(self.obj)
        names = self._names(events)
        users = get_user_model()._default_manager.in_bulk(
            {e.user_id for e in events if e.user_id is not None}
        )
        entries = [self._entry(event, names, users) for event in events]
        # Events written in one transaction share a timestamp; their ids keep the order.
        entries.sort(key=lambda e: e.order, reverse=True)
        return entries

    def _entry(self, event, names, users) -> AuditEntry:
        user = users.get(event.user_id)
        entry = AuditEntry(
            when=event.pgh_created_at,
            user=user_label(user) if user else None,
            action=ACTIONS.get(event.pgh_label, capfirst(event.pgh_label)),
            url=event.url,
            order=(event.pgh_created_at, event.pgh_model in self.links, event.pgh_id),
        )
        if event.pgh_model in self.links:
            m2m, attname = self.links[event.pgh_model]
            target = (event.pgh_data or {}).get(attname)
            entry.changes.append(
                FieldChange(capfirst(m2m.verbose_name), None, self._display(m2m, target, names))
            )
        elif event.pgh_label == "update":
            for attname, column in self.columns.items():
                if attname in (event.pgh_diff or {}):
                    before, after = event.pgh_diff[attname]
                    entry.changes.append(
                        FieldChange(
                            capfirst(column.verbose_name),
                            self._display(column, before, names),
                            self._display(column, after, names),
                        )
                    )
        elif event.pgh_label == "insert":
            for attname, column in self.columns.items():
                value = (event.pgh_data or {}).get(attname)
                if column.primary_key or value in (None, ""):
                    continue
                label = capfirst(column.verbose_name)
                entry.changes.append(FieldChange(label, None, self._display(column, value, names)))
        return entry

    def _names(self, events) -> dict[tuple[type[models.Model], object], str]:
        """Every object an event points at, named in one query per model."""
        return name_rows(self._wanted(events), self.related_to_name)

    def _wanted(self, events) -> dict[type[models.Model], set]:
        """The primary keys each event points at, by model."""
        wanted = defaultdict(set)
        for event in events:
            if event.pgh_model in self.links:
                m2m, attname = self.links[event.pgh_model]
                values = {attname: (event.pgh_data or {}).get(attname)}
                relations = {attname: m2m}
            else:
                values = {k: v for k, (_, v) in (event.pgh_diff or {}).items()}
                values |= {k: b for k, (b, _) in (event.pgh_diff or {}).items() if b is not None}
                if event.pgh_label == "insert":
                    values |= event.pgh_data or {}
                relations = self.columns
            for attname, value in values.items():
                column = relations.get(attname)
                if column is not None and column.is_relation and value is not None:
                    wanted[column.related_model].add(value)
        return wanted

    @staticmethod
    def _display(column, value, names) -> str:
        if value is None or value == "":
            return EMPTY
        if column.is_relation:
            return names.get(
                (column.related_model, value),
                f"{capfirst(column.related_model._meta.verbose_name)} {value} (since deleted)",
            )
        if column.flatchoices:
            return str(dict(column.flatchoices).get(value, value))
        if isinstance(column, models.BooleanField):
            return "Yes" if value else "No"
        if isinstance(column, models.DateTimeField):
            moment = parse_datetime(value)
            if moment is None:
                return str(value)
            return dateformat.format(timezone.localtime(moment), DATETIME_FORMAT)
        if isinstance(column, models.DateField):
            return format_date(datetime.date.fromisoformat(value))
        return str(value)


def name_rows(wanted, related_to_name) -> dict[tuple[type[models.Model], object], str]:
    """``{(model, pk): str(row)}`` for the rows wanted, in one query per model."""
    names = {}
    for model, pks in wanted.items():
        queryset = model._default_manager.select_related(*related_to_name(model))
        for pk, obj in queryset.in_bulk(pks).items():
            names[model, pk] = str(obj)
    return names


def event_models_of(model: type[models.Model]) -> list[type[Event]]:
    """The pghistory event models that record ``model``'s changes."""
    return [
        event_model
        for event_model in apps.get_models()
        if issubclass(event_model, Event)
        and getattr(event_model, "pgh_tracked_model", None) is model._meta.concrete_model
    ]


def redact_events(model: type[models.Model], pks, **values) -> int:
    """Overwrite ``values`` in every audit event recorded for the rows ``pks`` of
    ``model`` (deleted rows included), and return how many events were changed.

    For erasing personal data (a person's right to erasure): the events keep who changed
    what and when, and the changes of other fields, but the erased values are no longer
    readable in them, nor in the before/after of any later change (computed from the
    events' values).
    """
    changed = 0
    for event_model in event_models_of(model):
        changed += event_model.objects.filter(pgh_obj_id__in=list(pks)).update(**values)
    return changed


SNAPSHOT_NAMES = ("name", "person_name", "title")


def word_events(events, *, related_to_name=lambda model: ()) -> list[AuditEntry]:
    """Events of any tracked models (e.g. a system's latest changes), each worded with
    what it is about (``subject``: the record's name, or its name when deleted) and what
    kind of record that is, in the order given.

    A fixed number of queries, however many events: the users, one per model of the
    records the events are about, and one per model their fields point at.
    """
    events = list(events)
    trails, wanted, subjects = {}, defaultdict(set), defaultdict(set)
    for event in events:
        tracked = apps.get_model(event.pgh_model).pgh_tracked_model._meta.concrete_model
        trail = trails.get(tracked)
        if trail is None:
            trail = trails[tracked] = AuditTrail(tracked, related_to_name=related_to_name)
        for model, pks in trail._wanted([event]).items():
            wanted[model] |= pks
        if event.pgh_obj_id is not None:
            subjects[tracked].add(tracked._meta.pk.to_python(event.pgh_obj_id))
    for model, pks in subjects.items():
        wanted[model] |= pks
    names = name_rows(wanted, related_to_name)
    users = get_user_model()._default_manager.in_bulk(
        {e.user_id for e in events if e.user_id is not None}
    )
    entries = []
    for event in events:
        tracked = apps.get_model(event.pgh_model).pgh_tracked_model._meta.concrete_model
        entry = trails[tracked]._entry(event, names, users)
        pk = tracked._meta.pk.to_python(event.pgh_obj_id) if event.pgh_obj_id else None
        snapshot = event.pgh_data or {}
        entry.kind = capfirst(tracked._meta.verbose_name)
        entry.subject = names.get((tracked, pk)) or next(
            (str(snapshot[key]) for key in SNAPSHOT_NAMES if snapshot.get(key)),
            f"{entry.kind} {pk} (since deleted)",
        )
        entries.append(entry)
    return entries


def user_label(user) -> str:
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()
