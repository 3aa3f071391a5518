"""Structured logging: structlog configured once, and the renderers LOGGING names.

structlog's own loggers (django-structlog's request events, ours) and the standard library's
(Django's, Celery's) end in the same handler, whose formatter renders each record as JSON
(production) or as a readable line (development), with the context bound to the request:
its id and the user's id (``django_structlog.middlewares.RequestMiddleware``).
"""

import structlog

# Request fields django-structlog logs that identify a person's device: never logged.
PERSONAL_FIELDS = ("user_agent", "ip")


def drop_personal_fields(logger, method_name, event_dict):
    """Take out the browser's user agent (django-structlog's request_started names it) and
    any IP address: an online identifier is personal data, and the logs hold none."""
    for name in PERSONAL_FIELDS:
        event_dict.pop(name, None)
    return event_dict


SHARED = [
    structlog.contextvars.merge_contextvars,
    drop_personal_fields,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
# For records of the standard library's loggers, before the renderer.
FOREIGN_PRE_CHAIN = [*SHARED, structlog.stdlib.ExtraAdder()]

JSON_RENDERER = structlog.processors.JSONRenderer()
CONSOLE_RENDERER = structlog.dev.ConsoleRenderer(colors=False)


def configure() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def sign_in_client(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a failed sign-in in its log lines (AXES_CLIENT_STR_CALLABLE):
    by the page only. Its default names the username, the IP address and the browser,
    which are personal data; the sign-in attempts themselves, with those, stay in the
    database for officers (the admin's Access attempts), not in the logs."""
    return f"a sign-in at {path_info}"
