"""Optional two-step sign-in (TOTP, django-otp; issue 14): an officer sets up an
authenticator app from their own page, and from then on signing in, on the officers'
pages and in the admin, asks for a code after the password; wrong codes count towards the
lockout; OTP_REQUIRED_FOR_STAFF makes it required of every staff user.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api_support import make_officer
from tests.factories import IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def officer():
    user = make_officer(IntegratedCareSystemFactory(code="QSL"), username="governance")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def no_throttle_delay(settings):
    """django-otp refuses codes for 1, 2, 4... seconds after each wrong one; its count is
    tested on its own below, and the tests here do not wait for it."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device: TOTPDevice) -> str:
    """The code the officer's app shows now. A TOTP code is accepted once: the device is
    set back as if the next time step had come, so a test may sign in again at once."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong(device: TOTPDevice) -> str:
    return f"{(int(code(device)) + 1) % 1_000_000:06d}"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client, password=PASSWORD, url="/sign-in/?next=/systems/QSL/"):
    return client.post(url, {"username": "governance", "password": password})


# -- without a device: as before -----------------------------------------------------------


def test_an_officer_without_an_authenticator_app_signs_in_with_the_password(client, officer):
    answer = sign_in(client)

    assert answer.status_code == 302
    assert answer["Location"] == "/systems/QSL/"
    assert signed_in(client)


# -- setting it up ------------------------------------------------------------------------


def test_an_officer_sets_up_an_app_from_their_own_page_and_confirms_it_with_a_code(client, officer):
    client.force_login(officer)
    assert 'href="/account/two-step/"' in client.get("/").content.decode()

    page = client.get("/account/two-step/")

    assert page.status_code == 200
    text = page.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert "otpauth://totp/ICS%20Governance%20Registry%3Agovernance?secret=" in text.replace(
        "&amp;", "&"
    )
    secret = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', text).group(1)
    assert secret.replace(" ", "") in text.replace("&amp;", "&")
    assert "<svg" in text and "QR code of the address" in text

    refused = client.post("/account/two-step/", {"code": wrong(device)})
    assert refused.status_code == 400
    assert "Enter the 6-digit code" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    done = client.post("/account/two-step/", {"code": code(device)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed
    assert "Two-step sign-in is on" in done.content.decode()
    # This session gave the code: it is verified.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_set_up_page_keeps_one_key_until_it_is_confirmed(client, officer):
    client.force_login(officer)
    client.get("/account/two-step/")
    client.get("/account/two-step/")
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_signed_out_the_two_step_page_sends_to_sign_in(client):
    answer = client.get("/account/two-step/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/sign-in/")


# -- signing in with it ---------------------------------------------------------------------


def test_the_password_alone_no_longer_signs_in_an_officer_with_an_app(client, officer):
    device = confirmed_device(officer)

    answer = sign_in(client)

    assert answer.status_code == 302
    assert answer["Location"] == "/sign-in/code/"
    assert not signed_in(client)
    assert client.get("/systems/QSL/milestones/").status_code in (302, 404)

    page = client.get("/sign-in/code/")
    assert "Enter your security code" in page.content.decode()
    refused = client.post("/sign-in/code/", {"code": wrong(device)})
    assert refused.status_code == 400
    assert not signed_in(client)

    done = client.post("/sign-in/code/", {"code": code(device)})

    assert done.status_code == 302
    assert done["Location"] == "/systems/QSL/"
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_code_page_needs_the_password_first(client, officer):
    device = confirmed_device(officer)
    answer = client.post("/sign-in/code/", {"code": code(device)})
    assert answer.status_code == 302
    assert answer["Location"] == "/sign-in/"
    assert not signed_in(client)


def test_the_admin_asks_for_the_code_after_the_password(client, officer):
    device = confirmed_device(officer)

    people = "/admin/memberships/person/"
    answer = sign_in(client, url=f"/admin/login/?next={people}")

    assert answer["Location"] == "/sign-in/code/"
    assert not signed_in(client)
    assert client.get(people).status_code == 302

    done = client.post("/sign-in/code/", {"code": code(device)})

    assert done["Location"] == people
    assert client.get(people).status_code == 200


def test_the_admin_without_next_lands_on_its_index_after_the_code(client, officer):
    device = confirmed_device(officer)
    client.get("/admin/login/")
    answer = client.post(
        "/admin/login/", {"username": "governance", "password": PASSWORD, "next": "/admin/"}
    )
    assert answer["Location"] == "/sign-in/code/"
    assert client.post("/sign-in/code/", {"code": code(device)})["Location"] == "/admin/"


def test_an_officer_without_an_app_still_signs_in_to_the_admin_with_the_password(client, officer):
    answer = sign_in(client, url="/admin/login/?next=/admin/")
    assert answer["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# -- wrong codes --------------------------------------------------------------------------


def test_wrong_codes_count_towards_the_lockout(client, officer):
    device = confirmed_device(officer)
    sign_in(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/sign-in/code/", {"code": wrong(device)}).status_code == 400

    locked = client.post("/sign-in/code/", {"code": wrong(device)})

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert AccessAttempt.objects.get(username="governance").failures_since_start == (
        settings.AXES_FAILURE_LIMIT
    )
    # Neither the right code nor the right password signs in now.
    assert client.post("/sign-in/code/", {"code": code(device)})["Location"] == "/sign-in/"
    assert sign_in(client).status_code == 429
    assert not signed_in(client)


def test_django_otp_throttles_the_device_after_a_wrong_code(client, officer, settings):
    # A minute's delay after the first wrong code (1, 2, 4... minutes after the next).
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = confirmed_device(officer)
    sign_in(client)
    client.post("/sign-in/code/", {"code": wrong(device)})

    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not device.verify_is_allowed()[0]
    # Even the right code is refused until the delay is over, saying so.
    refused = client.post("/sign-in/code/", {"code": code(device)})
    assert refused.status_code == 400
    assert re.search(r"Wait \d+ seconds after a wrong code", refused.content.decode())
    assert not signed_in(client)


# -- turning it off --------------------------------------------------------------------------


def test_an_officer_turns_it_off_with_a_code(client, officer):
    device = confirmed_device(officer)
    sign_in(client)
    client.post("/sign-in/code/", {"code": code(device)})

    assert client.post("/account/two-step/", {"code": wrong(device)}).status_code == 400
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    client.post("/account/two-step/", {"code": code(device)})

    assert not TOTPDevice.objects.filter(user=officer).exists()
    client.post("/sign-out/")
    assert sign_in(client)["Location"] == "/systems/QSL/"


# -- required of staff -------------------------------------------------------------------------


def test_when_required_a_staff_user_sets_up_an_app_before_anything_else(client, officer, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    sign_in(client)
    assert signed_in(client)

    page = client.get("/systems/QSL/")
    assert page.status_code == 302
    assert page["Location"] == "/account/two-step/?next=/systems/QSL/"
    api = client.get("/api/v1/regions/")
    assert api.status_code == 403
    assert api.json()["code"] == "two_step_required"
    assert client.get("/admin/").status_code == 302

    set_up = client.get("/account/two-step/").content.decode()
    assert "Set up two-step sign-in to continue" in set_up
    device = TOTPDevice.objects.get(user=officer)
    client.post("/account/two-step/", {"code": code(device)})

    assert client.get("/systems/QSL/").status_code == 200
    assert client.get("/api/v1/regions/").status_code == 200
    # Required: it cannot be turned off.
    refused = client.post("/account/two-step/", {"code": code(device)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_when_required_a_session_without_a_code_gives_one_first(officer, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    device = confirmed_device(officer)
    client = Client()
    client.force_login(officer)  # a session from before the app was set up

    assert client.get("/systems/QSL/")["Location"].startswith("/account/two-step/")
    page = client.get("/account/two-step/?next=/systems/QSL/")
    assert "Enter the code it shows now" in page.content.decode()
    answer = client.post("/account/two-step/?next=/systems/QSL/", {"code": code(device)})

    assert answer["Location"] == "/systems/QSL/"
    assert client.get("/systems/QSL/").status_code == 200


def test_not_required_by_default(client, officer):
    assert settings.OTP_REQUIRED_FOR_STAFF is False
    sign_in(client)
    assert client.get("/systems/QSL/").status_code == 200
