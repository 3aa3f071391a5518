"""The private calendar feeds: no login (calendar clients cannot sign in), a secret URL."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reminders.calendar import feed_calendar, feed_entries
from reminders.models import CalendarFeed


@require_GET
def calendar_feed(request, token: str):
    feed = (
        CalendarFeed.objects.select_related("ics", "owner")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        # The same answer for a revoked and a never-issued address: nothing to probe.
        raise Http404("No such calendar.")
    response = HttpResponse(
        feed_calendar(feed, feed_entries(feed, today=timezone.localdate())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="governance.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
