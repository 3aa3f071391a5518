"""Erasing a person's personal data (the right to erasure, UK GDPR article 17).

:func:`person_erase` removes what the registry holds about a person that the public
record does not need, in one audited transaction:

- **Always erased**: their work e-mail address and today's employer, the private notes on
  their register of interests, their reminder preferences, personal calendar feeds, the
  reminders and e-mails addressed to them (and their address wherever they were copied
  in), and the employments no seat of theirs needed.
- **The name** stays where the historical record needs it: the person held a seat, is
  recorded at a meeting (present, apologies or absent: official minutes are public
  record, and so are the votes cast there), declared a conflict of interest on an item,
  or approved an appointment. Otherwise it becomes "Erased person #<id>" (no title or
  post-nominals), in the record, in the e-mails still kept for other people, and in
  the audit trail.
- **Declarations**: the register entries of a person with a seat were published (R28)
  and stay, without their private notes; a register entry a conflict on an item points
  at was read out at the meeting and stays too. Any other entry, and the gifts and
  hospitality of a person who never held a seat, were never public: they are deleted.
- **Employment history**: compliance on past dates reads the employer of a seat holder
  (R2, R3), so the employments that overlap a seat are kept, ended no later than the last
  seat; the others are deleted, and their audit events no longer say which organisation
  employed the person, nor from when to when.

**The audit trail.** The erasure is audited like any change, its events carrying who
erased and why (``reason``) in their context. The person's earlier events, and those of
the rows deleted or changed, are redacted in the same transaction
(:func:`core.audit.redact_events`): they still say who changed what and when, but the
erased values (e-mail address, employer, private notes, the text of a private
declaration or gift, a calendar feed's label, and the name where it is not kept) are no
longer readable in them, nor in the before and after of any later change.

A person still in office, or named to receive the reminders of a role (a system's
governance lead, an open milestone's or a governance document's owner, the lead of an
open appointment round, a candidate still being considered) is not erased: the refusal
says what to change first.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Func, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from appointments.models import OPEN_STAGES, AppointmentRound, Approval, Candidate, Outcome
from core.audit import redact_events
from core.dates import en_gb
from core.services import audit_context, record_delete, save_validated
from decisions.models import (
    Attendance,
    ConflictDeclaration,
    GiftOrHospitality,
    InterestDeclaration,
)
from documents.models import GovernanceDocument
from memberships.models import Employment, Membership, Person
from memberships.rules import overlaps
from reminders.models import (
    OPEN_STATUSES,
    CalendarFeed,
    DeliveryPreference,
    Milestone,
    OutboxEmail,
    Reminder,
    SystemContacts,
)

ERASED_NAME = "Erased person"
ERASED_TEXT = "[erased]"
REASON_NEEDED = "Give the reason for the erasure (e.g. the data subject's request of 3 May 2026)."


def erased_name(person: Person) -> str:
    return f"{ERASED_NAME} #{person.pk}"


@dataclass(frozen=True)
class Erasure:
    """What :func:`person_erase` did, for the officer's confirmation."""

    person: Person
    name_kept_because: tuple[str, ...]
    declarations_deleted: int
    gifts_deleted: int
    employments_deleted: int
    emails_deleted: int

    @property
    def name_kept(self) -> bool:
        return bool(self.name_kept_because)


def record_needs_name(person: Person) -> tuple[str, ...]:
    """Why the public record needs the person's name (empty: it does not), in an
    officer's words."""
    reasons = []
    if Membership.objects.filter(person=person).exists():
        reasons.append("held a seat")
    if Attendance.objects.filter(person=person).exists():
        reasons.append("is recorded at a meeting (minutes and votes are public record)")
    if ConflictDeclaration.objects.filter(person=person).exists():
        reasons.append("declared a conflict of interest at a meeting")
    if Approval.objects.filter(agreed_by=person).exists():
        reasons.append("approved an appointment")
    return tuple(reasons)


def erasure_refusals(person: Person, *, today: datetime.date) -> list[str]:
    """What stops the person being erased today, each with what to do first."""
    if person.erased_at is not None:
        return [f"{person.name} was erased on {en_gb(timezone.localdate(person.erased_at))}."]
    refusals = []
    for membership in Membership.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today), person=person
    ).select_related("seat__committee"):
        refusals.append(
            f"{person.name} holds the seat {membership.seat.label} on "
            f"{membership.seat.committee.name} from {en_gb(membership.start)}: end the "
            "membership first."
        )
    for contacts in SystemContacts.objects.filter(governance_lead=person).select_related("ics"):
        refusals.append(
            f"{person.name} is the governance lead of {contacts.ics.name}: name another first."
        )
    open_milestones = Milestone.objects.filter(owner=person, status__in=OPEN_STATUSES)
    if count := open_milestones.count():
        refusals.append(
            f"{person.name} owns {count} open milestone(s): give them another owner first."
        )
    for document in GovernanceDocument.objects.filter(owner=person):
        refusals.append(
            f"{person.name} keeps the governance document “{document}”: give it another "
            "owner first."
        )
    for round_ in AppointmentRound.objects.filter(lead=person, stage__in=OPEN_STAGES):
        refusals.append(
            f"{person.name} leads the open appointment round “{round_}”: name another lead first."
        )
    for candidate in Candidate.objects.filter(
        person=person, round__stage__in=OPEN_STAGES, outcome__in=[Outcome.SHORTLISTED]
    ).select_related("round"):
        refusals.append(
            f"{person.name} is a candidate in the open appointment round “{candidate.round}”: "
            "record their withdrawal first."
        )
    return refusals


