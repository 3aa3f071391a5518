"""Who may erase a person: an officer of a system the person is part of.

A person belongs to the systems of the seats they hold or held, the meetings they are
recorded at, the appointment rounds they were nominated or a candidate in, and the
systems whose governance lead or milestones' owner they are. A person in none (just
recorded) may be erased by any officer, as any officer may complete their record
(``core.api.access.Access.administers_any``). Erasure also needs the permission to erase
a person (``memberships.erase_person``): it removes their personal data for good.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast

from appointments.models import Candidate, Nomination
from core.api.access import Access
from core.apps import project_apps
from core.urls_of import absolute_urls
from decisions.models import Attendance
from memberships.models import Membership, Person
from reminders.models import Milestone, SystemContacts

ERASE_PERMISSION = "memberships.erase_person"


def person_systems(person: Person) -> set[int]:
    """The ids of the systems ``person`` is part of (see the module), in one query."""
    parts = [
        Membership.objects.filter(person=person).values("ics_id"),
        Attendance.objects.filter(person=person).values("meeting__committee__ics_id"),
        Nomination.objects.filter(person=person).values("round__ics_id"),
        Candidate.objects.filter(person=person).values("round__ics_id"),
        SystemContacts.objects.filter(governance_lead=person).values("ics_id"),
        Milestone.objects.filter(owner=person).values("ics_id"),
    ]
    first, *rest = (part.order_by() for part in parts)
    return set(first.union(*rest).values_list("ics_id", flat=True))


def may_erase(access: Access, person: Person) -> bool:
    return access.may(ERASE_PERMISSION) and access.administers_any(
        person_systems(person), officer_if_none=True
    )


@dataclass(frozen=True)
class Mention:
    """A free-text field of a record that names the person, with the field's text."""

    model: type[models.Model]
    pk: object
    field: str
    text: str

    @property
    def label(self) -> str:
        meta = self.model._meta
        field = meta.get_field(self.field).verbose_name
        text = self.text if len(self.text) <= EXCERPT else self.text[: EXCERPT - 1] + "…"
        return f"{meta.verbose_name.capitalize()} {self.pk}, {field}: “{text}”"

    @property
    def url(self) -> str | None:
        if not hasattr(self.model, "get_absolute_url"):
            return None
        return absolute_urls(self.model)(self.pk)


# How much of a field's text a mention shows.
EXCERPT = 120

# Records the erasure rewrites itself (the e-mails and reminders kept for others lose the
# name when it goes), and the audit trail's events (redacted by the erasure).
REWRITTEN = {"reminders.OutboxEmail", "reminders.Reminder"}


def _text_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def _own_rows(model, person: Person) -> Q:
    """The rows of ``model`` that are the person's own (their declarations, their seats'
    memberships): the erasure deals with those itself."""
    own = [
        Q(**{field.name: person})
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Person
    ]
    return reduce(or_, own) if own else Q(pk__in=[])


def name_variants(person: Person) -> list[str]:
    """How free text may name the person: "Jane Smith", and "Dr Smith" with a title."""
    variants = [f"{person.given_name} {person.family_name}".strip()]
    if person.honorific_prefix:
        variants.append(f"{person.honorific_prefix} {person.family_name}")
    return [variant for variant in variants if len(variant) > 3]


def free_text_mentions(person: Person) -> list[Mention]:
    """The free-text fields of other records (titles, notes, descriptions, a paper's
    author or leads...) that name ``person``: the erasure does not rewrite what others
    wrote, so the officer reviews each. One query, however many (a union over every text
    field of every model of ours, reading the field's text with the record's id)."""
    variants = name_variants(person)
    if not variants:
        return []
    found = []
    for config in project_apps():
        for model in config.get_models():
            fields = _text_fields(model)
            label = model._meta.label
            if model is Person or label in REWRITTEN or hasattr(model, "pgh_tracked_model"):
                continue
            for name in fields:
                matches = reduce(or_, (Q(**{f"{name}__icontains": v}) for v in variants))
                found.append(
                    model.objects.filter(matches)
                    .exclude(_own_rows(model, person))
                    .order_by()
                    .values_list(
                        Value(label),
                        Value(name),
                        Cast("pk", TextField()),
                        Cast(name, TextField()),
                    )
                )
    if not found:
        return []
    first, *rest = found
    mentions = []
    for label, field, pk, text in first.union(*rest, all=True):
        model = apps.get_model(label)
        mentions.append(Mention(model, model._meta.pk.to_python(pk), field, text))
    return sorted(mentions, key=lambda m: (m.model._meta.label, m.pk, m.field))
