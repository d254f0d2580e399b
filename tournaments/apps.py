from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TournamentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tournaments"
    verbose_name = _("Copa Perú")

    def ready(self) -> None:
        from tournaments import auth, signals  # noqa: F401  (auth: its login-failure receiver)

        signals.connect()
