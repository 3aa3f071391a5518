"""Database building blocks shared by the apps: date ranges, lifecycles, composite keys."""

from django.contrib.postgres.fields import DateRangeField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.operations.base import Operation
from django.db.models import F, Func, Q, Value


class DateRange(Func):
    """``daterange(start, end, '[]')``: both ends inclusive, an open end runs for ever."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start, end, bounds="[]", **extra):
        super().__init__(start, end, Value(bounds), **extra)


def period_of(start_field: str = "start", end_field: str = "end") -> DateRange:
    return DateRange(F(start_field), F(end_field))


def end_not_before_start(start: str, end: str, *, name: str, message: str):
    """CHECK that an optional end date is on or after the start date (R23)."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=message,
    )


def reject_reversed_period(instance, start: str, end: str, message: str) -> None:
    """Report an end before the start on the end field, before any range constraint runs.

    PostgreSQL refuses to build a reversed DATERANGE, so without this the exclusion
    constraints' validation would fail with a DataError instead of the clear message.
    Django then skips every constraint that reads the field in error.
    """
    begins, ends = getattr(instance, start), getattr(instance, end)
    if begins is not None and ends is not None and ends < begins:
        raise ValidationError({end: message})


def in_force_on(as_of, start: str = "established", end: str = "abolished") -> Q:
    """Rows whose lifecycle covers ``as_of`` (start unknown counts as always-was)."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": as_of})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": as_of})
    )


class AddCompositeForeignKey(Operation):
    """A multi-column foreign key, which Django cannot declare on a model.

    Used to keep denormalised columns (a seat's committee, body and ICS) equal to the
    row they are copied from, so the database itself rejects a seat whose committee
    and body belong to different systems. ``ON UPDATE CASCADE`` carries a parent's
    change (say, a committee moved to another body) down to every copy.
    """

    reversible = True

    def __init__(self, model_name, name, columns, to_model, to_columns):
        self.model_name = model_name
        self.name = name
        self.columns = columns
        self.to_model = to_model
        self.to_columns = to_columns

    def state_forwards(self, app_label, state):
        pass

    def _tables(self, app_label, schema_editor, from_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        to_label, to_name = self.to_model.split(".")
        to_model = from_state.apps.get_model(to_label, to_name)
        return model._meta.db_table, to_model._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table, to_table = self._tables(app_label, schema_editor, from_state)
        q = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(self.name)} "
            f"FOREIGN KEY ({', '.join(map(q, self.columns))}) "
            f"REFERENCES {q(to_table)} ({', '.join(map(q, self.to_columns))}) "
            "ON UPDATE CASCADE ON DELETE NO ACTION"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table, _ = self._tables(app_label, schema_editor, from_state)
        q = schema_editor.quote_name
        schema_editor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(self.name)}")

    def describe(self):
        return f"Composite foreign key {self.name}"

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {
                "model_name": self.model_name,
                "name": self.name,
                "columns": self.columns,
                "to_model": self.to_model,
                "to_columns": self.to_columns,
            },
        )


def is_dated_link(through) -> bool:
    """Whether a many-to-many through model has a period (``start``/``end``, issue 11)."""
    names = {f.name for f in through._meta.get_fields()}
    return {"start", "end"} <= names


def prefetch_links_on(instances, *, field: str, as_of) -> None:
    """Make ``instance.<field>.all()`` give the targets linked on ``as_of`` for each of
    ``instances`` (one query), as ``prefetch_related`` would with every link."""
    instances = [i for i in instances]
    if not instances:
        return
    m2m = type(instances[0])._meta.get_field(field)
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{o[1:]}" if o.startswith("-") else f"{target}__{o}"
        for o in m2m.related_model._meta.ordering
    ]
    linked = {i.pk: [] for i in instances}
    # Ids, not instances: Django checks each instance of an ``__in`` list (issue 13: the
    # 26,000 seats of the national overview).
    # The targets as rows, each made into an instance once however many instances it is
    # linked to (issue 13: 26,000 seats nominated by a few hundred organisations), not a
    # link and a target instance per link.
    model = m2m.related_model
    fields = model._meta.concrete_fields
    names, key_at = [f.attname for f in fields], fields.index(model._meta.pk)
    targets = {}
    for source_id, *values in (
        through.objects.filter(
            in_force_on(as_of, "start", "end"), **{f"{source}_id__in": list(linked)}
        )
        .order_by(*ordering, "pk")
        .values_list(f"{source}_id", *(f"{target}__{f.name}" for f in fields))
    ):
        key = values[key_at]
        if key not in targets:
            targets[key] = model.from_db(through.objects.db, names, values)
        linked[source_id].append(targets[key])
    for instance in instances:
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        cache.pop(field, None)
        queryset = getattr(instance, field).all()
        queryset._result_cache = linked[instance.pk]
        queryset._prefetch_done = True
        cache[field] = queryset
