"""Wording of reminder e-mails: one reminder, or a digest of many for one person.

Bodies are rendered from ``templates/reminders/email/`` once, when the outbox row is
written, so every attempt to send sends the same message.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.dates import en_gb
from reminders.models import Frequency, Kind, OutboxEmail, Reminder

FOOTER = (
    "You receive this because the ICS Governance Registry lists you as the owner, the "
    "governance lead or the member concerned. Your governance team can switch any topic to "
    "a daily or weekly digest (Delivery preferences in the registry)."
)
SUBJECT_PREFIX = {
    Kind.MILESTONE_DUE: "Reminder",
    Kind.MILESTONE_OVERDUE: "Overdue",
    Kind.TERM_ENDING: "Term of office ending",
    Kind.VACANCY: "Vacancy breaks compliance",
    Kind.INTEREST_REFRESH: "Register of interests",
    Kind.DOCUMENT_REVIEW: "Document review",
    Kind.APPOINTMENT_DEADLINE: "Appointment deadline",
}
GROUP_LABELS = {
    Kind.MILESTONE_OVERDUE: "Overdue milestones",
    Kind.MILESTONE_DUE: "Milestones coming up",
    Kind.TERM_ENDING: "Terms of office ending",
    Kind.VACANCY: "Vacancies breaking compliance",
    Kind.INTEREST_REFRESH: "Register of interests",
    Kind.DOCUMENT_REVIEW: "Governance documents due for review",
    Kind.APPOINTMENT_DEADLINE: "Appointment deadlines",
}


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Item:
    """A reminder as a template shows it, with an absolute link."""

    title: str
    detail: str
    due_on: datetime.date | None
    url: str
    kind: str


@dataclass(frozen=True)
class Group:
    label: str
    reminders: list[Item]


def absolute(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link.startswith("/") else link


def _item(reminder: Reminder) -> Item:
    return Item(
        title=reminder.title,
        detail=reminder.detail,
        due_on=reminder.due_on,
        url=absolute(reminder.link),
        kind=reminder.kind,
    )


def _render(name: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"reminders/email/{name}.txt", context)
    html = render_to_string(f"reminders/email/{name}.html", context)
    return text.strip() + "\n", html


def compose_one(reminder: Reminder) -> Composed:
    subject = f"{SUBJECT_PREFIX[reminder.kind]}: {reminder.title}"
    if reminder.kind == Kind.MILESTONE_DUE and reminder.due_on:
        subject += f" (due {en_gb(reminder.due_on)})"
    elif reminder.kind == Kind.MILESTONE_OVERDUE and reminder.due_on:
        subject += f" (was due {en_gb(reminder.due_on)})"
    context = {
        "subject": subject,
        "heading": SUBJECT_PREFIX[reminder.kind],
        "recipient": reminder.recipient,
        "cc": reminder.cc,
        "reminders": [_item(reminder)],
        "footer": FOOTER,
    }
    text, html = _render("reminder", context)
    return Composed(subject=subject[:250], text=text, html=html)


def compose_digest(
    *, recipient, reminders: Sequence[Reminder], frequency: str, period: datetime.date
) -> Composed:
    """One e-mail for many reminders, grouped by kind, soonest due first."""
    count = len(reminders)
    noun = "reminder" if count == 1 else "reminders"
    if frequency == Frequency.WEEKLY:
        when = f"week of {en_gb(period)}"
        heading = "Your weekly digest"
    else:
        when = en_gb(period)
        heading = "Your daily digest"
    groups = []
    for kind, label in GROUP_LABELS.items():
        items = sorted(
            (r for r in reminders if r.kind == kind),
            key=lambda r: (r.due_on or datetime.date.max, r.title),
        )
        if items:
            groups.append(Group(label=label, reminders=[_item(r) for r in items]))
    subject = f"{heading}: {count} {noun}, {when}"
    context = {
        "subject": subject,
        "heading": heading,
        "intro": f"{count} {noun} for the {when}.",
        "recipient": recipient,
        "groups": groups,
        "footer": FOOTER,
    }
    text, html = _render("digest", context)
    return Composed(subject=subject, text=text, html=html)


def message_for(email: OutboxEmail, *, connection=None) -> EmailMultiAlternatives:
    """The outbox row as a multipart message: plain text, with the HTML as alternative."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_address],
        cc=list(email.cc_addresses),
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
    message.attach_alternative(email.body_html, "text/html")
    return message
