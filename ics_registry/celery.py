"""Celery application: the worker and beat for scheduled reminders."""

import os

from celery import Celery
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")

app = Celery("ics_registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task sent during a request logs with that request's id (django-structlog).
app.steps["worker"].add(DjangoStructLogInitStep)
