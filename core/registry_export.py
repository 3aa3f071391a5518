"""Export the whole registry to one JSON file and restore it into an empty database.

``manage.py export_registry`` and ``manage.py import_registry`` (issue 14, data safety).
The rows are written and read by Django's own serializers (the "python" serializer, whose
output the standard library's ``json`` writes with ``DjangoJSONEncoder``, exactly as
``dumpdata --format json`` does), so every field type is handled once, by Django.

**The file** is one JSON object::

    {"format": "ics-registry-export", "format_version": 1,
     "exported_at": "2026-11-30T09:00:00+00:00",
     "registry_version": 1234,
     "migrations": {"bodies": "0008_...", ...},
     "models": [{"model": "bodies.region", "rows": [{"pk": 1, "fields": {...}}, ...],
                 "count": 9}, ...]}

``migrations`` is the latest applied migration of every app: a file is restored only into
a database of the same schema. ``models`` come in dependency order (a row's foreign keys
point at rows of models before it, cycles aside: PostgreSQL checks Django's foreign keys
at commit), each closed by its ``count`` so a cut file is never taken for a short one.
Primary keys are kept, so the audit trail's references stay true. Content types and
permissions are written by natural key (``["bodies", "integratedcaresystem"]``): a database
migrated elsewhere numbers them differently.

**Which models.** Every concrete model of the project's apps (those in this repository),
with the auto-created tables of their many-to-many fields as models of their own (so the
link rows keep their ids, which the audit trail of links refers to), plus auth's users and
groups (with their permissions and groups), officers' two-step devices (django-otp's TOTP
devices), django-guardian's object permissions (who is an officer of which system) and
pghistory's contexts (who made each audited change). Left out:

- models that say ``registry_derived = "<why>"`` (``core.versioning``): what the registry
  derives from other rows, the stored decision outcomes and their stamps (rebuilt on
  :data:`registry_restored`) and the registry version (moved past the exported one);
- Django's content types and permissions (``migrate`` creates them; referenced by natural
  key), sessions (who is signed in), django-axes's sign-in logs, the admin's log of its own
  actions (the audit trail records every change) and Celery beat's schedules (settings of
  the running service, created by migration ``reminders 0002``).

Users are exported with their password hashes and two-step devices with their secret
keys, API tokens with the SHA-256 hash of their key (the key itself is never stored) and
calendar feeds with their token, so officers (with their authenticator apps), partners'
systems and subscribed calendars keep working after a restore: keep an export as safe as
the database. Documents' uploaded files are not in it, only their metadata
(name, size, link): back up the media storage beside it.

**Import** writes into an empty database, migrated to the same schema: one that holds no
row of any exported model but those ``migrate`` itself writes (models that say
``seeded_by_migration``, their audit events, and django-guardian's anonymous user), which the
import replaces with the exported ones. Everything happens in one transaction: a bad file
writes nothing. pghistory's audit triggers are switched off for the import only
(``pgtrigger.ignore``), because the trail is imported as it was; every other trigger and
constraint of the database checks the rows. Rows are inserted in batches as Django's own
``loaddata`` saves them (``raw``: no ``auto_now`` overwrites a recorded time), then the
sequences are moved past the imported keys, :data:`registry_restored` lets each app rebuild
what it derives from the rows (decisions: the stored outcomes) and the registry version is
moved past the exported one.

This is the one writer that is not a service (``core.writes``): a restore puts back rows
that services wrote, exactly as they were, and must not run their rules again on history.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO

import ijson
import pghistory.models
import pgtrigger
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.core.serializers import base as serializer_base
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.dispatch import Signal
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.conf import settings as guardian_settings
from guardian.models import GroupObjectPermission, UserObjectPermission
from pghistory.trigger import Event as EventTrigger

from core import versioning
from core.apps import project_apps

FORMAT = "ics-registry-export"
FORMAT_VERSION = 1
BATCH = 2000
# Referenced by natural key: ``migrate`` numbers them in each database.
NATURAL = (ContentType, Permission)
# Beside the project's apps: who may sign in and what they may do, and who made each
# audited change.
EXTRA_MODELS = (
    User,
    Group,
    UserObjectPermission,
    GroupObjectPermission,
    TOTPDevice,
    pghistory.models.Context,
)


# Sent inside the import's transaction once every row is in (arguments ``using`` and
# ``progress``): an app rebuilds what it derives from the rows and the export leaves out.
# Core names no later app; each connects its own receiver (decisions: the outcomes).
registry_restored = Signal()


class RestoreError(Exception):
    """The file cannot be restored here; the message says why, in an operator's words."""


Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


# -- which models, in which order ---------------------------------------------------------


