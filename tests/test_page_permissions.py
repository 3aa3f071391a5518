"""Who may open and post to each web page: the HTML pages' permission matrix (fail closed).

The API's matrix is tests/test_api_permissions.py; this is the same question for the pages.
Every URL pattern of web/ is opened (GET) and posted to (POST) by each kind of visitor:
anonymous, an officer of the record's own system (system A), an officer of another system
(B), a signed-in user with no system rights, and a superuser. The status, or the redirect,
must be the one in the page's row. A POST carries no answer (``PROBE``): it shows whether
the visitor got past the page's permission check (an officer sees the form's errors, 400,
and nothing is written) without depending on what each form asks for; the pages' own
tests post real answers. ``test_every_page_has_a_row`` iterates the URL resolver, so a
new page without a row fails.

A second table says which visitors see what is private on a public page (Part B items,
work e-mail addresses, register notes, milestones, edit links): nobody else may.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reorganisations.services import reorganisation_plan_create
from tests.api_support import make_officer, world
from tests.conftest import shared_data
from tests.reorganisation_builders import PLAN_TEXT, merger_ready

VISITORS = ("anonymous", "officer_same", "officer_other", "no_rights", "superuser")
SIGN_IN = "sign in"
# The example plan's checklist lead (tests/fixtures/reorganisation_plan.yaml).
CHECKLIST_LEAD = "Q9A"
# What every POST sends: a field no form reads, so that the form is bound (an empty POST
# is an unbound form, the page shown again) and answers with its errors.
PROBE = {"probe": "1"}  # a redirect to the sign-in page, coming back to the page after


def same(value):
    return dict.fromkeys(VISITORS, value)


PUBLIC = same(200)
NOT_POSTED = same(405)
# An officer's page in a system: A's officers (and superusers) only.
OFFICERS = {
    "anonymous": SIGN_IN,
    "officer_same": 200,
    "officer_other": 403,
    "no_rights": 403,
    "superuser": 200,
}
# Its form, posted empty: past the permission check, the form's errors (400).
OFFICERS_POST = {**OFFICERS, "officer_same": 400, "superuser": 400}
# The meeting and register forms show their refusal (here: the page was stale, as the probe
# carries no version) on the page again, 200, where the edit pages answer 400 or 409.
OFFICERS_POST_SHOWN = OFFICERS
# Private to A's officers (milestones, a reorganisation plan's officer pages): the others
# do not find it.
PRIVATE = {**OFFICERS, "officer_other": 404, "no_rights": 404}
PRIVATE_POST = {**PRIVATE, "officer_same": 400, "superuser": 400}
MILESTONES = {**PRIVATE, "anonymous": 404}
MILESTONES_POST = {**MILESTONES, "officer_same": 400, "superuser": 400}
# The list is found by A's officers only, and has no form.
MILESTONES_LIST_POST = {**MILESTONES, "officer_same": 405, "superuser": 405}
# Any officer's page (people search; a new reorganisation plan, whose systems the form
# checks against the officer's own).
ANY_OFFICER = {**OFFICERS, "officer_other": 200}
ANY_OFFICER_POST = {**OFFICERS_POST, "officer_other": 400}


@dataclass(frozen=True)
class Page:
    """A URL pattern's row: how to build its URL from the world, and what GET and POST
    answer to each visitor (a status, ``SIGN_IN``, or ``("redirect", url)``)."""

    url: object
    get: dict
    post: dict = field(default_factory=lambda: NOT_POSTED)


def redirect_to(url: str) -> dict:
    return same(("redirect", url))


def signed_in_redirect(url: str, anonymous) -> dict:
    return {**same(("redirect", url)), "anonymous": anonymous}


def pages() -> dict[str, Page]:
    """Every route of web/, by its pattern."""
    overview = reverse("web:overview")
    return {
        # -- public pages
        "": Page(lambda w: overview, PUBLIC),
        "systems/": Page(lambda w: "/systems/", redirect_to(overview), redirect_to(overview)),
        "systems/<str:code>/": Page(lambda w: f"/systems/{w.ics_a.code}/", PUBLIC),
        "systems/<str:code>/structure/": Page(
            lambda w: f"/systems/{w.ics_a.code}/structure/", PUBLIC
        ),
        "committees/<int:pk>/": Page(lambda w: f"/committees/{w.a.board.pk}/", PUBLIC),
        "people/<int:pk>/": Page(lambda w: f"/people/{w.a.person.pk}/", PUBLIC),
        "systems/<str:code>/meetings/": Page(
            lambda w: f"/systems/{w.ics_a.code}/meetings/", PUBLIC
        ),
        "systems/<str:code>/functions/": Page(
            lambda w: f"/systems/{w.ics_a.code}/functions/", PUBLIC
        ),
        "meetings/<int:pk>/": Page(lambda w: f"/meetings/{w.a.meeting.pk}/", PUBLIC),
        "bodies/<int:pk>/register/": Page(lambda w: f"/bodies/{w.a.body.pk}/register/", PUBLIC),
        "rules/": Page(lambda w: "/rules/", PUBLIC),
        "rules/<str:code>/": Page(lambda w: "/rules/R19/", PUBLIC),
        "systems/<str:code>/appointments/": Page(
            lambda w: f"/systems/{w.ics_a.code}/appointments/", PUBLIC
        ),
        "appointments/<int:pk>/": Page(lambda w: f"/appointments/{w.a.round.pk}/", PUBLIC),
        "reorganisations/": Page(lambda w: "/reorganisations/", PUBLIC),
        "reorganisations/<int:pk>/": Page(lambda w: f"/reorganisations/{w.plan.pk}/", PUBLIC),
        # -- signing in and out
        "sign-in/": Page(
            lambda w: "/sign-in/",
            signed_in_redirect(overview, 200),
            signed_in_redirect(overview, 200),
        ),
        "sign-out/": Page(lambda w: "/sign-out/", NOT_POSTED, redirect_to(overview)),
        # The second step of signing in: only after a password, else back to the first.
        "sign-in/code/": Page(
            lambda w: "/sign-in/code/", redirect_to("/sign-in/"), redirect_to("/sign-in/")
        ),
        # Anyone signed in sets up their own authenticator app.
        "account/two-step/": Page(
            lambda w: "/account/two-step/",
            {**same(200), "anonymous": SIGN_IN},
            {**same(400), "anonymous": SIGN_IN},
        ),
        # A person's erasure: A's officers with the erasure permission.
        "people/<int:pk>/erase/": Page(
            lambda w: f"/people/{w.a.person.pk}/erase/", OFFICERS, OFFICERS_POST
        ),
        # -- officers' pages of system A
        "meetings/<int:pk>/attendance/": Page(
            lambda w: f"/meetings/{w.a.meeting.pk}/attendance/", OFFICERS, OFFICERS_POST_SHOWN
        ),
        "decisions/<int:pk>/votes/": Page(
            lambda w: f"/decisions/{w.a.decision.pk}/votes/", OFFICERS, OFFICERS_POST_SHOWN
        ),
        "people/<int:pk>/declarations/add/": Page(
            lambda w: f"/people/{w.a.person.pk}/declarations/add/", OFFICERS, OFFICERS_POST_SHOWN
        ),
        "seats/<int:pk>/appoint/": Page(
            lambda w: f"/seats/{w.a.vacant_seat.pk}/appoint/", OFFICERS, OFFICERS_POST
        ),
        "seats/<int:pk>/edit/": Page(
            lambda w: f"/seats/{w.a.seat.pk}/edit/", OFFICERS, OFFICERS_POST
        ),
        "seats/<int:pk>/abolish/": Page(
            lambda w: f"/seats/{w.a.seat.pk}/abolish/", OFFICERS, OFFICERS_POST
        ),
        "committees/<int:pk>/seats/add/": Page(
            lambda w: f"/committees/{w.a.board.pk}/seats/add/", OFFICERS, OFFICERS_POST
        ),
        "memberships/<int:pk>/end/": Page(
            lambda w: f"/memberships/{w.a.membership.pk}/end/", OFFICERS, OFFICERS_POST
        ),
        "people/search/": Page(lambda w: "/people/search/?q=a", ANY_OFFICER),
        "appointments/<int:pk>/<str:action>/": Page(
            lambda w: f"/appointments/{w.a.round.pk}/cancel/", NOT_POSTED, OFFICERS_POST
        ),
        "seats/<int:pk>/appointments/new/": Page(
            lambda w: f"/seats/{w.a.seat.pk}/appointments/new/", OFFICERS, OFFICERS_POST
        ),
        # -- milestones: private to A's officers, not found by anyone else
        "systems/<str:code>/milestones/": Page(
            lambda w: f"/systems/{w.ics_a.code}/milestones/", MILESTONES, MILESTONES_LIST_POST
        ),
        "milestones/<int:pk>/complete/": Page(
            lambda w: f"/milestones/{w.a.milestone.pk}/complete/", MILESTONES, MILESTONES_POST
        ),
        "milestones/<int:pk>/reopen/": Page(
            lambda w: f"/milestones/{w.a.milestone.pk}/reopen/", MILESTONES, MILESTONES_POST
        ),
        # -- a reorganisation plan's officer pages: officers of every system it involves
        "reorganisations/new/": Page(
            lambda w: "/reorganisations/new/", ANY_OFFICER, ANY_OFFICER_POST
        ),
        "reorganisations/<int:pk>/edit/": Page(
            lambda w: f"/reorganisations/{w.plan.pk}/edit/", PRIVATE, PRIVATE_POST
        ),
        "reorganisations/<int:pk>/dry-run/": Page(
            lambda w: f"/reorganisations/{w.plan.pk}/dry-run/", PRIVATE
        ),
        "reorganisations/<int:pk>/checklist/": Page(
            lambda w: f"/reorganisations/{w.plan.pk}/checklist/",
            PRIVATE,
            # Posting is the whole form: it adds the checklist's milestones to the lead
            # system and goes to its milestones.
            {
                **PRIVATE,
                "officer_same": ("redirect", f"/systems/{CHECKLIST_LEAD}/milestones/"),
                "superuser": ("redirect", f"/systems/{CHECKLIST_LEAD}/milestones/"),
            },
        ),
        "reorganisations/<int:pk>/apply/": Page(
            lambda w: f"/reorganisations/{w.plan.pk}/apply/",
            PRIVATE,
            # Its form is the plan's version only: without it, the page was stale (409).
            {**PRIVATE, "officer_same": 409, "superuser": 409},
        ),
    }


def web_routes() -> list[str]:
    """The route of every URL pattern the web app's include holds."""
    (web,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "web"
    ]
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                assert isinstance(pattern, URLPattern)
                routes.append(prefix + str(pattern.pattern))

    walk(web.url_patterns, "")
    return routes


