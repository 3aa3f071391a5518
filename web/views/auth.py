"""Signing in and out (Django's auth views in NHS.UK style; django-axes throttles failures;
an officer may add a code from an authenticator app, ``web.two_factor``)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import path

from web.forms import RENDERER
from web.two_factor import TwoStepMixin, sign_in_code, two_step


class SignInForm(AuthenticationForm):
    default_renderer = RENDERER
    template_name = "web/forms/form.html"
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class SignInView(TwoStepMixin, auth_views.LoginView):
    """The password; then, for an officer with an authenticator app, a code
    (``web.two_factor``)."""

    template_name = "web/pages/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="sign_in"),
    path("sign-in/code/", sign_in_code, name="sign_in_code"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    path("account/two-step/", two_step, name="two_step"),
]
