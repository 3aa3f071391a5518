"""Sending from the outbox: each e-mail once, whatever crashes, retries or races.

The guarantees, and where each comes from:

1. **One row per e-mail.** The dispatcher writes every reminder and every e-mail under a
   unique key (``Reminder.key``, ``OutboxEmail.key``) inside one transaction, serialised by
   a PostgreSQL advisory lock. Two beat ticks, a retried dispatch task or two dispatchers
   at once find the keys taken and write nothing new.
2. **One sender at a time.** :func:`claim` takes the row with ``SELECT ... FOR UPDATE SKIP
   LOCKED``, and only if it is pending (or its previous claim's lease ran out), then marks
   it ``sending`` with a fresh claim token and a lease, and commits. A second worker, or
   the same task delivered twice by the broker, finds it locked or no longer claimable and
   does nothing.
3. **Nothing lost.** A crash before the claim commits leaves the row pending. A crash after
   it (the worker killed while sending) leaves it ``sending`` with a lease; once the lease
   runs out the dispatcher's sweep, every few minutes, enqueues it again and another
   worker takes it over. The broker is only a wake-up call: if Redis loses a message, the
   sweep finds the row in PostgreSQL. A row that keeps killing its worker is given up
   (``failed``) after ``REMINDERS_MAX_ATTEMPTS`` claims rather than retried for ever.
4. **Marked once.** :func:`mark_sent` changes the row only while it still holds the same
   claim token, so a worker whose lease was taken over cannot overwrite the new claim.

The trade-off: delivery to the mail server is *at least once* in one window only. SMTP
offers no transaction to join, so if the worker dies after the mail server accepted the
message and before ``sent`` is committed (milliseconds), the e-mail is sent again after
the lease. The resend carries the same ``Message-ID`` (derived from the key), so mail
stores and clients that de-duplicate by it show one message. Every other crash point
sends exactly once. The alternative, marking ``sent`` before sending (at most once),
would lose the reminder in that window instead; for deadlines a rare duplicate is the
lesser harm.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from reminders.emails import message_for
from reminders.models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)


def lease_length() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS)


def max_attempts() -> int:
    return settings.REMINDERS_MAX_ATTEMPTS


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back off 1, 2, 4, 8... minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def claimable(now: datetime.datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, lease_expires_at__lte=now
    )


@dataclass(frozen=True)
class Claim:
    email: OutboxEmail
    token: uuid.UUID


def claim(pk: int, *, now: datetime.datetime | None = None) -> Claim | None:
    """Take the e-mail for this worker, committed before anything is sent; None if it is
    sent, failed, not yet due, or held by another worker."""
    now = now or timezone.now()
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(claimable(now), pk=pk)
            .first()
        )
        if email is None:
            return None
        if email.attempts >= max_attempts():
            # Every earlier claim ended without a result: the e-mail itself stops workers.
            email.status = OutboxStatus.FAILED
            email.claim_token = email.lease_expires_at = None
            email.last_error = (
                f"Given up after {email.attempts} attempts: the worker stopped while sending. "
                + email.last_error
            ).strip()
            email.save(update_fields=["status", "claim_token", "lease_expires_at", "last_error"])
            logger.error("outbox e-mail %s given up after %s attempts", email.key, email.attempts)
            return None
        token = uuid.uuid4()
        email.status = OutboxStatus.SENDING
        email.claim_token = token
        email.lease_expires_at = now + lease_length()
        email.attempts = F("attempts") + 1
        email.save(update_fields=["status", "claim_token", "lease_expires_at", "attempts"])
        email.refresh_from_db(fields=["attempts"])
    return Claim(email=email, token=token)


def mark_sent(claimed: Claim, *, now: datetime.datetime | None = None) -> bool:
    """Record the sending; False if the claim was taken over meanwhile (lease expired)."""
    updated = OutboxEmail.objects.filter(
        pk=claimed.email.pk, status=OutboxStatus.SENDING, claim_token=claimed.token
    ).update(
        status=OutboxStatus.SENT,
        sent_at=now or timezone.now(),
        claim_token=None,
        lease_expires_at=None,
        last_error="",
    )
    if not updated:
        logger.warning("outbox e-mail %s: the lease ran out before it was marked sent", claimed)
    return bool(updated)


def release(claimed: Claim, error: BaseException, *, now: datetime.datetime | None = None) -> str:
    """The mail server refused or failed: wait and retry, or give up after the last try."""
    now = now or timezone.now()
    attempts = claimed.email.attempts
    failed = attempts >= max_attempts()
    status = OutboxStatus.FAILED if failed else OutboxStatus.PENDING
    OutboxEmail.objects.filter(
        pk=claimed.email.pk, status=OutboxStatus.SENDING, claim_token=claimed.token
    ).update(
        status=status,
        claim_token=None,
        lease_expires_at=None,
        next_attempt_at=now + retry_delay(attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return status


def send_claimed(claimed: Claim, *, connection=None) -> None:
    message_for(claimed.email, connection=connection or get_connection()).send()


def deliver(pk: int, *, now: datetime.datetime | None = None, connection=None) -> str:
    """Claim, send and mark one outbox e-mail; the outcome as a word for logs and tests."""
    claimed = claim(pk, now=now)
    if claimed is None:
        return "skipped"
    email = claimed.email
    if not email.to_address:
        OutboxEmail.objects.filter(pk=email.pk, claim_token=claimed.token).update(
            status=OutboxStatus.FAILED,
            claim_token=None,
            lease_expires_at=None,
            last_error=f"{email.recipient} has no work e-mail address.",
        )
        return OutboxStatus.FAILED
    try:
        send_claimed(claimed, connection=connection)
    except Exception as error:  # any failure of the mail server is retried later
        logger.warning("outbox e-mail %s not sent: %s", email.key, error)
        return release(claimed, error, now=now)
    mark_sent(claimed)
    return OutboxStatus.SENT
