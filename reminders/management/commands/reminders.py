"""``manage.py reminders --preview [--date D]``: what would be sent on a day, sending nothing.

``--send`` runs the dispatcher now and sends from the outbox in this process, for a
system run without a Celery worker.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.dates import en_gb
from reminders import delivery, selectors, services

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")


def parse_day(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(
        f"'{value}' is not a date. Give it as 2026-11-23, 23 November 2026 or 23/11/2026."
    )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Command(BaseCommand):
    help = (
        "Show the reminder e-mails the dispatcher would send on a day (--preview, today "
        "unless --date is given), without sending or recording anything; or run it now "
        "and send (--send)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--preview", action="store_true", help="Show, send nothing.")
        action.add_argument(
            "--send", action="store_true", help="Dispatch now and send in this process."
        )
        parser.add_argument("--date", help="The day to preview (default: today).")

    def handle(self, *args, **options):
        if options["send"]:
            if options["date"]:
                raise CommandError("--date goes with --preview: --send always sends for now.")
            return self.send()
        day = parse_day(options["date"]) if options["date"] else timezone.localdate()
        self.preview(day)

    def preview(self, day: datetime.date) -> None:
        preview = services.reminders_preview(day=day)
        self.stdout.write(self.style.MIGRATE_HEADING(f"Reminders for {en_gb(day)} (preview)"))
        if not preview.emails and not preview.waiting_for_digest:
            self.stdout.write("Nothing would be sent.")
        for email in preview.emails:
            cc = f" (cc {', '.join(email.cc)})" if email.cc else ""
            self.stdout.write(f"To {email.to}{cc}: {email.subject}")
            if email.status != "pending":
                self.stdout.write(self.style.WARNING("  would not be sent: no e-mail address"))
            if len(email.items) > 1:
                for item in email.items:
                    self.stdout.write(f"  - {item}")
        if preview.waiting_for_digest:
            count = len(preview.waiting_for_digest)
            self.stdout.write(f"{plural(count, 'more reminder')} would wait for a digest:")
            for reminder in preview.waiting_for_digest:
                self.stdout.write(
                    f"  - {reminder.recipient}: {reminder.title} "
                    f"({reminder.get_frequency_display().lower()})"
                )
        self.stdout.write(
            f"{plural(len(preview.emails), 'e-mail')} would be sent. Nothing was sent or recorded."
        )

    def send(self) -> None:
        now = timezone.now()
        result = services.reminders_dispatch(now=now)
        outcomes = [delivery.deliver(pk) for pk in selectors.sendable_emails(now=now)]
        self.stdout.write(
            f"{len(result.reminders)} reminders recorded, {len(result.emails)} e-mails written, "
            f"{outcomes.count('sent')} sent, {outcomes.count('failed')} failed, "
            f"{outcomes.count('pending')} to retry."
        )
