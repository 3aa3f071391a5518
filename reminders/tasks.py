"""Celery tasks: beat runs the dispatcher; workers send from the outbox.

Both are safe to run twice or at once (see ``reminders/delivery.py``): the broker may
deliver a task again after a worker dies (``acks_late``), and the dispatcher enqueues
again whatever is still pending, so a lost or repeated message changes nothing.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from reminders import delivery, selectors, services

logger = logging.getLogger(__name__)

DISPATCH_TASK = "reminders.dispatch"
SEND_TASK = "reminders.send_email"


@shared_task(name=SEND_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_email(outbox_email_id: int) -> str:
    return delivery.deliver(outbox_email_id)


@shared_task(name=DISPATCH_TASK, ignore_result=True)
def dispatch_reminders() -> dict:
    """Record and write what is due now, then enqueue every e-mail ready to go."""
    now = timezone.now()
    result = services.reminders_dispatch(now=now)
    ready = list(selectors.sendable_emails(now=now))

    def enqueue():
        for pk in ready:
            send_email.delay(pk)

    # The dispatch has committed; in a caller's transaction, wait for its commit.
    transaction.on_commit(enqueue)
    logger.info(
        "dispatch on %s: %s reminders, %s e-mails written, %s enqueued",
        result.today,
        len(result.reminders),
        len(result.emails),
        len(ready),
    )
    return {
        "reminders": len(result.reminders),
        "emails": len(result.emails),
        "enqueued": len(ready),
    }