def _with_link_tables(model) -> list:
    """The model and the auto-created tables of its many-to-many fields."""
    return [model] + [
        field.remote_field.through
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _eligible(model) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and not versioning.derived(model)


def exported_models() -> list[type[models.Model]]:
    """Every model the export holds, in dependency order (see the module's notes)."""
    candidates: list = []
    for model in EXTRA_MODELS:
        candidates.extend(_with_link_tables(model))
    for config in project_apps():
        for model in config.get_models():
            if _eligible(model):
                candidates.extend(_with_link_tables(model))
    for model in candidates:
        if model._meta.parents:
            raise NotImplementedError(f"{model._meta.label} inherits another table")
    return dependency_order(list(dict.fromkeys(candidates)))


def dependency_order(candidates: list) -> list:
    """Models before the models whose foreign keys point at them; in a cycle (none today)
    the earlier in ``candidates`` first."""
    chosen = set(candidates)
    needs = {
        model: {
            field.remote_field.model._meta.concrete_model
            for field in model._meta.concrete_fields
            if field.remote_field is not None
            and field.remote_field.model._meta.concrete_model in chosen
            and field.remote_field.model._meta.concrete_model is not model
        }
        for model in candidates
    }
    ordered: list = []
    done: set = set()
    while len(ordered) < len(candidates):
        ready = [m for m in candidates if m not in done and needs[m] <= done]
        batch = ready or [next(m for m in candidates if m not in done)]
        for model in batch:
            ordered.append(model)
            done.add(model)
    return ordered


def label_of(model) -> str:
    return model._meta.label_lower


def seeded(model) -> bool:
    """Rows ``migrate`` writes (built-in rule sets, checklists...), and their events."""
    if issubclass(model, pghistory.models.Event):
        model = model.pgh_tracked_model
    return bool(getattr(model, "seeded_by_migration", None))


# -- schema -------------------------------------------------------------------------------


def migration_state(using: str = "default") -> dict[str, str]:
    """The latest applied migration of each app (names joined when an app has two)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    latest: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        children = loader.graph.node_map[(app_label, name)].children
        if any(child.key in applied and child.key[0] == app_label for child in children):
            continue
        latest.setdefault(app_label, []).append(name)
    return {app: "+".join(names) for app, names in sorted(latest.items())}


# -- serializers ----------------------------------------------------------------------------


class _NaturalKeys:
    """Content types' and permissions' natural keys, read once (two queries)."""

    def __init__(self, using: str):
        types = {ct.pk: ct for ct in ContentType.objects.db_manager(using).all()}
        self.to_key = {ContentType: {pk: list(ct.natural_key()) for pk, ct in types.items()}}
        self.to_key[Permission] = {
            pk: [codename, *self.to_key[ContentType][ct_id]]
            for pk, codename, ct_id in Permission.objects.db_manager(using).values_list(
                "pk", "codename", "content_type_id"
            )
        }
        self.to_pk = {
            model: {tuple(key): pk for pk, key in keys.items()}
            for model, keys in self.to_key.items()
        }


class RowSerializer(PythonSerializer):
    """Django's python serializer, with natural keys for content types and permissions
    only (looked up in a dict, not a query per row) and primary keys for the rest."""

    def __init__(self, natural: _NaturalKeys):
        super().__init__()
        self.natural = natural

    def handle_fk_field(self, obj, field):
        target = field.remote_field.model
        if target in NATURAL:
            value = getattr(obj, field.attname)
            self._current[field.name] = (
                None if value is None else self.natural.to_key[target][value]
            )
        else:
            super().handle_fk_field(obj, field)


class RowDeserializer(PythonDeserializer):
    """Django's python deserializer, reading the natural keys ``RowSerializer`` writes."""

    def __init__(self, object_list, *, natural: _NaturalKeys, **options):
        super().__init__(object_list, **options)
        self.natural = natural

    def _handle_fk_field_node(self, field, field_value):
        target = field.remote_field.model
        if target in NATURAL and field_value is not None:
            try:
                return self.natural.to_pk[target][tuple(field_value)]
            except (KeyError, TypeError):
                raise serializer_base.DeserializationError(
                    f"no {target._meta.verbose_name} {field_value!r} in this database"
                ) from None
        return super()._handle_fk_field_node(field, field_value)


def _own_fields(model) -> list[str]:
    """The fields serialized: every local field (many-to-many links are tables of their
    own here)."""
    return [field.name for field in model._meta.local_fields]


# -- export ---------------------------------------------------------------------------------


def export_registry(out: IO[str], *, using: str = "default", progress: Progress = _silent) -> dict:
    """Write the export to ``out`` (text), a batch of rows at a time; returns the rows
    written per model. Read in one snapshot (REPEATABLE READ, read only) unless called
    inside a transaction, whose snapshot it then reads."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    counts: dict[str, int] = {}
    with transaction.atomic(using=using):
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "registry_version": versioning.registry_version(using),
            "migrations": migration_state(using),
        }
        natural = _NaturalKeys(using)
        text = json.dumps(header, indent=1)
        out.write(text[: text.rindex("}")].rstrip() + ',\n "models": [')
        for index, model in enumerate(exported_models()):
            label = label_of(model)
            out.write(("," if index else "") + f'\n  {{"model": {json.dumps(label)}, "rows": [')
            count = 0
            for rows in _batches(model, using):
                for row in RowSerializer(natural).serialize(rows, fields=_own_fields(model)):
                    del row["model"]
                    out.write(("," if count else "") + "\n   ")
                    out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
                    count += 1
                progress(f"{label}: {count} rows")
            out.write(f'\n  ], "count": {count}}}')
            counts[label] = count
        out.write("\n ]\n}\n")
    return counts


def _batches(model, using: str) -> Iterator[list]:
    """The model's rows by primary key, ``BATCH`` at a time (keyset pagination: memory
    stays flat however large the table)."""
    queryset = model._base_manager.using(using).order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


# -- import ---------------------------------------------------------------------------------


def audit_trigger_uris() -> list[str]:
    """pghistory's triggers: switched off while the trail is imported as it was."""
    return [
        f"{model._meta.label}:{trigger.name}"
        for model, trigger in pgtrigger.registered()
        if isinstance(trigger, EventTrigger)
    ]


