"""Issue 14 in a real browser: the demo officer sets up two-step sign-in from their own
page (the QR code and the key), signs in again with a code, turns it off; and opens a
person's erasure page. Each page passes axe-core (WCAG 2.2 AA) on a desktop and a phone.

The demo officer is shared by the package's browser tests: the authenticator app is
removed afterwards whatever happens, so the others still sign in with the password. The
erasure page is only looked at: nobody is erased.
"""

import base64

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from memberships.models import Membership, Person
from tests.browser.helpers import (
    DEMO_OFFICER,
    assert_accessible,
    assert_no_sideways_scrolling,
    sign_in,
)


def code_for(secret: str, step: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    device = TOTPDevice(key=key.hex())
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, step):06d}"


@pytest.fixture
def remove_the_app():
    """Whatever happens, the demo officer signs in with the password alone afterwards. The
    device was committed by the server's threads, and the test's own connection is inside
    a transaction that is rolled back: delete it through a connection of its own."""
    yield
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TOTPDevice._meta.db_table} WHERE user_id IN "
                "(SELECT id FROM auth_user WHERE username = %s)",
                [DEMO_OFFICER[0]],
            )
    finally:
        connection.close()


def test_the_officer_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    signed_in_page, phone_page, remove_the_app
):
    page = signed_in_page
    page.get_by_role("link", name="your account and two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Two-step sign-in")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    secret = page.locator("#secret").inner_text()
    assert_accessible(page, screenshot="two-step-set-up-desktop")

    page.get_by_label("Security code").fill("12345")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the 6-digit code")
    assert_accessible(page, screenshot="two-step-set-up-error-desktop")

    # A code is accepted once, and later ones only: the app's codes of the last time step,
    # this one and the next (all within django-otp's tolerance), one for each use here.
    page.get_by_label("Security code").fill(code_for(secret, step=-1))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("body")).to_contain_text("Two-step sign-in is on")
    assert_accessible(page, screenshot="two-step-on-desktop")

    # On a phone: the password, then the code.
    sign_in(phone_page, *DEMO_OFFICER)
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_no_sideways_scrolling(phone_page)
    assert_accessible(phone_page, screenshot="two-step-code-phone")
    phone_page.get_by_label("Security code").fill(code_for(secret))
    phone_page.get_by_role("button", name="Continue").click()
    expect(phone_page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_label("Security code").fill(code_for(secret, step=1))
    page.get_by_role("button", name="Turn off two-step sign-in").click()
    expect(page.locator("body")).to_contain_text("Two-step sign-in is off")
    assert not TOTPDevice.objects.filter(user__username=DEMO_OFFICER[0], confirmed=True).exists()


def test_the_set_up_page_fits_a_phone(signed_in_phone_page, remove_the_app):
    page = signed_in_phone_page
    page.goto("/account/two-step/")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page, screenshot="two-step-set-up-phone")


def test_the_erasure_page_says_what_is_erased_and_what_is_kept(
    signed_in_page, signed_in_phone_page
):
    in_office = Membership.objects.filter(end__isnull=True).values("person")
    person = (
        Person.objects.filter(memberships__isnull=False, erased_at__isnull=True)
        .exclude(pk__in=in_office)
        .exclude(Q(governance_lead_of__isnull=False) | Q(milestones__isnull=False))
        .exclude(governance_documents__isnull=False)
        .first()
    )
    assert person is not None, "the demo has a former member to look at"
    for page, device in ((signed_in_page, "desktop"), (signed_in_phone_page, "phone")):
        page.goto(f"/people/{person.pk}/")
        page.get_by_role("link", name="Erase this person's personal data").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Erase personal data")
        expect(page.locator("body")).to_contain_text("held a seat")
        assert_no_sideways_scrolling(page)
        assert_accessible(page, screenshot=f"person-erase-{device}")

    page = signed_in_page
    page.get_by_role("button", name="Erase personal data").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reason")
    assert_accessible(page, screenshot="person-erase-error-desktop")
    person.refresh_from_db()
    assert person.erased_at is None
