"""What the decisions admin forms share: running a service's ``validate_*`` check, so
that the admin refuses what the service refuses, with the same message."""

from django.core.exceptions import ValidationError

from core.admin import RegistryModelForm


class ServiceCheckedForm(RegistryModelForm):
    """Runs a service's ``validate_*`` check once the model's own validation has passed."""

    def service_check(self, instance) -> None:
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.has_changed():
            return
        try:
            self.service_check(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)
