"""Two-step sign-in with an authenticator app (TOTP, django-otp), optional for officers.

- An officer turns it on from their own page, ``/account/two-step/``: it shows a new
  secret as text, its ``otpauth://`` address and a QR code of it for an authenticator
  app, and the officer confirms the app with a code from it.
- From then on, signing in (``/sign-in/`` and the admin's ``/admin/login/``) asks for a
  code after the password: the right password does not sign in, it remembers who gave it
  (in the session, for ``PENDING_SECONDS``) and sends to ``/sign-in/code/``. Each wrong
  code counts as a failed sign-in towards the lockout (django-axes, under the username
  and address), and django-otp's own throttling makes the device refuse codes for a
  growing delay after each wrong one.
- An officer without a device signs in with the password alone, unless
  ``OTP_REQUIRED_FOR_STAFF``: then a staff user whose session is not verified with a
  code is sent to ``/account/two-step/`` (to set up a device, or to give a code) before
  any other page, and the API refuses their session (:class:`StaffTwoStepMiddleware`).
"""

import base64
import math
import time
from urllib.parse import quote

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from web.forms import Form

PENDING = "two_step_pending"
PENDING_SECONDS = 300
WRONG_CODE = "Enter the 6-digit code your authenticator app shows now"
DEVICE_NAME = "Authenticator app"


class CodeForm(Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows for the registry.",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the security code"},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(WRONG_CODE)
        return code


def _code_error(user, device: TOTPDevice | None, code: str) -> str | None:
    """Why ``code`` does not verify the officer's ``device`` now (None: it does).

    django-otp's ``verify_token`` locks the device while it checks, so a code is taken
    once. After a wrong code the device refuses every code for a growing delay (django-otp's
    throttling): the officer is told to wait, not that the right code was wrong."""
    if device is None:
        return WRONG_CODE
    allowed, extra = device.verify_is_allowed()
    if not allowed and "locked_until" in extra:
        seconds = max(1, math.ceil((extra["locked_until"] - timezone.now()).total_seconds()))
        return (
            f"Wait {seconds} second{'s' if seconds > 1 else ''} after a wrong code, then "
            "enter the code your authenticator app shows"
        )
    return None if verify_token(user, device.persistent_id, code) else WRONG_CODE


# -- signing in: the password, then the code ------------------------------------------------


def _safe_next(request, url: str | None, default: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


class TwoStepMixin:
    """For a LoginView: a user with a confirmed device is not signed in by the password
    alone but sent on to the code page."""

    def form_valid(self, form):
        user = form.get_user()
        if not user_has_device(user, confirmed=True):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("web:sign_in_code")


def _pending(request):
    """The user who gave the right password and owes a code, or None."""
    state = request.session.get(PENDING)
    if not state or time.time() - state["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model()._default_manager.filter(pk=state["user"], is_active=True).first()
    return user, state


@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step of signing in: a code from the officer's authenticator app."""
    user, state = _pending(request)
    if user is None:
        return redirect("web:sign_in")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _locked_out(request, credentials)
    form = CodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        error = _code_error(user, device, form.cleaned_data["code"])
        if error is None:
            del request.session[PENDING]
            # django-otp marks the session verified on login (user_logged_in).
            user.otp_device = device
            login(request, user, backend=state["backend"])
            return HttpResponseRedirect(_safe_next(request, state["next"], "/"))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, credentials)
        form.add_error("code", error)
    status = 400 if form.errors else 200
    return render(request, "web/pages/sign_in_code.html", {"form": form}, status=status)


def _locked_out(request, credentials):
    """The lockout page (django-axes' middleware draws it from these attributes)."""
    request.session.pop(PENDING, None)
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return HttpResponse(status=429)


class AdminSignInView(TwoStepMixin, auth_views.LoginView):
    template_name = "admin/login.html"
    authentication_form = AdminAuthenticationForm


def admin_sign_in(request, extra_context=None):
    """The admin's login page (``admin.site.login``), with the code step after the
    password for officers with a device."""
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index"))
    context = {
        **site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index")
    request.current_app = site.name
    return AdminSignInView.as_view(extra_context=context)(request)


# -- an officer's own page: set up, verify, turn off ----------------------------------------


def _secret(device: TOTPDevice) -> str:
    """The device's key as authenticator apps take it typed in (base32, in fours)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(
        scale=4, omitsize=True, title="QR code of the address"
    )


def _required(user) -> bool:
    return settings.OTP_REQUIRED_FOR_STAFF and user.is_staff


@login_required
@require_http_methods(["GET", "POST"])
def two_step(request):
    """Turn two-step sign-in on (a new device, confirmed with a code), verify this
    session with a code, or turn it off (with a code, unless it is required)."""
    user = request.user
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    verified = device is not None and user.is_verified()
    form = CodeForm(request.POST or None)
    if device is None:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        if form.is_bound and form.is_valid():
            error = _code_error(user, device, form.cleaned_data["code"])
            if error is None:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                messages.success(request, "Two-step sign-in is on: signing in now asks for a code.")
                return redirect("web:two_step")
            form.add_error("code", error)
        state = "set_up"
    elif form.is_bound and form.is_valid():
        error = _code_error(user, device, form.cleaned_data["code"])
        if error is not None:
            credentials = {"username": user.get_username()}
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", error)
        elif not verified:
            otp_login(request, device)
            messages.success(request, "This session is verified.")
            return redirect(_safe_next(request, request.GET.get("next"), "/"))
        elif _required(user):
            form.add_error("code", "Two-step sign-in is required for staff here: it stays on.")
        else:
            device.delete()
            messages.success(
                request, "Two-step sign-in is off: signing in asks only for the password."
            )
            return redirect("web:two_step")
        state = "on" if verified else "verify"
    else:
        state = "on" if verified else "verify"
    context = {"form": form, "state": state, "required": _required(user)}
    if state == "set_up":
        context |= {
            "secret": _secret(device),
            "uri": device.config_url,
            "qr": _qr_svg(device.config_url),
        }
    status = 400 if form.errors else 200
    return render(request, "web/pages/two_step.html", context, status=status)


# -- when it is required ---------------------------------------------------------------------


class StaffTwoStepMiddleware:
    """With ``OTP_REQUIRED_FOR_STAFF``, a staff user's session not verified with a code
    reaches only the two-step page and signing out; the API refuses it (403)."""

    OPEN = ("/account/two-step/", "/sign-out/", "/admin/logout/", "/static/", "/healthz", "/readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Cheapest first: the setting and the path before the session's user and device
        # are loaded (request.user is lazy; is_verified reads the device).
        user = request.user
        if (
            settings.OTP_REQUIRED_FOR_STAFF
            and not request.path.startswith(self.OPEN)
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
        ):
            detail = "Set up two-step sign-in, or give a code, before using the registry."
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"status": 403, "code": "two_step_required", "detail": detail, "errors": {}},
                    status=403,
                )
            return redirect(f"{reverse('web:two_step')}?next={quote(request.get_full_path())}")
        return self.get_response(request)