def import_registry(
    stream: IO[bytes], *, using: str = "default", progress: Progress = _silent
) -> dict[str, int]:
    """Restore an export (a binary stream) into this empty database, all or nothing;
    returns the rows written per model. Raises :class:`RestoreError` saying why when it
    cannot, having written nothing."""
    reader = ExportReader(stream)
    try:
        header = reader.header()
        check_header(header, using)
        counts: dict[str, int] = {}
        with transaction.atomic(using=using):
            check_empty(using)
            importable = {label_of(model): model for model in exported_models()}
            with pgtrigger.ignore(*audit_trigger_uris(), databases=[using]):
                _clear_seeded(using)
                natural = _NaturalKeys(using)
                for label, rows in reader.sections():
                    if label not in importable:
                        raise RestoreError(
                            f"The export holds rows of {label!r}, which this registry does not "
                            "restore. Nothing was written."
                        )
                    counts[label] = _load(importable[label], rows, using, natural, progress)
                reader.finish()
            _reset_sequences(using, [importable[label] for label in counts])
            registry_restored.send(sender=import_registry, using=using, progress=progress)
            versioning.advance_past(header.get("registry_version") or 0, using=using)
    except ijson.JSONError as error:
        raise RestoreError(
            f"The file is not a complete JSON export: {error}. Is it cut short? "
            "Nothing was written."
        ) from None
    except (serializer_base.DeserializationError, FieldDoesNotExist) as error:
        raise RestoreError(f"A row cannot be read: {error}. Nothing was written.") from None
    except DatabaseError as error:
        raise RestoreError(
            f"The database refused a row: {str(error).strip()}. Nothing was written."
        ) from None
    return counts