def person_erase(*, person: Person, by=None, reason: str) -> Erasure:
    """Erase ``person``'s personal data as the module says, recording ``by`` and
    ``reason`` with the erasure in the audit trail. Refused (a ValidationError, nothing
    written) without a reason, or while the person is in office or named in a role."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    with transaction.atomic(), audit_context(by, reason=reason, erasure_of=person.pk):
        person = Person.objects.select_for_update().get(pk=person.pk)
        today = timezone.localdate()
        refusals = erasure_refusals(person, today=today)
        if refusals:
            raise ValidationError(refusals)
        needs_name = record_needs_name(person)
        old_name, old_email = person.name, person.work_email
        held_seat = Membership.objects.filter(person=person).exists()

        declarations = InterestDeclaration.objects.filter(person=person)
        declaration_ids = list(declarations.values_list("pk", flat=True))
        private = declarations if not held_seat else declarations.none()
        private = private.filter(conflicts__isnull=True)
        private_ids = list(private.values_list("pk", flat=True))
        private.delete()
        declarations.update(notes="")

        gifts = GiftOrHospitality.objects.filter(person=person)
        gift_ids = list(gifts.values_list("pk", flat=True)) if not held_seat else []
        GiftOrHospitality.objects.filter(pk__in=gift_ids).delete()

        deleted_employments = _minimise_employment(person)

        feeds = list(CalendarFeed.objects.filter(owner=person).values_list("pk", flat=True))
        CalendarFeed.objects.filter(pk__in=feeds).delete()
        DeliveryPreference.objects.filter(person=person).delete()
        emails_deleted = _erase_emails(person, old_name, old_email, keep_name=bool(needs_name))

        person.work_email = ""
        person.employing_organisation = None
        person.erased_at = timezone.now()
        erased = {"work_email": "", "employing_organisation_id": None}
        if not needs_name:
            names = {
                "honorific_prefix": "",
                "given_name": ERASED_NAME,
                "family_name": f"#{person.pk}",
                "post_nominals": "",
            }
            for field, value in names.items():
                setattr(person, field, value)
            erased |= names
        save_validated(person, by=by)

        redact_events(Person, [person.pk], **erased)
        redact_events(InterestDeclaration, declaration_ids, notes="")
        redact_events(InterestDeclaration, private_ids, description=ERASED_TEXT)
        redact_events(GiftOrHospitality, gift_ids, description=ERASED_TEXT)
        redact_events(CalendarFeed, feeds, label="")
        redact_events(Employment, deleted_employments, organisation=None, start=None, end=None)
    return Erasure(
        person=person,
        name_kept_because=needs_name,
        declarations_deleted=len(private_ids),
        gifts_deleted=len(gift_ids),
        employments_deleted=len(deleted_employments),
        emails_deleted=emails_deleted,
    )


def _minimise_employment(person: Person) -> list[int]:
    """Keep the employments a seat of the person's needs (R2, R3 on past dates), ended no
    later than the last seat; delete the others. Returns the ids of those deleted."""
    seats = list(Membership.objects.filter(person=person).values_list("start", "end"))
    last_day = max((end for _, end in seats), default=None)
    deleted = []
    for employment in Employment.objects.filter(person=person):
        start = employment.start or datetime.date.min
        if not any(overlaps(start, employment.end, *seat) for seat in seats):
            deleted.append(employment.pk)
            record_delete(employment)
        elif last_day is not None and (employment.end or datetime.date.max) > last_day:
            employment.end = last_day
            save_validated(employment)
    return deleted


def _erase_emails(person: Person, old_name: str, old_email: str, *, keep_name: bool) -> int:
    """Delete the reminders and e-mails addressed to the person, take their address off
    the e-mails they were copied in, and (when the name goes) their name out of the
    e-mails kept for others. Returns how many e-mails were deleted."""
    emails = OutboxEmail.objects.filter(recipient=person)
    Reminder.objects.filter(Q(recipient=person) | Q(email__in=emails)).delete()
    deleted, _ = emails.delete()
    Reminder.objects.filter(cc=person).update(cc=None)
    if old_email:
        OutboxEmail.objects.filter(cc_addresses__contains=[old_email]).update(
            cc_addresses=Func("cc_addresses", Value(old_email), function="array_remove")
        )
    if not keep_name and old_name:
        new = erased_name(person)
        for field in ("subject", "body_text", "body_html"):
            OutboxEmail.objects.filter(**{f"{field}__contains": old_name}).update(
                **{field: Replace(field, Value(old_name), Value(new))}
            )
        Reminder.objects.filter(title__contains=old_name).update(
            title=Replace("title", Value(old_name), Value(new))
        )
    return deleted
