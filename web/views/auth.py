"""Signing in and out (Django's auth views in NHS.UK style; django-axes throttles failures)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import path

from web.forms import RENDERER


class SignInForm(AuthenticationForm):
    default_renderer = RENDERER
    template_name = "web/forms/form.html"
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class SignInView(auth_views.LoginView):
    template_name = "web/pages/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="sign_in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
]
