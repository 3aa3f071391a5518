"""``manage.py officer``: an operations engineer makes the first officers and grants or
takes back their systems (README "Production"), without the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError
from django.test import Client

from core.api.access import administered_systems
from officers.services import OFFICERS_GROUP, officer_permissions, system_group_name
from tests.conftest import run_command
from tests.factories import IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough officer passphrase"


@pytest.fixture
def systems():
    return IntegratedCareSystemFactory(code="QSL"), IntegratedCareSystemFactory(code="QOX")


def officer(username="alice"):
    return get_user_model().objects.get(username=username)


def test_a_new_officer_is_created_keeps_the_system_and_signs_in(systems, monkeypatch):
    somerset, _ = systems
    monkeypatch.setenv("OFFICER_PASSWORD", PASSWORD)
    out = run_command("officer", "alice", "--system", "qsl", "--email", "a@nhs.net", "--no-input")
    assert "Created the officer alice." in out
    assert "alice now keeps QSL." in out
    user = officer()
    assert user.is_staff and user.is_active and not user.is_superuser
    assert user.email == "a@nhs.net"
    assert administered_systems(user) == {somerset.pk}
    assert set(Group.objects.get(name=OFFICERS_GROUP).permissions.all()) == set(
        officer_permissions()
    )
    # The model permissions come with the group: an officer may add a membership.
    assert user.has_perm("memberships.add_membership")
    client = Client()
    signed_in = client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/").context["user"] == user


def test_a_second_run_changes_nothing_and_says_so(systems, monkeypatch):
    monkeypatch.setenv("OFFICER_PASSWORD", PASSWORD)
    run_command("officer", "alice", "--system", "QSL", "--no-input")
    out = run_command("officer", "alice", "--system", "QSL", "--no-input")
    assert out.strip() == "Nothing to change: alice already is as asked."


def test_granting_another_system_then_revoking_the_first(systems, monkeypatch):
    somerset, bsw = systems
    monkeypatch.setenv("OFFICER_PASSWORD", PASSWORD)
    run_command("officer", "alice", "--system", "QSL", "--no-input")
    out = run_command("officer", "alice", "--system", "QOX", "--revoke", "QSL", "--no-input")
    assert "alice now keeps QOX." in out and "alice no longer keeps QSL." in out
    assert administered_systems(officer()) == {bsw.pk}
    # The groups stay for the other officers of Somerset.
    assert Group.objects.filter(name=system_group_name(somerset)).exists()


def test_an_existing_user_becomes_an_officer_with_their_password_kept(systems):
    user = get_user_model().objects.create_user("bob", password=PASSWORD)
    out = run_command("officer", "bob", "--system", "QSL", "--no-input")
    assert "Created the officer" not in out and "bob now keeps QSL." in out
    user.refresh_from_db()
    assert user.is_staff and user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--system", "QZZ"], "No integrated care system has the code QZZ"),
        (["--system", "QSL", "--revoke", "qsl"], "QSL: both granted and revoked."),
        ([], "Give at least one --system CODE"),
        (["--revoke", "QSL"], "No user is called 'alice': nothing to revoke."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(systems, args, message):
    with pytest.raises(CommandError, match=message):
        run_command("officer", "alice", *args, "--no-input")
    assert not get_user_model().objects.filter(username="alice").exists()
    assert not Group.objects.exists()


def test_a_weak_password_is_refused_by_the_password_validators(systems, monkeypatch):
    monkeypatch.setenv("OFFICER_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        run_command("officer", "alice", "--system", "QSL", "--no-input")
    assert not get_user_model().objects.filter(username="alice").exists()


def test_without_a_password_the_new_officer_cannot_sign_in_until_one_is_set(systems):
    run_command("officer", "alice", "--system", "QSL", "--no-input")
    assert not officer().has_usable_password()