class ExportReader:
    """Reads an export as a stream of parser events (ijson): the header, then each model's
    rows one at a time, so a national registry is never held in memory."""

    def __init__(self, stream: IO[bytes]):
        self.events = ijson.parse(stream, use_float=True)
        self.loaded = 0

    def _next(self):
        try:
            return next(self.events)
        except StopIteration:
            raise RestoreError("The file ends too early: is it cut short?") from None

    def _value(self, first=None):
        """The next whole value (a scalar, or an object or array with all it holds)."""
        builder = ijson.ObjectBuilder()
        depth = 0
        while True:
            _prefix, event, value = first or self._next()
            first = None
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            if depth == 0:
                return builder.value

    def header(self) -> dict:
        """Every top-level value before ``models``."""
        if self._next()[:2] != ("", "start_map"):
            raise RestoreError("This file is not a registry export (not a JSON object).")
        header: dict = {}
        while True:
            prefix, event, value = self._next()
            if prefix == "" and event == "map_key":
                if value == "models":
                    return header
                header[value] = self._value()
            else:
                raise RestoreError(
                    "This file is not a registry export: it has no 'models' after its header."
                )

    def sections(self) -> Iterator[tuple[str, Iterator[dict]]]:
        """Each model's label and its rows; a model's ``count`` is checked against the
        rows read, so a file missing rows is refused."""
        if self._next()[1] != "start_array":
            raise RestoreError("The export's 'models' is not a list.")
        while True:
            _prefix, event, _value = self._next()
            if event == "end_array":
                return
            if event != "start_map":
                raise RestoreError("An entry of the export's 'models' is not an object.")
            label, count = None, None
            while True:
                _prefix, event, key = self._next()
                if event == "end_map":
                    break
                if key == "model":
                    label = self._value()
                elif key == "rows":
                    if label is None:
                        raise RestoreError("A model's rows come before its name in the file.")
                    self.loaded = 0
                    yield label, self._rows()
                elif key == "count":
                    count = self._value()
                else:
                    self._value()
            if label is None or count != self.loaded:
                raise RestoreError(
                    f"The export says {label} has {count} rows, but it holds {self.loaded}: "
                    "the file is damaged. Nothing was written."
                )

    def _rows(self) -> Iterator[dict]:
        if self._next()[1] != "start_array":
            raise RestoreError("A model's rows are not a list.")
        while True:
            first = self._next()
            if first[1] == "end_array":
                return
            row = self._value(first)
            if not isinstance(row, dict) or "fields" not in row or "pk" not in row:
                raise RestoreError(f"A row is not an object with 'pk' and 'fields': {row!r:.200}")
            self.loaded += 1
            yield row

    def finish(self) -> None:
        """Read to the end: a file cut after its last model is refused too."""
        for _event in self.events:
            pass


def check_header(header: dict, using: str = "default") -> None:
    if header.get("format") != FORMAT:
        raise RestoreError(
            f"This file is not a registry export: its format is {header.get('format')!r}, "
            f"not {FORMAT!r}. Nothing was written."
        )
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        raise RestoreError(
            f"This export is in format version {version!r}; this version of the registry "
            f"reads format version {FORMAT_VERSION} only. Nothing was written."
        )
    theirs, ours = header.get("migrations") or {}, migration_state(using)
    if theirs != ours:
        differing = sorted(
            f"{app} (export: {theirs.get(app, 'none')}, database: {ours.get(app, 'none')})"
            for app in set(theirs) | set(ours)
            if theirs.get(app) != ours.get(app)
        )
        raise RestoreError(
            "This export comes from a different schema than this database's: "
            + "; ".join(differing)
            + ". Migrate this database to the export's version of the registry, or export "
            "again from a registry at this version. Nothing was written."
        )


def check_empty(using: str = "default") -> None:
    """Refuse a database holding anything but what ``migrate`` writes."""
    anonymous = guardian_settings.ANONYMOUS_USER_NAME
    held = [
        label_of(model)
        for model in exported_models()
        if not seeded(model)
        and (
            model._base_manager.using(using).exclude(username=anonymous)
            if model is User
            else model._base_manager.using(using)
        ).exists()
    ]
    if held:
        raise RestoreError(
            "The database is not empty: it holds rows of "
            + ", ".join(held[:10])
            + (f" and {len(held) - 10} more models" if len(held) > 10 else "")
            + ". Restore into a newly migrated database. Nothing was written."
        )


def _clear_seeded(using: str) -> None:
    """What ``migrate`` wrote (built-in rule sets, checklists, guardian's anonymous user)
    makes way for the exported rows, which hold them as the source had them."""
    for model in reversed(exported_models()):
        if seeded(model):
            model._base_manager.using(using).all()._raw_delete(using)
    User._base_manager.using(using).all()._raw_delete(using)


def _load(model, rows: Iterable[dict], using: str, natural: _NaturalKeys, progress) -> int:
    """Insert ``rows`` of ``model`` a batch at a time, as ``loaddata`` saves them (raw:
    the values are the exported ones, ``auto_now`` fields included).

    Neither public path fits: ``loaddata``'s ``DeserializedObject.save()`` costs a query
    or two per row, and ``bulk_create`` is not raw, so ``auto_now`` fields would take the
    import's time instead of the recorded one. Both end in ``Manager._insert``, called
    here with ``raw=True`` as ``save_base(raw=True)`` calls it."""
    label = label_of(model)
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    objects = (
        deserialized.object
        for deserialized in RowDeserializer(
            ({"model": label, **row} for row in rows), natural=natural, using=using
        )
    )
    count = 0
    batch: list = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == BATCH:
            model._base_manager._insert(batch, fields=fields, using=using, raw=True)
            count += len(batch)
            batch = []
            progress(f"{label}: {count} rows")
    if batch:
        model._base_manager._insert(batch, fields=fields, using=using, raw=True)
        count += len(batch)
    progress(f"{label}: {count} rows")
    return count


def _reset_sequences(using: str, restored: list) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
