"""Serializer fields are built once per class and copied for each serializer
(``core.api.serializers.FieldsBuiltOnce``, issue 13): each serializer still has fields of
its own, bound to it and reading its own context."""

from types import SimpleNamespace

from decisions.api.serializers import DecisionSerializer
from memberships.api.serializers import MembershipSerializer, SeatSerializer


def walk(field):
    """A field and every field nested in it (a list's child, a nested serializer's)."""
    yield field
    for name in ("child", "child_relation"):
        child = field.__dict__.get(name)
        if child is not None:
            yield from walk(child)
    if hasattr(field, "_declared_fields"):
        for nested in field.fields.values():
            yield from walk(nested)


def test_each_serializer_has_fields_of_its_own_reading_its_own_context():
    first = DecisionSerializer(context={"access": "first"})
    second = DecisionSerializer(context={"access": "second"})

    mine, theirs = list(walk(first)), list(walk(second))

    assert len(mine) == len(theirs) > len(first.fields)
    assert not {id(field) for field in mine} & {id(field) for field in theirs}
    assert {field.context["access"] for field in mine} == {"first"}
    assert {field.context["access"] for field in theirs} == {"second"}
    assert all(field.root is first for field in mine)


def test_a_list_of_related_records_has_its_own_child_bound_to_it():
    fields = [SeatSerializer(context={}).fields, SeatSerializer(context={}).fields]
    lists = [f["nominating_organisations"] for f in fields]

    assert lists[0] is not lists[1]
    assert lists[0].child_relation is not lists[1].child_relation
    assert [field.child_relation.parent for field in lists] == lists


def test_a_record_being_changed_has_its_lifecycle_fields_read_only_and_a_new_one_not():
    """Two variants of a class's fields: a membership's end changes only by ending it."""
    new = MembershipSerializer(data={"end": None}).fields
    changed = MembershipSerializer(instance=SimpleNamespace(pk=1), data={}).fields
    again = MembershipSerializer(data={}).fields

    assert not new["end"].read_only
    assert changed["end"].read_only
    assert not again["end"].read_only
    assert changed["status_label"].read_only
