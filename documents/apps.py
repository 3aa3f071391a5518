from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Governance documents"

    def ready(self):
        # The services declare which of them writes each model (core.writes).
        from documents import services  # noqa: F401
