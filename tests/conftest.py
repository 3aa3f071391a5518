import pytest


@pytest.fixture
def officer(django_user_model):
    """A staff user with every permission, for admin pages."""
    return django_user_model.objects.create_superuser("officer", "officer@example.nhs.uk", "pw")
