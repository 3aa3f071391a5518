"""Sign-in lockout (django-axes, issue 14): every way in that accepts a password stops
accepting even the right one after AXES_FAILURE_LIMIT wrong ones, for the cool-off time,
or until an officer clears the lockout in the admin.

The ways in: the officers' pages (/sign-in/) and the admin's (/admin/login/). API tokens
are issued only in the admin (core.admin.ApiTokenAdmin, through api_token_create), so a
locked-out user cannot reach that page either; the API itself takes tokens, never a
password (its authentication classes are the token's and the session's).
"""

import base64
import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import ApiToken

PASSWORD = "correct horse battery staple"
SIGN_IN_PAGES = {"officers' pages": "/sign-in/", "admin": "/admin/login/"}


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("governance", "g@example.nhs.uk", PASSWORD)


def sign_in(client, url, password, *, next_url=None):
    if next_url:
        url = f"{url}?next={next_url}"
    return client.post(url, {"username": "governance", "password": password})


def lock_out(client, url):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        refused = sign_in(client, url, "wrong password")
        assert refused.status_code in (200, 429)
        assert "_auth_user_id" not in client.session


def assert_locked_out(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert f"{settings.AXES_FAILURE_LIMIT} failed attempts to sign in as governance" in page


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", SIGN_IN_PAGES.values(), ids=SIGN_IN_PAGES.keys())
def test_the_right_password_is_refused_after_repeated_failures(db, client, staff, url):
    lock_out(client, url)

    assert_locked_out(sign_in(client, url, PASSWORD))
    assert not signed_in(client)


@pytest.mark.parametrize("url", SIGN_IN_PAGES.values(), ids=SIGN_IN_PAGES.keys())
def test_fewer_failures_than_the_limit_do_not_lock_out(db, client, staff, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, url, "wrong password").status_code == 200

    assert sign_in(client, url, PASSWORD).status_code == 302
    assert signed_in(client)


def test_failures_on_one_page_count_on_the_other(db, client, staff):
    """One count for both ways in: a guesser cannot switch pages for more tries."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, SIGN_IN_PAGES["officers' pages"], "wrong password")
    sign_in(client, SIGN_IN_PAGES["admin"], "wrong password")

    assert_locked_out(sign_in(client, SIGN_IN_PAGES["officers' pages"], PASSWORD))
    assert_locked_out(sign_in(client, SIGN_IN_PAGES["admin"], PASSWORD))


@pytest.mark.parametrize("url", SIGN_IN_PAGES.values(), ids=SIGN_IN_PAGES.keys())
def test_after_the_cool_off_the_user_signs_in_again(db, client, staff, url):
    lock_out(client, url)
    assert_locked_out(sign_in(client, url, PASSWORD))

    # The failures were made longer ago than the cool-off time.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )

    assert sign_in(client, url, PASSWORD).status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("url", SIGN_IN_PAGES.values(), ids=SIGN_IN_PAGES.keys())
def test_an_officer_clears_the_lockout_in_the_admin(db, client, staff, url, officer):
    lock_out(client, url)
    attempt = AccessAttempt.objects.get(username="governance")

    other = type(client)()
    other.force_login(officer)
    cleared = other.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert cleared.status_code == 302
    assert not AccessAttempt.objects.filter(username="governance").exists()

    assert sign_in(client, url, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_locked_out_user_cannot_reach_the_page_issuing_api_tokens(db, client, staff):
    token_page = reverse("admin:core_apitoken_add")
    lock_out(client, SIGN_IN_PAGES["admin"])

    assert_locked_out(sign_in(client, SIGN_IN_PAGES["admin"], PASSWORD, next_url=token_page))
    # Through the officers' sign-in too, and the page itself sends back to sign in.
    assert_locked_out(sign_in(client, SIGN_IN_PAGES["officers' pages"], PASSWORD))
    answer = client.get(token_page)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("admin:login"))
    assert not ApiToken.objects.exists()


def test_the_api_accepts_no_password(db, client, staff):
    """No API endpoint signs in with a password, so none needs its own lockout: HTTP Basic
    with the right password is not an authentication the API knows."""
    credentials = base64.b64encode(f"governance:{PASSWORD}".encode()).decode()
    answer = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    # Read as anonymous: the private data of an officer is not shown.
    assert answer.status_code == 200
    authentication = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert not any("Basic" in name for name in authentication)
    assert not AccessAttempt.objects.exists()
