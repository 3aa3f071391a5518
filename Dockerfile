FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ics_registry.settings.prod

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ics_registry ics_registry
COPY core core
COPY bodies bodies
COPY committees committees
COPY memberships memberships
COPY decisions decisions
COPY documents documents
COPY reminders reminders
COPY demo demo
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings to import; these placeholders never reach a running container.
RUN SECRET_KEY=build ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --no-input

RUN useradd --create-home registry
# Uploaded document files (MEDIA_ROOT); the compose file mounts a volume here.
RUN mkdir -p /app/media && chown registry /app/media
USER registry
EXPOSE 8000
CMD ["gunicorn", "ics_registry.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
