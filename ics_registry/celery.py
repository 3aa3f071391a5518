"""Celery application: the worker and beat for scheduled reminders."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")

app = Celery("ics_registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