def test_every_page_has_a_row():
    routes = web_routes()
    assert len(routes) == len(set(routes))
    assert len(routes) >= 37
    assert set(routes) == set(pages()), (
        f"without a row: {sorted(set(routes) - set(pages()))}; "
        f"no such page: {sorted(set(pages()) - set(routes))}"
    )


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    def build():
        built = world()
        # A plan merging two systems of its own; its officer pages are for an officer of
        # both, who here is A's officer too.
        merger = merger_ready()
        officer_same = make_officer(
            built.ics_a, merger.north.ics, merger.south.ics, username="pages_officer_a"
        )
        officer_other = make_officer(built.ics_b, username="pages_officer_b")
        for officer in (officer_same, officer_other):
            officer.user_permissions.add(
                *Permission.objects.filter(content_type__app_label="reorganisations")
            )
        users = get_user_model().objects
        built.users = {
            "officer_same": officer_same,
            "officer_other": officer_other,
            "no_rights": users.create_user("pages_reader", password="pw"),
            "superuser": users.create_superuser("pages_root", "root@example.nhs.uk", "pw"),
        }
        built.plan = reorganisation_plan_create(document=PLAN_TEXT, by=officer_same)
        return built

    with shared_data(django_db_blocker, build) as built:
        yield built


@pytest.fixture
def visitors(w):
    clients = {"anonymous": Client()}
    for name, user in w.users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def answer(response, url):
    """What the response is, in the table's terms."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location == f"{reverse('web:sign_in')}?next={quote(url, safe='/')}":
            return SIGN_IN
        return ("redirect", location.split("#")[0])
    return response.status_code


CASES = [(route, method) for route in pages() for method in ("get", "post")]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), CASES, ids=[f"{m} {r or '/'}" for r, m in CASES])
def test_each_visitor_gets_what_the_table_says(w, visitors, route, method):
    page = pages()[route]
    url = page.url(w)
    expected = getattr(page, method)
    got = {}
    for visitor in VISITORS:
        client = visitors[visitor]
        response = client.post(url, PROBE) if method == "post" else client.get(url)
        got[visitor] = answer(response, url)
    assert got == expected


def private_content(w) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """name: (page, text private to some visitors, the visitors who see it)."""
    a = w.a
    mine = ("officer_same", "superuser")
    return {
        "a Part B item": (f"/meetings/{a.meeting.pk}/", a.private_decision.title, mine),
        "a seat holder's work e-mail": (f"/people/{a.person.pk}/", a.person.work_email, mine),
        "a register entry's private notes": (
            f"/bodies/{a.body.pk}/register/",
            a.interest.notes,
            mine,
        ),
        "a system's milestones": (f"/systems/{w.ics_a.code}/", a.milestone.title, mine),
        "the link to change a seat": (
            f"/committees/{a.board.pk}/",
            reverse("web:seat_edit", args=[a.seat.pk]),
            mine,
        ),
        "the link to add a seat": (
            f"/committees/{a.board.pk}/",
            reverse("web:seat_add", args=[a.board.pk]),
            mine,
        ),
        "the link to end a membership": (
            f"/committees/{a.board.pk}/",
            reverse("web:membership_end", args=[a.membership.pk]),
            mine,
        ),
        "the steps of an appointment round": (
            f"/appointments/{a.round.pk}/",
            reverse("web:appointment_action", args=[a.round.pk, "cancel"]),
            mine,
        ),
        "the link to check a plan": (
            f"/reorganisations/{w.plan.pk}/",
            reverse("web:reorganisation_dry_run", args=[w.plan.pk]),
            mine,
        ),
    }


PRIVATE_CONTENT = [
    "a Part B item",
    "a seat holder's work e-mail",
    "a register entry's private notes",
    "a system's milestones",
    "the link to change a seat",
    "the link to add a seat",
    "the link to end a membership",
    "the steps of an appointment round",
    "the link to check a plan",
]


@pytest.mark.django_db
@pytest.mark.parametrize("item", PRIVATE_CONTENT)
def test_what_is_private_shows_only_to_those_entitled(w, visitors, item):
    url, text, entitled = private_content(w)[item]
    assert text
    seen = set()
    for visitor in VISITORS:
        response = visitors[visitor].get(url)
        assert response.status_code == 200, (visitor, url)
        if text in response.content.decode():
            seen.add(visitor)
    assert seen == set(entitled)


@pytest.mark.django_db
def test_the_private_content_table_names_each_item_once(w):
    assert list(private_content(w)) == PRIVATE_CONTENT
