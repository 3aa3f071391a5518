"""Personal data are minimised (issue 14): over the whole demo, no person's work e-mail
address and no private note of a register of interests appears in any public page (every
page reachable by links from the overview, signed out) or any public API answer; the
logs (structlog JSON) carry no e-mail address, username, password or IP address, even of
failed sign-ins; and a reminder e-mail names no other person's e-mail address.

The page-by-page rules (who may see a person's e-mail on their page, the API's
``work_email`` to each kind of caller) are tested in tests/test_web_people.py and
tests/test_api_permissions.py; this module sweeps everything at once.
"""

import datetime
import json
import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from decisions.models import InterestDeclaration
from ics_registry.api_urls import ROUTES
from memberships.models import Person
from reminders import services
from reminders.models import OutboxEmail
from tests.api_support import make_officer
from tests.factories import IntegratedCareSystemFactory
from tests.reminders_factories import at
from tests.test_logs import json_lines  # noqa: F401

E_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Pages a public crawl does not follow: files, the API (swept below), the admin, private
# calendars, signing in and the officers' edit pages (which send to sign in).
NOT_FOLLOWED = ("/static/", "/media/", "/api/", "/admin/", "/calendar/", "/sign-in/")
MAX_PAGES = 600
DISPATCH_DAYS = (datetime.date(2025, 3, 3), datetime.date(2026, 1, 5), datetime.date(2026, 3, 2))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and "?" not in href and "#" not in href:
                self.found.append(href)


def secrets() -> set[str]:
    """What must never be public: every work e-mail address and every private note."""
    emails = set(Person.objects.exclude(work_email="").values_list("work_email", flat=True))
    notes = set(InterestDeclaration.objects.exclude(notes="").values_list("notes", flat=True))
    assert emails and notes, "the demo has e-mail addresses and private notes to hide"
    return emails | notes


def leaks(text: str, hidden: set[str]) -> set[str]:
    return {secret for secret in hidden if secret in text}


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestOverTheDemo:
    def test_no_public_page_shows_an_e_mail_address_or_a_private_note(self):
        hidden = secrets()
        client = Client()
        seen, queue, found = set(), deque(["/"]), {}
        while queue and len(seen) < MAX_PAGES:
            url = queue.popleft()
            if url in seen or url.startswith(NOT_FOLLOWED):
                continue
            seen.add(url)
            answer = client.get(url)
            if answer.status_code != 200 or "html" not in answer.get("Content-Type", ""):
                continue
            page = answer.content.decode()
            if leaked := leaks(page, hidden) | set(E_MAIL.findall(page)):
                found[url] = leaked
            parser = Links()
            parser.feed(page)
            queue.extend(parser.found)
        # The crawl reached the kinds of page that name people.
        for kind in ("/systems/", "/committees/", "/people/", "/meetings/", "/bodies/"):
            assert any(url.startswith(kind) for url in seen), kind
        assert found == {}

    def test_no_public_api_answer_shows_an_e_mail_address_or_a_private_note(self):
        hidden = secrets()
        client = APIClient()
        found = {}
        urls = [f"/api/v1/{prefix}/" for prefix, _, _ in ROUTES]
        people = client.get("/api/v1/people/").json()["results"]
        assert people
        urls += [f"/api/v1/people/{person['id']}/" for person in people]
        bodies = client.get("/api/v1/bodies/").json()["results"][:20]
        urls += [f"/api/v1/bodies/{body['id']}/register-of-interests/" for body in bodies]
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, url
            text = answer.content.decode()
            if leaked := leaks(text, hidden) | set(E_MAIL.findall(text)):
                found[url] = leaked
        assert found == {}
        assert all(person["work_email"] is None for person in people)

    def test_reminder_e_mails_name_no_other_persons_e_mail_address(self):
        addresses = set(Person.objects.exclude(work_email="").values_list("work_email", flat=True))
        for day in DISPATCH_DAYS:
            services.reminders_dispatch(now=at(day, 9))
        emails = list(OutboxEmail.objects.all())
        # Terms ending, vacancies and rounds, sent to governance leads: about others.
        assert len(emails) >= 3
        for email in emails:
            text = " ".join((email.subject, email.body_text, email.body_html))
            named = {address for address in E_MAIL.findall(text) if address in addresses}
            assert named <= {email.to_address}, (email.subject, named)


# -- the logs -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_failed_sign_ins_and_a_person_with_an_e_mail_leave_no_personal_data_in_the_logs(
    json_lines,  # noqa: F811
    django_user_model,
):
    django_user_model.objects.create_user("jo.bloggs@example.nhs.uk", password="right-pw-123")
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Bloggs-Phone/1.0")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            "/sign-in/",
            {"username": "jo.bloggs@example.nhs.uk", "password": "wrong-pw-secret"},
        )
    officer = make_officer(IntegratedCareSystemFactory(), username="logs_officer")
    api = APIClient()
    api.force_authenticate(officer)
    made = api.post(
        "/api/v1/people/",
        {"given_name": "Sam", "family_name": "Private", "work_email": "sam.private@example.nhs.uk"},
        format="json",
    )
    assert made.status_code == 201, made.content
    api.get(f"/api/v1/people/{made.json()['id']}/")

    lines = json_lines()
    assert any("AXES" in line["event"] for line in lines), "django-axes logged the failures"
    text = json.dumps(lines)
    for personal in (
        "jo.bloggs",
        "example.nhs.uk",
        "wrong-pw-secret",
        "203.0.113.7",
        "Bloggs-Phone",
        "sam.private",
    ):
        assert personal not in text
